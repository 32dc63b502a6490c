"""Object keys of the one bucket, built and parsed in one place.

``<item>`` is the file's name inside its batch, so ``a.jpg`` and ``a.png`` never collide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contracts.routing import prefix

BATCH_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
ITEM_RE = re.compile(r"^[^/\x00]{1,200}$")


def check_batch_id(batch_id: str) -> str:
    if not BATCH_ID_RE.match(batch_id):
        raise ValueError(
            f"invalid batch id {batch_id!r}: use 1-100 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return batch_id


def check_item(item: str) -> str:
    if not ITEM_RE.match(item) or item in {".", ".."}:
        raise ValueError(f"invalid file name {item!r}")
    return item


def landing(batch_id: str, item: str) -> str:
    return f"{prefix('landing')}{check_batch_id(batch_id)}/{check_item(item)}"


def landing_prefix(batch_id: str) -> str:
    return f"{prefix('landing')}{check_batch_id(batch_id)}/"


def manifest(batch_id: str) -> str:
    return f"{prefix('manifests')}{check_batch_id(batch_id)}.json"


def bronze_certificate(batch_id: str, item: str) -> str:
    return f"{prefix('bronze_certificates')}batch={batch_id}/{item}.json"


def enrichment(batch_id: str, item: str) -> str:
    return f"{prefix('bronze_enrichments')}batch={batch_id}/{item}.json"


def course(course_id: int | str) -> str:
    return f"{prefix('bronze_courses')}{course_id}.json"


def silver_certificate(batch_id: str, item: str) -> str:
    return f"{prefix('silver_certificates')}batch={batch_id}/{item}.parquet"


def quarantine(batch_id: str, item: str) -> str:
    return f"{prefix('quarantine')}batch={batch_id}/{item}.json"


@dataclass(frozen=True)
class ParsedKey:
    """What a key says: its kind, batch and item (``None`` for a manifest's item)."""

    kind: str
    batch_id: str
    item: str | None


_PARTITIONED = {
    "bronze_certificates": ".json",
    "bronze_enrichments": ".json",
    "silver_certificates": ".parquet",
    "quarantine": ".json",
}


def parse(key: str) -> ParsedKey:
    """Parse a key this project writes; raise ``ValueError`` for anything else."""
    if key.startswith(prefix("landing")):
        rest = key[len(prefix("landing")) :]
        batch_id, sep, item = rest.partition("/")
        if sep and item and "/" not in item:
            return ParsedKey("landing", check_batch_id(batch_id), check_item(item))
    elif key.startswith(prefix("manifests")) and key.endswith(".json"):
        return ParsedKey("manifest", check_batch_id(key[len(prefix("manifests")) : -len(".json")]), None)
    for kind, suffix in _PARTITIONED.items():
        if key.startswith(prefix(kind)) and key.endswith(suffix):
            rest = key[len(prefix(kind)) : -len(suffix)]
            part, sep, item = rest.partition("/")
            if sep and part.startswith("batch=") and item and "/" not in item:
                return ParsedKey(kind, check_batch_id(part[len("batch=") :]), check_item(item))
    raise ValueError(f"not a key of this pipeline: {key!r}")
