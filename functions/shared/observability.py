"""Logger created once; every module imports it from here."""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="udemy-pipeline")
