"""Lambda handler: SQS batch of S3 "Object Created" events -> the silver stage's output objects."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.shared.dal import get_adapters, settings_from_env
from functions.shared.edge import handle_batch
from functions.shared.observability import logger
from functions.silver.logic import build_silver_row


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> Any:
    adapters = get_adapters(settings_from_env())
    return handle_batch(event, context, stage="silver", adapters=adapters, work=build_silver_row)
