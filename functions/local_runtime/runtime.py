"""The local runtime's state in one place: bucket, bus, queues, tracker and idempotency."""

from __future__ import annotations

import fcntl
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING

from contracts.settings import Settings
from functions.local_runtime.bucket import LocalObjectStore
from functions.local_runtime.bus import LocalEventBus
from functions.local_runtime.db import connect
from functions.local_runtime.queues import LocalQueues
from functions.local_runtime.tracker import LocalBatchTracker

if TYPE_CHECKING:
    from functions.local_runtime.idempotency import SqlitePersistenceLayer


class WorkdirBusy(RuntimeError):
    """Another ``udemy-pipeline`` process is driving this workdir."""


@dataclass
class LocalRuntime:
    settings: Settings
    con: sqlite3.Connection
    queues: LocalQueues
    bus: LocalEventBus
    store: LocalObjectStore
    tracker: LocalBatchTracker

    @cached_property
    def idempotency(self) -> SqlitePersistenceLayer:
        """Imported on first use: the CLI's driver never needs Powertools (or boto3 behind it)."""
        from functions.local_runtime.idempotency import SqlitePersistenceLayer

        return SqlitePersistenceLayer(self.con)

    @classmethod
    def open(cls, settings: Settings, *, chaos: bool = False) -> LocalRuntime:
        """``chaos`` is the test switch: every event is delivered three times, in shuffled order."""
        con = connect(settings.state_db)
        queues = LocalQueues(con, shuffle=chaos)
        bus = LocalEventBus(con, queues, settings.bucket, duplicate=3 if chaos else 1)
        store = LocalObjectStore(
            settings.bucket_dir, bus, bucket=settings.bucket, region=settings.region, account=settings.account
        )
        return cls(settings, con, queues, bus, store, LocalBatchTracker(con))

    def recover(self) -> dict[str, int]:
        """After a crash: whatever was in flight belonged to workers that are gone. Call only while
        holding the driver lock, so no live worker is affected."""
        return {
            "messages": self.queues.release_in_flight(),
            "idempotency": self.con.execute("delete from idempotency where status = 'INPROGRESS'").rowcount,
            "claims": self.tracker.release_unfinished_claims(),
        }


class DriverLock:
    """One driver per workdir: ``run``, ``replay`` and ``dlq redrive`` hold it while workers run."""

    def __init__(self, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self._path = workdir / "driver.lock"
        self._fh: IO[bytes] | None = None

    def __enter__(self) -> DriverLock:
        self._fh = open(self._path, "a+b")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self._fh.close()
            raise WorkdirBusy(
                f"another udemy-pipeline process is running on {self._path.parent}; wait for it or use --workdir"
            ) from exc
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
