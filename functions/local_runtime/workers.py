"""Worker processes that poll the stage queues and invoke the very Lambda handlers, and the
driver that runs them until a condition holds (a batch settled, the queues drained)."""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from typing import Any

from contracts.routing import STAGES, load_routing
from contracts.settings import Settings
from functions.local_runtime.queues import LocalQueues, Message
from functions.local_runtime.runtime import LocalRuntime

# Downstream first: a certificate already in flight finishes before new files start.
POLL_ORDER = ("gold", "silver", "enrich", "ocr")
BACKOFF_ENV = "UDEMY_PIPELINE_LOCAL_BACKOFF_SECONDS"


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment a worker gets: what a Lambda function's configuration would hold."""
    env = {
        "UDEMY_PIPELINE_RUNTIME": "local",
        "UDEMY_PIPELINE_BUCKET": settings.bucket,
        "UDEMY_PIPELINE_WORKDIR": str(settings.workdir),
        "TESSDATA_PREFIX": settings.tessdata_dir,
        "UDEMY_PIPELINE_MAX_FILE_BYTES": str(settings.max_file_bytes),
        "OMP_THREAD_LIMIT": "1",
        "POWERTOOLS_SERVICE_NAME": "udemy-pipeline",
    }
    if settings.catalog_path:
        env["UDEMY_PIPELINE_CATALOG"] = str(settings.catalog_path)
    if settings.links_path:
        env["UDEMY_PIPELINE_LINKS"] = str(settings.links_path)
    return env


@dataclass
class LocalContext:
    """What a handler sees of its Lambda context."""

    function_name: str
    deadline: float
    memory_limit_in_mb: int = 2048
    aws_request_id: str = ""

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:local:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.time()) * 1000))


def sqs_event(stage: str, messages: list[Message]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m.message_id,
                "receiptHandle": m.receipt,
                "body": m.body,
                "attributes": {
                    "ApproximateReceiveCount": str(m.receive_count),
                    "SentTimestamp": str(int(m.sent_at * 1000)),
                    "ApproximateFirstReceiveTimestamp": str(int(m.sent_at * 1000)),
                },
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:local:000000000000:udemy-pipeline-{stage}",
                "awsRegion": "local",
            }
            for m in messages
        ]
    }


def backoff(receive_count: int) -> float:
    base = float(os.environ.get(BACKOFF_ENV, "1.0"))
    return min(30.0, base * 2 ** (receive_count - 1)) * random.uniform(0.8, 1.2)


def invoke(stage: str, handler: Callable[..., Any], queues: LocalQueues, messages: list[Message]) -> None:
    """One Lambda invocation: delete what succeeded, give failures back with their cause."""
    from functions.shared.edge import LAST_FAILURES

    timeout = load_routing().queues[stage].visibility_timeout_seconds
    context = LocalContext(function_name=f"udemy-pipeline-{stage}", deadline=time.time() + timeout)
    try:
        response = handler(sqs_event(stage, messages), context) or {}
        failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
        whole_batch_error = None
    except Exception as exc:  # a handler crash fails the whole batch, as on Lambda
        failed = {m.message_id for m in messages}
        whole_batch_error = f"{type(exc).__name__}: {exc}"
    for m in messages:
        if m.message_id in failed:
            cause = LAST_FAILURES.pop(m.message_id, None) or whole_batch_error or "failed without a message"
            queues.fail(m.receipt, cause, backoff(m.receive_count))
        else:
            queues.delete(m.receipt)


def worker_main(settings_json: str, stop: Event, log_path: str, chaos: bool) -> None:
    """A worker process: its own handlers (one OCR engine each), polling every stage queue."""
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives as long as the worker
    sys.stdout = sys.stderr = log
    settings = Settings.model_validate_json(settings_json)
    os.environ.update(settings_env(settings))
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    if chaos:
        os.environ["UDEMY_PIPELINE_LOCAL_CHAOS"] = "1"
    handlers: dict[str, Callable[..., Any]] = {}  # imported on first use: OCR can start sooner
    runtime = LocalRuntime.open(settings, chaos=chaos)
    routing = load_routing()
    idle = 0.02
    while not stop.is_set():
        for stage in POLL_ORDER:
            cfg = routing.queues[stage]
            messages = runtime.queues.receive(stage, cfg.batch_size, cfg.visibility_timeout_seconds, os.getpid())
            if messages:
                if stage not in handlers:
                    handlers[stage] = importlib.import_module(f"functions.{stage}.handler").handler
                invoke(stage, handlers[stage], runtime.queues, messages)
                idle = 0.02
                break
        else:
            stop.wait(idle)
            idle = min(idle * 2, 0.25)


class WorkerPool:
    def __init__(self, settings: Settings, workers: int, *, chaos: bool = False) -> None:
        self._settings = settings
        self._count = workers
        self._chaos = chaos
        self._ctx = mp.get_context("spawn")
        self._stop = self._ctx.Event()
        self._procs: list[Any] = []
        self._log_dir = settings.workdir / "logs"

    def _spawn(self, index: int) -> Any:
        self._log_dir.mkdir(parents=True, exist_ok=True)
        proc = self._ctx.Process(
            target=worker_main,
            args=(
                self._settings.model_dump_json(),
                self._stop,
                str(self._log_dir / f"worker-{index}.log"),
                self._chaos,
            ),
            name=f"udemy-pipeline-worker-{index}",
            daemon=True,
        )
        proc.start()
        return proc

    def __enter__(self) -> WorkerPool:
        self._procs = [self._spawn(i) for i in range(self._count)]
        return self

    def revive(self, queues: LocalQueues) -> int:
        """Restart workers that died, giving back what they held with the cause (a crash in native
        code on one file, say), so the message's retries and then its DLQ take over."""
        revived = 0
        for i, proc in enumerate(self._procs):
            if not proc.is_alive():
                queues.release_held_by(proc.pid, f"worker process died (exit code {proc.exitcode}) on this message")
                self._procs[i] = self._spawn(i)
                revived += 1
        return revived

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for proc in self._procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)


@dataclass
class DriveResult:
    done: bool
    seconds: float


def drive(
    runtime: LocalRuntime,
    pool: WorkerPool,
    done: Callable[[], bool],
    on_tick: Callable[[], None] = lambda: None,
    *,
    idle_grace: float = 2.0,
) -> DriveResult:
    """Let the workers run until ``done()`` holds, or until every queue is empty and nothing is in
    flight or waiting for a retry while ``done()`` still fails (stuck: dead letters, say)."""
    start = time.time()
    idle_since: float | None = None
    while True:
        on_tick()
        if done():
            return DriveResult(True, time.time() - start)
        pool.revive(runtime.queues)
        busy = any(sum(runtime.queues.depth(stage)) for stage in STAGES)
        if busy:
            idle_since = None
        else:
            idle_since = idle_since or time.time()
            if time.time() - idle_since > idle_grace:
                return DriveResult(done(), time.time() - start)
        time.sleep(0.1)
