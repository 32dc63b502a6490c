"""Gold stage: the batch tracker counts manifests, silver rows and quarantine records; the one
caller that finds its batch settled takes the gold claim and rebuilds the analytics."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contracts import keys
from contracts.events import S3ObjectCreatedEvent
from contracts.records import BatchManifest
from contracts.routing import load_routing, prefix
from functions.gold.build import build_gold
from functions.shared.dal import Adapters
from functions.shared.errors import PermanentError
from functions.shared.observability import logger

GOLD_CONTENT_TYPES = {
    ".parquet": "application/vnd.apache.parquet",
    ".html": "text/html",
    ".duckdb": "application/octet-stream",
}


def track(event: S3ObjectCreatedEvent, adapters: Adapters) -> dict[str, Any]:
    parsed = keys.parse(event.key)
    tracker = adapters.tracker
    if parsed.kind == "manifest":
        try:
            manifest = BatchManifest.model_validate_json(adapters.store.get_bytes(event.key))
        except ValidationError as exc:
            raise PermanentError("invalid_record", f"manifest does not match its contract: {exc}") from exc
        state = tracker.register_manifest(parsed.batch_id, manifest.names())
    elif parsed.item is not None and parsed.kind in ("silver_certificates", "quarantine"):
        outcome = "succeeded" if parsed.kind == "silver_certificates" else "quarantined"
        state = tracker.mark_settled(parsed.batch_id, parsed.item, outcome)
    else:
        raise PermanentError("invalid_record", f"not a tracker event: {event.key}")
    if not state.is_settled or state.gold_done:
        return {"batch_id": state.batch_id, "settled": state.is_settled}
    # The claim's lease is the gold queue's visibility timeout, which Terraform keeps >= the function's
    # timeout: once it has run out, a killed builder's message is back and may take the claim again.
    lease = load_routing().queues["gold"].visibility_timeout_seconds
    if not tracker.try_claim_gold(state.batch_id, state.generation, lease):
        return {"batch_id": state.batch_id, "settled": True, "claimed": False}
    try:
        tables = rebuild_gold(adapters)
    except BaseException:
        tracker.release_claim(state.batch_id, state.generation)
        raise
    tracker.mark_gold_done(state.batch_id, state.generation)
    logger.info("gold rebuilt", batch_id=state.batch_id, generation=state.generation, tables=tables)
    return {"batch_id": state.batch_id, "settled": True, "claimed": True, "gold": tables}


def rebuild_gold(adapters: Adapters) -> dict[str, int]:
    """Rebuild every gold output from all silver rows and publish it under ``gold/``.
    Builds are serialised, so a slower build can never overwrite a newer one."""
    with adapters.gold_lock(), tempfile.TemporaryDirectory(prefix="udemy-gold-") as tmp:
        work = Path(tmp)
        silver_dir = adapters.store.download_prefix(prefix("silver_certificates"), work / "silver")
        out_dir = work / "gold"
        result = build_gold(silver_dir, out_dir)
        for relative in sorted(result.relative_files()):
            source = out_dir / relative
            content_type = GOLD_CONTENT_TYPES.get(source.suffix, "application/octet-stream")
            adapters.store.put_bytes(prefix("gold") + relative, source.read_bytes(), content_type)
        if adapters.serving is not None:
            adapters.serving.publish(result.stats)
        return dict(result.tables)
