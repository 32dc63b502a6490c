"""The local runtime's parts behave like the AWS services they stand in for."""

from __future__ import annotations

import json
import multiprocessing as mp
import time
from pathlib import Path

import pytest
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

from contracts.settings import Settings
from functions.local_runtime.patterns import matches
from functions.local_runtime.runtime import DriverLock, LocalRuntime, WorkdirBusy

LEASE = 300.0  # seconds a gold claim holds before a killed builder can be replaced


@pytest.fixture
def runtime(tmp_path: Path) -> LocalRuntime:
    return LocalRuntime.open(Settings(workdir=tmp_path / "wd"))


def test_every_write_lands_as_a_file_and_an_event_in_the_right_queue(runtime: LocalRuntime) -> None:
    info = runtime.store.put_bytes("landing/b1/a.jpg", b"jpeg bytes")
    assert runtime.store.get_bytes("landing/b1/a.jpg") == b"jpeg bytes"
    assert info.etag == runtime.store.head("landing/b1/a.jpg").etag  # type: ignore[union-attr]
    (message,) = runtime.queues.receive("ocr", 10, 30)
    event = json.loads(message.body)
    assert event["detail"]["object"] == {**event["detail"]["object"], "key": "landing/b1/a.jpg", "etag": info.etag}
    assert runtime.queues.receive("enrich", 10, 30) == []


def test_a_received_message_stays_hidden_until_its_visibility_timeout(runtime: LocalRuntime) -> None:
    runtime.queues.send("ocr", "{}")
    assert len(runtime.queues.receive("ocr", 10, visibility_timeout=0.3)) == 1
    assert runtime.queues.receive("ocr", 10, 0.3) == []
    time.sleep(0.35)
    (again,) = runtime.queues.receive("ocr", 10, 0.3)
    assert again.receive_count == 2


def test_a_message_that_keeps_failing_goes_to_the_dlq_with_its_cause_and_redrives(runtime: LocalRuntime) -> None:
    runtime.queues.send("ocr", '{"n": 1}')
    max_receive = 3  # routing.json: ocr max_receive_count
    for _ in range(max_receive):
        (message,) = runtime.queues.receive("ocr", 1, 30)
        runtime.queues.fail(message.receipt, "TransientError: API down", retry_in=0)
    assert runtime.queues.receive("ocr", 1, 30) == []
    (letter,) = runtime.queues.dead_letters("ocr")
    assert (letter.receive_count, letter.last_error) == (3, "TransientError: API down")
    assert runtime.queues.redrive() == 1
    (message,) = runtime.queues.receive("ocr", 1, 30)
    assert message.receive_count == 1


def test_recovery_releases_what_a_dead_process_held(runtime: LocalRuntime) -> None:
    runtime.queues.send("ocr", "{}")
    runtime.queues.receive("ocr", 1, visibility_timeout=600)
    assert runtime.recover()["messages"] == 1
    assert len(runtime.queues.receive("ocr", 1, 30)) == 1


def test_archive_replays_a_time_window_through_the_same_rules(runtime: LocalRuntime) -> None:
    runtime.store.put_bytes("landing/b1/a.jpg", b"x")
    runtime.store.put_bytes("bronze/certificates/batch=b1/a.jpg.json", b"{}")
    for queue in ("ocr", "enrich"):
        for message in runtime.queues.receive(queue, 10, 30):
            runtime.queues.delete(message.receipt)
    assert runtime.bus.replay("2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "r1") == 2
    (ocr,) = runtime.queues.receive("ocr", 10, 30)
    assert json.loads(ocr.body)["replay-name"] == "r1"
    assert runtime.bus.replay("2999-01-01T00:00:00Z", "2999-12-31T00:00:00Z", "r2") == 0


def test_tracker_settles_whichever_order_manifest_and_completions_come_in(runtime: LocalRuntime) -> None:
    tracker = runtime.tracker
    assert not tracker.mark_settled("early", "a.jpg", "succeeded").is_settled
    assert tracker.register_manifest("early", ["a.jpg"]).is_settled
    assert not tracker.register_manifest("late", ["a.jpg", "b.png"]).is_settled
    tracker.mark_settled("late", "a.jpg", "succeeded")
    state = tracker.mark_settled("late", "b.png", "quarantined")
    assert state.is_settled and (state.count("succeeded"), state.count("quarantined")) == (1, 1)


def test_gold_claim_is_taken_once_per_generation_and_replay_opens_a_new_one(runtime: LocalRuntime) -> None:
    tracker = runtime.tracker
    tracker.register_manifest("b", ["a"])
    assert [tracker.try_claim_gold("b", 1, LEASE) for _ in range(3)] == [True, False, False]
    generation = tracker.reset("b")
    state = tracker.get("b")
    assert generation == 2 and state is not None and not state.settled and state.expected == ["a"]
    assert tracker.try_claim_gold("b", 1, LEASE) is False
    assert tracker.try_claim_gold("b", 2, LEASE) is True


def _race(workdir: str, items: list[str], results: mp.Queue) -> None:  # type: ignore[type-arg]
    rt = LocalRuntime.open(Settings(workdir=Path(workdir)))
    won = 0
    for item in items:
        state = rt.tracker.mark_settled("race", item, "succeeded")
        if state.is_settled and rt.tracker.try_claim_gold("race", state.generation, LEASE):
            won += 1
    results.put(won)


def test_concurrent_processes_settle_a_batch_and_exactly_one_takes_the_claim(tmp_path: Path) -> None:
    workdir = tmp_path / "wd"
    items = [f"{i}.jpg" for i in range(200)]
    rt = LocalRuntime.open(Settings(workdir=workdir))
    rt.tracker.register_manifest("race", items)
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_race, args=(str(workdir), items[i::4], results)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert sum(results.get(timeout=5) for _ in procs) == 1
    state = rt.tracker.get("race")
    assert state is not None and len(state.settled) == 200


def test_idempotency_store_refuses_a_second_concurrent_run_and_replays_a_finished_one(runtime: LocalRuntime) -> None:
    calls: list[int] = []
    config = IdempotencyConfig(expires_after_seconds=60)

    @idempotent_function(data_keyword_argument="ref", persistence_store=runtime.idempotency, config=config)
    def work(ref: dict[str, str]) -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert work(ref={"object": "a"}) == {"n": 1}
    assert work(ref={"object": "a"}) == {"n": 1}
    assert work(ref={"object": "b"}) == {"n": 2}

    @idempotent_function(data_keyword_argument="ref", persistence_store=runtime.idempotency, config=config)
    def nested(ref: dict[str, str]) -> dict[str, int]:
        return nested(ref=ref)

    with pytest.raises(IdempotencyAlreadyInProgressError):
        nested(ref={"object": "c"})


def test_only_one_driver_per_workdir(tmp_path: Path) -> None:
    with DriverLock(tmp_path), pytest.raises(WorkdirBusy, match="another udemy-pipeline process"):
        DriverLock(tmp_path).__enter__()


@pytest.mark.parametrize(
    ("pattern", "event", "expected"),
    [
        ({"a": [{"suffix": ".jpg"}]}, {"a": "x.jpg"}, True),
        ({"a": [{"anything-but": ["x"]}]}, {"a": "y"}, True),
        ({"a": [{"anything-but": {"prefix": "x"}}]}, {"a": "xy"}, False),
        ({"a": [{"exists": False}]}, {}, True),
        ({"a": [{"wildcard": "landing/*/_m.json"}]}, {"a": "landing/b/_m.json"}, True),
        ({"$or": [{"a": ["1"]}, {"b": ["2"]}]}, {"b": "2"}, True),
        ({"a": {"b": ["1"]}}, {"a": "1"}, False),
    ],
)
def test_pattern_matchers(pattern: dict, event: dict, expected: bool) -> None:  # type: ignore[type-arg]
    assert matches(pattern, event) is expected


def test_a_claim_whose_builder_died_can_be_taken_again_once_its_lease_ran_out(runtime: LocalRuntime) -> None:
    tracker = runtime.tracker
    tracker.register_manifest("b", ["a"])
    assert tracker.try_claim_gold("b", 1, lease_seconds=-1)  # taken, and its lease already over
    assert tracker.try_claim_gold("b", 1, LEASE)  # the redelivered message takes it again
    assert not tracker.try_claim_gold("b", 1, LEASE)  # but only once while the new lease holds
    tracker.mark_gold_done("b", 1)
    state = tracker.get("b")
    assert state is not None and state.gold_done
