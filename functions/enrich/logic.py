"""Enrich stage: a bronze certificate gets its course link (and the course payload is cached)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from contracts import keys
from contracts.events import S3ObjectCreatedEvent
from contracts.records import BronzeCertificate, EnrichmentLink
from functions.shared.dal import Adapters
from functions.shared.errors import PermanentError


def enrich_certificate(event: S3ObjectCreatedEvent, adapters: Adapters) -> dict[str, Any]:
    parsed = keys.parse(event.key)
    if parsed.item is None:
        raise PermanentError("invalid_record", f"not a bronze certificate: {event.key}")
    try:
        bronze = BronzeCertificate.model_validate_json(adapters.store.get_bytes(event.key))
    except ValidationError as exc:
        raise PermanentError("invalid_record", f"bronze record does not match its contract: {exc}") from exc
    match = adapters.courses().match(bronze.fields)
    course_key = None
    if match.course is not None:
        course_key = keys.course(match.course.id)
        if adapters.store.head(course_key) is None:
            adapters.store.put_bytes(course_key, match.course.model_dump_json().encode(), "application/json")
    link = EnrichmentLink(
        batch_id=parsed.batch_id,
        item=parsed.item,
        bronze_key=event.key,
        method=match.method,
        status="certificate_only" if match.course is None else "matched",
        course_id=None if match.course is None else match.course.id,
        course_key=course_key,
        detail=match.detail,
    )
    key = keys.enrichment(parsed.batch_id, parsed.item)
    adapters.store.put_bytes(key, link.model_dump_json(indent=2).encode(), "application/json")
    return {"enrichment": key, "method": match.method}
