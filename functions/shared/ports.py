"""Ports: what the logic needs from storage, batch tracking and course lookup.

Each port has a local implementation (``functions.local_runtime``) and an AWS one
(``functions.shared.aws``); ``functions.shared.dal`` picks one from the settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from contracts.records import CertificateFields, CoursePayload, EnrichmentMethod


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    etag: str


class ObjectStore(Protocol):
    """One bucket. Every put is an S3 "Object Created" event for whoever listens."""

    bucket: str

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> ObjectInfo:
        """Write an object. Every put is an event, as on S3, identical bytes included: a replay
        re-writes identical outputs and relies on their events to carry the batch forward."""
        ...

    def get_bytes(self, key: str) -> bytes:
        """Read an object; raise ``KeyError`` when it does not exist."""
        ...

    def head(self, key: str) -> ObjectInfo | None: ...

    def list_keys(self, prefix: str) -> list[str]:
        """Every key under ``prefix``, sorted."""
        ...

    def download_prefix(self, prefix: str, dest: Path) -> Path:
        """Make every object under ``prefix`` readable as files under a local directory and return it
        (the local store may return its own directory without copying)."""
        ...


@dataclass
class TrackerState:
    """A batch's progress in the current generation."""

    batch_id: str
    generation: int
    expected: list[str] | None  # the manifest's file names; None until the manifest arrives
    settled: dict[str, str] = field(default_factory=dict)  # item -> "succeeded" | "quarantined"
    gold_claimed: bool = False
    gold_done: bool = False

    @property
    def is_settled(self) -> bool:
        return self.expected is not None and all(name in self.settled for name in self.expected)

    def count(self, outcome: str) -> int:
        names = set(self.expected or [])
        return sum(1 for item, o in self.settled.items() if o == outcome and item in names)


class BatchTracker(Protocol):
    """Per-batch state with DynamoDB's conditional-write semantics."""

    def register_manifest(self, batch_id: str, files: list[str]) -> TrackerState:
        """Record the expected files (idempotent); return the state after the write."""
        ...

    def mark_settled(self, batch_id: str, item: str, outcome: str) -> TrackerState:
        """Record one item's outcome (idempotent); return the state after the write."""
        ...

    def try_claim_gold(self, batch_id: str, generation: int, lease_seconds: float) -> bool:
        """Take the one gold claim of this generation; True for exactly one caller. A claim whose
        lease ran out before its gold was done (the builder was killed) can be taken again."""
        ...

    def release_claim(self, batch_id: str, generation: int) -> None:
        """Give the claim back after a failed gold build, so the retry can take it."""
        ...

    def mark_gold_done(self, batch_id: str, generation: int) -> None: ...

    def get(self, batch_id: str) -> TrackerState | None: ...

    def reset(self, batch_id: str) -> int:
        """Start a new generation (replay): forget settled items and the claim; keep the manifest."""
        ...

    def list_batches(self) -> list[TrackerState]: ...


class ServingStore(Protocol):
    """Where dashboards read gold aggregates on AWS (a DynamoDB table); the local runtime serves
    from the warehouse file and the Parquet tables instead."""

    def publish(self, stats: Mapping[str, Sequence[Mapping[str, Any]]]) -> int:
        """Replace the served aggregates with these rows; return how many items are served."""
        ...


@dataclass(frozen=True)
class CourseMatch:
    """The course a certificate belongs to, and how it was found (``course`` is None when unmatched)."""

    method: EnrichmentMethod
    course: CoursePayload | None
    detail: str


class CourseLookup(Protocol):
    """Finds the course of a certificate; never guesses (no match is ``certificate_only``)."""

    def match(self, fields: CertificateFields) -> CourseMatch: ...
