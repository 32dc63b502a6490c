"""OCR stage: a landed file becomes a bronze certificate record (or a quarantine record)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from contracts import keys
from contracts.events import S3ObjectCreatedEvent
from contracts.records import BronzeCertificate
from functions.shared.dal import Adapters
from functions.shared.errors import ConfigurationError, PermanentError, TransientError


@lru_cache(maxsize=1)
def get_reader(tessdata_dir: str) -> Any:
    """One OCR engine per process (a Lambda container or a local worker), reused for every file."""
    from functions.ocr.reader import CertificateReader

    return CertificateReader(tessdata_dir)


def read_landed_file(event: S3ObjectCreatedEvent, adapters: Adapters) -> dict[str, Any]:
    parsed = keys.parse(event.key)
    if parsed.kind != "landing" or parsed.item is None:
        raise PermanentError("invalid_record", f"not a landed certificate file: {event.key}")
    try:
        data = adapters.store.get_bytes(event.key)
    except KeyError as exc:
        raise TransientError(f"{event.key} is not readable yet") from exc
    limit = adapters.settings.max_file_bytes
    if len(data) > limit:
        raise PermanentError("too_large", f"file is {len(data)} bytes; the limit is {limit} bytes")
    reader = get_reader(adapters.settings.tessdata_dir)
    try:
        result = reader.read(data, parsed.item)
    except (PermanentError, TransientError, ConfigurationError):
        raise
    except Exception as exc:
        # The same bytes would fail the same way on every retry: settle the file with the cause.
        raise PermanentError(
            "unreadable_image", f"the reader failed on this file: {type(exc).__name__}: {exc}"
        ) from exc
    record = BronzeCertificate(
        batch_id=parsed.batch_id,
        item=parsed.item,
        source_key=event.key,
        source_etag=event.etag,
        source_sha256=hashlib.sha256(data).hexdigest(),
        media_type=result.media_type,
        design=result.design,
        language=result.language,
        engine=result.engine,
        engine_version=result.engine_version,
        fields=result.fields,
        confidence=result.confidence,
        raw_text=result.raw_text,
    )
    key = keys.bronze_certificate(parsed.batch_id, parsed.item)
    adapters.store.put_bytes(key, record.model_dump_json(indent=2).encode(), "application/json")
    return {"bronze": key}
