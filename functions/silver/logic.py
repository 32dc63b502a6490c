"""Silver stage: bronze certificate + enrichment link (+ cached course) -> one typed Parquet row."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from contracts import keys
from contracts.events import S3ObjectCreatedEvent
from contracts.records import BronzeCertificate, CoursePayload, EnrichmentLink
from functions.shared.dal import Adapters
from functions.shared.errors import PermanentError, TransientError
from functions.silver.build import build_silver_parquet


def build_silver_row(event: S3ObjectCreatedEvent, adapters: Adapters) -> dict[str, Any]:
    parsed = keys.parse(event.key)
    if parsed.item is None:
        raise PermanentError("invalid_record", f"not an enrichment link: {event.key}")
    store = adapters.store
    try:
        link = EnrichmentLink.model_validate_json(store.get_bytes(event.key))
        bronze = BronzeCertificate.model_validate_json(store.get_bytes(link.bronze_key))
        course = CoursePayload.model_validate_json(store.get_bytes(link.course_key)) if link.course_key else None
    except ValidationError as exc:
        raise PermanentError("invalid_record", f"input record does not match its contract: {exc}") from exc
    except KeyError as exc:
        raise TransientError(f"an input object is missing: {exc}") from exc
    key = keys.silver_certificate(parsed.batch_id, parsed.item)
    store.put_bytes(key, build_silver_parquet(bronze, link, course), "application/vnd.apache.parquet")
    return {"silver": key}
