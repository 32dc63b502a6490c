"""Contracts: event shapes (AWS's and moto's), keys, manifests, and the routing rules as data."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from contracts import keys
from contracts.events import S3ObjectCreatedEvent, SqsBatchEvent
from contracts.records import BatchManifest, RunSummary
from contracts.routing import load_routing
from contracts.settings import Settings
from functions.local_runtime.patterns import matches
from tests.builders import s3_event, sqs_batch

BUCKET = "certs"


def test_s3_event_in_aws_shape_exposes_bucket_key_and_etag() -> None:
    event = S3ObjectCreatedEvent.model_validate(s3_event(BUCKET, "landing/b1/a.jpg", etag="abc"))
    assert (event.bucket, event.key, event.etag) == (BUCKET, "landing/b1/a.jpg", "abc")


def test_moto_spelling_of_etag_is_accepted() -> None:
    event = S3ObjectCreatedEvent.model_validate(s3_event(BUCKET, "landing/b1/a.jpg", etag="abc", moto=True))
    assert event.etag == "abc"


def test_idempotency_key_is_the_object_version_not_the_event_id() -> None:
    first = S3ObjectCreatedEvent.model_validate(s3_event(BUCKET, "landing/b1/a.jpg", etag="e1"))
    again = S3ObjectCreatedEvent.model_validate(s3_event(BUCKET, "landing/b1/a.jpg", etag="e1"))
    changed = S3ObjectCreatedEvent.model_validate(s3_event(BUCKET, "landing/b1/a.jpg", etag="e2"))
    assert first.id != again.id
    assert first.idempotency_key() == again.idempotency_key() != changed.idempotency_key()


def test_wire_shape_round_trips_with_aws_spelling() -> None:
    wire = S3ObjectCreatedEvent.model_validate(s3_event(BUCKET, "k", moto=True)).to_wire()
    assert wire["detail-type"] == "Object Created"
    assert "etag" in wire["detail"]["object"]


def test_sqs_batch_wraps_s3_events() -> None:
    batch = SqsBatchEvent.model_validate(sqs_batch(s3_event(BUCKET, "landing/b1/a.jpg"), receive_count=2))
    record = batch.Records[0]
    assert record.receive_count == 2
    assert record.s3_event().key == "landing/b1/a.jpg"


def test_other_events_are_rejected() -> None:
    event = s3_event(BUCKET, "k")
    event["detail-type"] = "Object Deleted"
    with pytest.raises(ValidationError):
        S3ObjectCreatedEvent.model_validate(event)


@pytest.mark.parametrize(
    ("key", "kind", "batch", "item"),
    [
        (keys.landing("b1", "a b.jpg"), "landing", "b1", "a b.jpg"),
        (keys.manifest("b1"), "manifest", "b1", None),
        (keys.bronze_certificate("b1", "a.jpg"), "bronze_certificates", "b1", "a.jpg"),
        (keys.enrichment("b1", "a.jpg"), "bronze_enrichments", "b1", "a.jpg"),
        (keys.silver_certificate("b1", "a.jpg"), "silver_certificates", "b1", "a.jpg"),
        (keys.quarantine("b1", "a.jpg"), "quarantine", "b1", "a.jpg"),
    ],
)
def test_keys_parse_back_to_what_built_them(key: str, kind: str, batch: str, item: str | None) -> None:
    parsed = keys.parse(key)
    assert (parsed.kind, parsed.batch_id, parsed.item) == (kind, batch, item)


@pytest.mark.parametrize("bad", ["", "-x", "a/b", "a" * 101, "é"])
def test_bad_batch_ids_are_refused_with_a_reason(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid batch id"):
        keys.check_batch_id(bad)


def test_foreign_keys_are_not_ours() -> None:
    with pytest.raises(ValueError):
        keys.parse("gold/tables/fact_certificate.parquet")


# Which stage each kind of key must wake (None: no stage).
ROUTES = {
    "landing/b1/a.jpg": "ocr",
    "landing/b1/notes.txt": "ocr",
    "manifests/b1.json": "gold",
    "bronze/certificates/batch=b1/a.jpg.json": "enrich",
    "bronze/courses/123.json": None,
    "bronze/enrichments/batch=b1/a.jpg.json": "silver",
    "silver/certificates/batch=b1/a.jpg.parquet": "gold",
    "quarantine/batch=b1/a.jpg.json": "gold",
    "gold/tables/fact_certificate.parquet": None,
}


@pytest.mark.parametrize(("key", "stage"), ROUTES.items())
def test_each_key_wakes_exactly_its_stage(key: str, stage: str | None) -> None:
    rules = load_routing().rules
    hits = [name for name, rule in rules.items() if matches(rule.pattern_for(BUCKET), s3_event(BUCKET, key))]
    assert hits == ([stage] if stage else [])


def test_rules_ignore_other_buckets() -> None:
    rule = load_routing().rules["ocr"]
    assert not matches(rule.pattern_for(BUCKET), s3_event("someone-else", "landing/b1/a.jpg"))


def test_every_stage_has_a_queue_setting() -> None:
    routing = load_routing()
    assert {rule.queue for rule in routing.rules.values()} == set(routing.queues)


def test_manifest_needs_real_hashes() -> None:
    with pytest.raises(ValidationError):
        BatchManifest.model_validate(
            {"batch_id": "b1", "files": [{"name": "a.jpg", "sha256": "x", "size": 1}], "expected_count": 1}
        )


def test_run_summary_keeps_its_json_contract() -> None:
    summary = RunSummary(
        batch_id="b1",
        files=2,
        succeeded=1,
        quarantined=1,
        dead_lettered=0,
        gold={"fact_certificate": 1},
        warehouse="/w.duckdb",
        dashboard="/d.html",
    )
    assert list(json.loads(json.dumps(summary.to_json_dict()))) == [
        "batch_id",
        "files",
        "succeeded",
        "quarantined",
        "dead_lettered",
        "gold",
        "warehouse",
        "dashboard",
    ]


def test_settings_come_from_the_lambda_environment() -> None:
    settings = Settings.from_env(
        {"UDEMY_PIPELINE_RUNTIME": "aws", "UDEMY_PIPELINE_BUCKET": "b", "UDEMY_PIPELINE_TRACKER_TABLE": "t"}
    )
    assert (settings.runtime, settings.bucket, settings.tracker_table) == ("aws", "b", "t")
    with pytest.raises(ValidationError):
        Settings.from_env({"UDEMY_PIPELINE_RUNTIME": "gcp"})
