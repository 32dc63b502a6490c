"""The AWS adapters on moto: S3 as the object store, DynamoDB as the batch tracker."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from functions.shared.aws import DynamoBatchTracker, DynamoServingTable, S3ObjectStore, idempotency_store
from functions.shared.errors import TransientError

LEASE = 300.0  # seconds a gold claim holds before a killed builder can be replaced

REGION = "us-east-1"
BUCKET = "udemy-pipeline-test"
TABLE = "udemy-pipeline-tracker"


@pytest.fixture(autouse=True)
def aws(aws_credentials: str) -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def s3() -> Any:
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def store(s3: Any) -> S3ObjectStore:
    return S3ObjectStore(BUCKET, client=s3)


@pytest.fixture
def tracker() -> DynamoBatchTracker:
    client = boto3.client("dynamodb", region_name=REGION)
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "batch_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "batch_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return DynamoBatchTracker(TABLE, client=client)


# --- S3 object store ---------------------------------------------------------------------------


def test_put_then_get_and_head_return_the_bytes_and_their_md5(store: S3ObjectStore) -> None:
    # Given / When
    info = store.put_bytes("landing/b1/a.jpg", b"certificate", "image/jpeg")

    # Then
    assert store.get_bytes("landing/b1/a.jpg") == b"certificate"
    assert info.etag == hashlib.md5(b"certificate").hexdigest()
    assert store.head("landing/b1/a.jpg") == info
    assert info.size == len(b"certificate")


def test_missing_object_is_a_key_error_and_head_is_none(store: S3ObjectStore) -> None:
    with pytest.raises(KeyError):
        store.get_bytes("landing/b1/missing.jpg")
    assert store.head("landing/b1/missing.jpg") is None


def test_every_put_writes_even_identical_bytes_as_s3_does(store: S3ObjectStore, s3: Any) -> None:
    # Given a versioned bucket, so every real write leaves a version behind
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})

    # When the same bytes are written twice (a replay re-writes identical outputs)
    first = store.put_bytes("silver/certificates/batch=b1/a.jpg.parquet", b"row")
    second = store.put_bytes("silver/certificates/batch=b1/a.jpg.parquet", b"row")

    # Then both writes happened (each is an event downstream) and the etag names the content
    assert len(s3.list_object_versions(Bucket=BUCKET)["Versions"]) == 2
    assert first.etag == second.etag


def test_list_keys_pages_through_everything_sorted(store: S3ObjectStore) -> None:
    # Given more keys than one ListObjectsV2 page holds (1000), written out of order
    names = [f"landing/b1/{i:04d}.jpg" for i in range(1005)]
    for name in reversed(names):
        store.put_bytes(name, b"x")
    store.put_bytes("landing/b2/other.jpg", b"x")

    # When / Then
    assert store.list_keys("landing/b1/") == names
    assert store.list_keys("nothing/") == []


def test_download_prefix_keeps_relative_paths(store: S3ObjectStore, tmp_path: Path) -> None:
    # Given
    store.put_bytes("gold/tables/fact.parquet", b"fact")
    store.put_bytes("gold/tables/nested/stats.parquet", b"stats")
    store.put_bytes("gold/dashboard.html", b"<html>")
    store.put_bytes("silver/other.parquet", b"no")

    # When
    out = store.download_prefix("gold/tables/", tmp_path / "out")

    # Then
    assert out == tmp_path / "out"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["fact.parquet", "nested/stats.parquet"]
    assert (out / "nested" / "stats.parquet").read_bytes() == b"stats"


def test_throttling_is_a_transient_error(store: S3ObjectStore, s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given S3 answers SlowDown
    def slow_down(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "SlowDown"}, "ResponseMetadata": {"HTTPStatusCode": 503}}, "GetObject")

    monkeypatch.setattr(s3, "get_object", slow_down)

    # When / Then the error says "retry me", with the cause kept
    with pytest.raises(TransientError) as caught:
        store.get_bytes("landing/b1/a.jpg")
    assert isinstance(caught.value.__cause__, ClientError)


def test_access_denied_is_not_transient(store: S3ObjectStore, s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "GetObject")

    monkeypatch.setattr(s3, "get_object", denied)
    with pytest.raises(ClientError):
        store.get_bytes("landing/b1/a.jpg")


# --- DynamoDB batch tracker --------------------------------------------------------------------


def test_manifest_first_then_items_settles(tracker: DynamoBatchTracker) -> None:
    # Given the manifest arrives first
    state = tracker.register_manifest("b1", ["a.jpg", "b.png", "c.pdf"])
    assert state.generation == 1
    assert state.expected == ["a.jpg", "b.png", "c.pdf"]
    assert not state.is_settled

    # When every item settles
    tracker.mark_settled("b1", "a.jpg", "succeeded")
    tracker.mark_settled("b1", "b.png", "quarantined")
    state = tracker.mark_settled("b1", "c.pdf", "succeeded")

    # Then
    assert state.is_settled
    assert state.count("succeeded") == 2
    assert state.count("quarantined") == 1
    assert state.gold_claimed is False


def test_manifest_last_settles_too(tracker: DynamoBatchTracker) -> None:
    # Given the items settle before the manifest arrives
    state = tracker.mark_settled("b1", "a.jpg", "succeeded")
    assert state.generation == 1
    assert state.expected is None
    assert not state.is_settled
    tracker.mark_settled("b1", "b.png", "succeeded")

    # When the manifest arrives last
    state = tracker.register_manifest("b1", ["a.jpg", "b.png"])

    # Then the write that completes the batch sees it settled
    assert state.is_settled
    assert state.settled == {"a.jpg": "succeeded", "b.png": "succeeded"}


def test_duplicate_and_changed_outcomes_keep_one_outcome_per_item(tracker: DynamoBatchTracker) -> None:
    # Given
    tracker.register_manifest("b1", ["a.jpg"])
    tracker.mark_settled("b1", "a.jpg", "quarantined")
    tracker.mark_settled("b1", "a.jpg", "quarantined")

    # When a later delivery says it succeeded
    state = tracker.mark_settled("b1", "a.jpg", "succeeded")

    # Then the item sits in one set only
    assert state.settled == {"a.jpg": "succeeded"}
    assert (state.count("succeeded"), state.count("quarantined")) == (1, 0)


def test_items_outside_the_manifest_are_not_counted(tracker: DynamoBatchTracker) -> None:
    tracker.register_manifest("b1", ["a.jpg"])
    tracker.mark_settled("b1", "stray.jpg", "succeeded")
    state = tracker.mark_settled("b1", "a.jpg", "quarantined")
    assert state.is_settled
    assert (state.count("succeeded"), state.count("quarantined")) == (0, 1)


def test_unknown_outcome_is_refused(tracker: DynamoBatchTracker) -> None:
    with pytest.raises(ValueError, match="unknown outcome"):
        tracker.mark_settled("b1", "a.jpg", "maybe")


def test_gold_claim_is_given_once_per_generation(tracker: DynamoBatchTracker) -> None:
    # Given a settled batch
    tracker.register_manifest("b1", ["a.jpg"])
    state = tracker.mark_settled("b1", "a.jpg", "succeeded")

    # When twenty workers try to claim it, and one tries a generation that does not exist yet
    wins = [tracker.try_claim_gold("b1", state.generation, LEASE) for _ in range(20)]
    future = tracker.try_claim_gold("b1", state.generation + 1, LEASE)

    # Then exactly one wins
    assert wins.count(True) == 1
    assert wins[0] is True
    assert future is False
    after = tracker.get("b1")
    assert after is not None
    assert after.gold_claimed is True
    assert after.gold_done is False

    # And the winner marks it done
    tracker.mark_gold_done("b1", state.generation)
    done = tracker.get("b1")
    assert done is not None
    assert done.gold_done is True


def test_released_claim_can_be_taken_again_until_gold_is_done(tracker: DynamoBatchTracker) -> None:
    # Given a claimed generation whose gold build failed
    tracker.register_manifest("b1", ["a.jpg"])
    state = tracker.mark_settled("b1", "a.jpg", "succeeded")
    assert tracker.try_claim_gold("b1", state.generation, LEASE)

    # When the claim is given back, the retry takes it once
    tracker.release_claim("b1", state.generation)
    released = tracker.get("b1")
    assert released is not None
    assert released.gold_claimed is False
    assert [tracker.try_claim_gold("b1", state.generation, LEASE) for _ in range(3)] == [True, False, False]

    # Then once gold is done, a late release changes nothing
    tracker.mark_gold_done("b1", state.generation)
    tracker.release_claim("b1", state.generation)
    done = tracker.get("b1")
    assert done is not None
    assert (done.gold_claimed, done.gold_done) == (True, True)
    assert tracker.try_claim_gold("b1", state.generation, LEASE) is False


def test_gold_done_of_an_old_generation_does_not_mark_the_new_one(tracker: DynamoBatchTracker) -> None:
    tracker.register_manifest("b1", ["a.jpg"])
    assert tracker.try_claim_gold("b1", 1, LEASE)
    assert tracker.reset("b1") == 2
    tracker.mark_gold_done("b1", 1)  # the slow build of generation 1 finishes after the replay started
    state = tracker.get("b1")
    assert state is not None
    assert (state.generation, state.gold_done) == (2, False)


def test_claim_on_missing_batch_is_refused(tracker: DynamoBatchTracker) -> None:
    assert tracker.try_claim_gold("nope", 1, LEASE) is False
    assert tracker.get("nope") is None


def test_reset_starts_a_new_generation_with_a_new_claim(tracker: DynamoBatchTracker) -> None:
    # Given a batch whose gold was built in generation 1
    tracker.register_manifest("b1", ["a.jpg", "b.png"])
    tracker.mark_settled("b1", "a.jpg", "succeeded")
    tracker.mark_settled("b1", "b.png", "quarantined")
    assert tracker.try_claim_gold("b1", 1, LEASE)
    tracker.mark_gold_done("b1", 1)

    # When the batch is replayed
    generation = tracker.reset("b1")

    # Then the manifest is kept, the settled items, the claim and done are forgotten
    assert generation == 2
    state = tracker.get("b1")
    assert state is not None
    assert state.generation == 2
    assert state.expected == ["a.jpg", "b.png"]
    assert state.settled == {}
    assert (state.gold_claimed, state.gold_done) == (False, False)
    assert tracker.try_claim_gold("b1", 1, LEASE) is False

    # And the new generation settles and is claimed exactly once
    tracker.mark_settled("b1", "a.jpg", "succeeded")
    state = tracker.mark_settled("b1", "b.png", "succeeded")
    assert state.is_settled
    assert [tracker.try_claim_gold("b1", 2, LEASE) for _ in range(5)].count(True) == 1
    assert tracker.reset("b1") == 3


def test_reset_of_an_unknown_batch_creates_generation_one(tracker: DynamoBatchTracker) -> None:
    assert tracker.reset("fresh") == 1


def test_list_batches_returns_every_batch_sorted(tracker: DynamoBatchTracker) -> None:
    tracker.register_manifest("b2", ["x.jpg"])
    tracker.mark_settled("b1", "a.jpg", "succeeded")
    assert [state.batch_id for state in tracker.list_batches()] == ["b1", "b2"]


def test_idempotency_store_points_at_the_table() -> None:
    layer = idempotency_store("udemy-pipeline-idempotency")
    assert layer.table_name == "udemy-pipeline-idempotency"
    assert layer.key_attr == "id"
    assert layer.expiry_attr == "expiration"


def test_a_claim_whose_builder_was_killed_is_taken_again_after_its_lease(tracker: DynamoBatchTracker) -> None:
    # Given a settled batch whose gold builder took the claim and died (lease over, gold not done)
    tracker.register_manifest("b1", ["a.jpg"])
    tracker.mark_settled("b1", "a.jpg", "succeeded")
    assert tracker.try_claim_gold("b1", 1, -1.0)

    # When the redelivered message asks again, then once more
    retaken = tracker.try_claim_gold("b1", 1, LEASE)
    again = tracker.try_claim_gold("b1", 1, LEASE)

    # Then exactly the first of them gets it; once gold is done, an expired lease gives nothing
    assert (retaken, again) == (True, False)
    tracker.mark_gold_done("b1", 1)
    assert tracker.try_claim_gold("b1", 1, -1.0) is False


def test_serving_table_publish_replaces_the_served_aggregates() -> None:
    # Given a serving table that already serves an owner who is no longer in gold
    ddb = boto3.client("dynamodb", region_name=REGION)
    ddb.create_table(
        TableName="serving",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    serving = DynamoServingTable("serving", ddb)
    serving.publish({"owner_stats": [{"owner": "Old", "period": "all", "completed_year": None, "total_courses": 1}]})

    # When gold publishes its new aggregates
    served = serving.publish(
        {
            "owner_stats": [
                {"owner": "Ana", "period": "2024", "completed_year": 2024, "total_courses": 2, "total_hours": 12.5},
                {"owner": "Ana", "period": "all", "completed_year": None, "total_courses": 2, "total_hours": 12.5},
            ],
            "instructor_stats": [
                {"owner": "Ana", "instructor_name": "Abdul Bari", "total_courses": 1, "total_hours": 10.0}
            ],
        }
    )

    # Then exactly the new rows are served, typed
    items = {(i["pk"]["S"], i["sk"]["S"]): i for i in ddb.scan(TableName="serving")["Items"]}
    assert served == 3
    assert set(items) == {
        ("owner#Ana", "period#2024"),
        ("owner#Ana", "period#all"),
        ("owner#Ana", "instructor#Abdul Bari"),
    }
    assert items[("owner#Ana", "period#all")]["total_hours"] == {"N": "12.5"}
    assert items[("owner#Ana", "period#all")]["completed_year"] == {"NULL": True}
