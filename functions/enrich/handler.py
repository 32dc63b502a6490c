"""Lambda handler: SQS batch of S3 "Object Created" events -> the enrich stage's output objects."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.enrich.logic import enrich_certificate
from functions.shared.dal import get_adapters, settings_from_env
from functions.shared.edge import handle_batch
from functions.shared.observability import logger


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> Any:
    adapters = get_adapters(settings_from_env())
    return handle_batch(event, context, stage="enrich", adapters=adapters, work=enrich_certificate)
