"""What every stage's handler shares: SQS batch with partial failure, the S3 event contract,
idempotency on bucket + key + etag, and quarantine for permanent failures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError
from aws_lambda_powertools.utilities.typing import LambdaContext

from contracts import keys
from contracts.events import S3ObjectCreatedEvent
from contracts.records import QuarantineRecord
from functions.shared.dal import Adapters
from functions.shared.errors import PermanentError
from functions.shared.observability import logger

StageWork = Callable[[S3ObjectCreatedEvent, Adapters], dict[str, Any]]

IDEMPOTENCY_CONFIG = IdempotencyConfig(expires_after_seconds=7 * 24 * 3600)

# Why the last records failed, by message id: the local runtime stores it with the message (and so
# in the DLQ); on AWS the same text is in the function's log.
LAST_FAILURES: dict[str, str] = {}


class _RecordingProcessor(BatchProcessor):
    def failure_handler(self, record: Any, exception: Any) -> Any:
        _, exc, _ = exception
        LAST_FAILURES[record.message_id] = f"{type(exc).__name__}: {exc}"
        logger.error("record failed; the queue will retry it", message_id=record.message_id, error=str(exc))
        return super().failure_handler(record, exception)


def quarantine(adapters: Adapters, event: S3ObjectCreatedEvent, stage: str, error: PermanentError) -> str | None:
    """Write the quarantine record that settles this file; None when the key names no file."""
    try:
        parsed = keys.parse(event.key)
    except ValueError:
        parsed = None
    if parsed is None or parsed.item is None:
        logger.error("rejected an object that can never succeed", key=event.key, reason=error.reason)
        return None
    record = QuarantineRecord(
        batch_id=parsed.batch_id,
        item=parsed.item,
        source_key=keys.landing(parsed.batch_id, parsed.item),
        stage=stage,
        reason_code=error.reason_code,
        reason=error.reason,
    )
    key = keys.quarantine(parsed.batch_id, parsed.item)
    adapters.store.put_bytes(key, record.model_dump_json(indent=2).encode(), "application/json")
    logger.warning("quarantined", key=event.key, reason_code=error.reason_code, reason=error.reason)
    return key


def handle_batch(
    event: dict[str, Any], context: LambdaContext, *, stage: str, adapters: Adapters, work: StageWork
) -> PartialItemFailureResponse:
    """Run ``work`` once per distinct object version of the batch; report failed records only."""
    IDEMPOTENCY_CONFIG.register_lambda_context(context)

    @idempotent_function(data_keyword_argument="ref", persistence_store=adapters.idempotency, config=IDEMPOTENCY_CONFIG)
    def once(ref: dict[str, Any], s3_event: S3ObjectCreatedEvent) -> dict[str, Any]:
        try:
            return work(s3_event, adapters)
        except PermanentError as exc:
            return {"quarantined": quarantine(adapters, s3_event, stage, exc), "reason": exc.reason}

    def record_handler(record: SQSRecord) -> dict[str, Any]:
        s3_event = S3ObjectCreatedEvent.model_validate_json(record.body)
        ref = {"stage": stage, "object": s3_event.idempotency_key(), "generation": _generation(adapters, s3_event)}
        logger.append_keys(object_key=s3_event.key)
        try:
            return once(ref=ref, s3_event=s3_event)
        except IdempotencyAlreadyInProgressError:
            # Another invocation holds this very object version; its own message is retried until it
            # succeeds or dead-letters, so this duplicate has nothing left to do.
            logger.info("duplicate of an object version in progress elsewhere; acknowledged")
            return {"duplicate_in_progress": s3_event.idempotency_key()}

    processor = _RecordingProcessor(event_type=EventType.SQS)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)


def _generation(adapters: Adapters, event: S3ObjectCreatedEvent) -> int:
    """The batch's tracker generation: a replay starts a new one, so its work is new work."""
    try:
        batch_id = keys.parse(event.key).batch_id
    except ValueError:
        return 0
    state = adapters.tracker.get(batch_id)
    return state.generation if state else 1
