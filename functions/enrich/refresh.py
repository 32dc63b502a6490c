"""``udemy-pipeline enrich --refresh``: look certificate-only rows up again, through the normal
choreography. The batch gets a new tracker generation (as a replay does); its certificate-only
certificates go back to the enrich queue, every other file re-sends the event of its last output
(the enrichment link to silver, the quarantine record to gold), so the batch settles again and gold
is rebuilt once. Silver is deterministic, so gold changes only where metadata arrived."""

from __future__ import annotations

from dataclasses import dataclass

from contracts import keys
from contracts.records import EnrichmentLink
from functions.local_runtime.batches import resend
from functions.local_runtime.runtime import LocalRuntime


@dataclass(frozen=True)
class RefreshPlan:
    batch_id: str
    generation: int
    re_enriched: int
    resent: int


def certificate_only_items(runtime: LocalRuntime, batch_id: str) -> list[str]:
    items = []
    state = runtime.tracker.get(batch_id)
    for item in (state.expected or []) if state else []:
        key = keys.enrichment(batch_id, item)
        if runtime.store.head(key) is None:
            continue
        link = EnrichmentLink.model_validate_json(runtime.store.get_bytes(key))
        if link.method == "certificate_only":
            items.append(item)
    return items


def start_refresh(runtime: LocalRuntime, batch_id: str) -> RefreshPlan | None:
    """Queue the refresh of one batch; None when it has no certificate-only row (nothing to do)."""
    only = set(certificate_only_items(runtime, batch_id))
    state = runtime.tracker.get(batch_id)
    if not only or state is None or state.expected is None:
        return None
    generation = runtime.tracker.reset(batch_id)
    name = f"refresh-{batch_id}-g{generation}"
    re_enriched = resent = 0
    for item in state.expected:
        if item in only:
            re_enriched += resend(runtime, "enrich", keys.bronze_certificate(batch_id, item), name)
        else:  # the last output of the file carries it forward
            resent += any(
                resend(runtime, stage, key, name)
                for stage, key in (
                    ("gold", keys.quarantine(batch_id, item)),
                    ("silver", keys.enrichment(batch_id, item)),
                    ("enrich", keys.bronze_certificate(batch_id, item)),
                    ("ocr", keys.landing(batch_id, item)),
                )
            )
    return RefreshPlan(batch_id, generation, re_enriched, resent)
