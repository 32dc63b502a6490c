"""One cached factory that picks the local or the AWS implementation of every port.

Swapping AWS for local is choosing the other implementation here, not an ``if`` in the logic.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache

from aws_lambda_powertools.utilities.idempotency import BasePersistenceLayer

from contracts.settings import Settings
from functions.shared.ports import BatchTracker, CourseLookup, ObjectStore, ServingStore

CHAOS_ENV = "UDEMY_PIPELINE_LOCAL_CHAOS"


@dataclass
class Adapters:
    settings: Settings
    store: ObjectStore
    tracker: BatchTracker
    idempotency: BasePersistenceLayer
    gold_lock: Callable[[], AbstractContextManager[None]]
    courses: Callable[[], CourseLookup]  # loaded on first use: only the enrich stage needs it
    serving: ServingStore | None = None  # AWS only: the local runtime serves from the warehouse file


@contextlib.contextmanager
def _file_lock(path: str) -> Iterator[None]:
    with open(path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _local(settings: Settings) -> Adapters:
    from functions.enrich.chain import local_chain
    from functions.local_runtime.runtime import LocalRuntime

    runtime = LocalRuntime.open(settings, chaos=os.environ.get(CHAOS_ENV) == "1")
    lock_path = str(settings.workdir / "gold.lock")
    return Adapters(
        settings=settings,
        store=runtime.store,
        tracker=runtime.tracker,
        idempotency=runtime.idempotency,
        gold_lock=lambda: _file_lock(lock_path),
        courses=lru_cache(maxsize=1)(
            lambda: local_chain(runtime.store, settings.workdir, settings.links_path, settings.catalog_path)
        ),
    )


def _aws(settings: Settings) -> Adapters:
    from functions.enrich.chain import bucket_chain
    from functions.shared.aws import DynamoBatchTracker, DynamoServingTable, S3ObjectStore, idempotency_store

    # On AWS the gold function runs with a reserved concurrency of one, which serialises builds.
    store = S3ObjectStore(settings.bucket)
    return Adapters(
        settings=settings,
        store=store,
        tracker=DynamoBatchTracker(settings.tracker_table),
        idempotency=idempotency_store(settings.idempotency_table),
        gold_lock=contextlib.nullcontext,
        courses=lru_cache(maxsize=1)(lambda: bucket_chain(store)),
        serving=DynamoServingTable(settings.serving_table),
    )


@lru_cache(maxsize=4)
def get_adapters(settings: Settings) -> Adapters:
    return _local(settings) if settings.runtime == "local" else _aws(settings)


@lru_cache(maxsize=1)
def settings_from_env() -> Settings:
    """The settings of this process, validated once (at cold start on Lambda)."""
    return Settings.from_env()
