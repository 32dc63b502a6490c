"""Dropping a folder as one batch, and reading a batch's outcome back: shared by the CLI commands."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

from contracts import keys
from contracts.records import BatchManifest, EnrichmentLink, ManifestFile, RunSummary
from contracts.routing import STAGES, prefix
from functions.local_runtime.bus import object_created
from functions.local_runtime.queues import DLQ_SUFFIX
from functions.local_runtime.runtime import LocalRuntime

GOLD_TABLES = ("fact_certificate", "owner_stats", "instructor_stats")


def folder_files(folder: Path) -> list[Path]:
    """The files a folder drops: regular, not hidden, sorted by name."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def default_batch_id(folder: Path, files: list[Path]) -> str:
    """Named after the folder and its content, so running the same folder again resumes the same batch."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", folder.resolve().name).strip("-._") or "batch"
    return f"{stem[:60]}-{digest.hexdigest()[:10]}"


def drop_folder(
    runtime: LocalRuntime, files: list[Path], batch_id: str, on_file: Callable[[int], None] = lambda n: None
) -> BatchManifest:
    """Land every file under ``landing/<batch>/``, then the manifest, last."""
    entries = []
    for number, path in enumerate(files, start=1):
        data = path.read_bytes()
        runtime.store.put_bytes(keys.landing(batch_id, path.name), data)
        entries.append(ManifestFile(name=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data)))
        on_file(number)
    manifest = BatchManifest(batch_id=batch_id, files=entries, expected_count=len(entries))
    runtime.store.put_bytes(keys.manifest(batch_id), manifest.model_dump_json(indent=2).encode(), "application/json")
    return manifest


def resend(runtime: LocalRuntime, queue: str, key: str, replay_name: str) -> bool:
    """Send a stored object's "Object Created" event, marked as a replay, straight to a stage's
    queue (as the replay state machine does on AWS); False when the object does not exist."""
    info = runtime.store.head(key)
    if info is None:
        return False
    settings = runtime.settings
    event = object_created(
        runtime.store.bucket, key, info.size, info.etag, region=settings.region, account=settings.account
    )
    event["replay-name"] = replay_name
    runtime.queues.send(queue, json.dumps(event))
    return True


def resend_landed(runtime: LocalRuntime, batch_id: str, replay_name: str) -> int:
    """What the replay state machine does after resetting the tracker: send each landed file's
    "Object Created" event to the OCR queue."""
    return sum(
        resend(runtime, "ocr", key, replay_name) for key in runtime.store.list_keys(keys.landing_prefix(batch_id))
    )


def dead_letters_of(runtime: LocalRuntime, batch_id: str) -> int:
    count = 0
    for letter in runtime.queues.dead_letters():
        try:
            key = json.loads(letter.body)["detail"]["object"]["key"]
            if keys.parse(key).batch_id == batch_id:
                count += 1
        except (KeyError, ValueError):
            continue
    return count


def gold_paths(runtime: LocalRuntime) -> tuple[Path, Path]:
    return (
        runtime.store.path(prefix("gold") + "warehouse.duckdb"),
        runtime.store.path(prefix("gold") + "dashboard/index.html"),
    )


def gold_counts(warehouse: Path) -> dict[str, int]:
    if not warehouse.is_file():
        return {}
    import duckdb  # only here: the CLI starts faster without it

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: int(con.execute(f"select count(*) from {t}").fetchall()[0][0]) for t in GOLD_TABLES}
    finally:
        con.close()


def certificate_only_count(runtime: LocalRuntime, batch_id: str) -> int:
    count = 0
    for key in runtime.store.list_keys(f"{prefix('bronze_enrichments')}batch={batch_id}/"):
        link = EnrichmentLink.model_validate_json(runtime.store.get_bytes(key))
        count += link.method == "certificate_only"
    return count


def summary(runtime: LocalRuntime, batch_id: str) -> RunSummary:
    state = runtime.tracker.get(batch_id)
    warehouse, dashboard = gold_paths(runtime)
    return RunSummary(
        batch_id=batch_id,
        files=len(state.expected or []) if state else 0,
        succeeded=state.count("succeeded") if state else 0,
        quarantined=state.count("quarantined") if state else 0,
        dead_lettered=dead_letters_of(runtime, batch_id),
        gold=gold_counts(warehouse),
        warehouse=str(warehouse) if warehouse.is_file() else None,
        dashboard=str(dashboard) if dashboard.is_file() else None,
    )


def queue_depths(runtime: LocalRuntime) -> dict[str, dict[str, int]]:
    depths = {}
    for stage in STAGES:
        visible, in_flight = runtime.queues.depth(stage)
        dead, _ = runtime.queues.depth(stage + DLQ_SUFFIX)
        depths[stage] = {"waiting": visible, "in_flight": in_flight, "dead_letters": dead}
    return depths
