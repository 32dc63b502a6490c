"""The four Lambda handlers with the AWS adapters on moto, invoked one after the other as on Lambda.

moto emits no EventBridge events for S3 writes here, so each test builds the next stage's SQS batch
itself from the object the previous stage wrote (its key and the ETag S3 reports for it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from contracts import keys
from contracts.records import BatchManifest, ManifestFile
from functions.enrich.handler import handler as enrich_handler
from functions.gold.handler import handler as gold_handler
from functions.ocr.handler import handler as ocr_handler
from functions.samples.generator import generate
from functions.shared import dal
from functions.silver.handler import handler as silver_handler
from tests.builders import LambdaContext, s3_event, sqs_batch

REGION = "us-east-1"
BUCKET = "udemy-pipeline-moto"
TRACKER_TABLE = "udemy-pipeline-tracker-moto"
IDEMPOTENCY_TABLE = "udemy-pipeline-idempotency-moto"
SERVING_TABLE = "udemy-pipeline-serving-moto"
BATCH = "b1"


@dataclass
class Aws:
    s3: Any
    ddb: Any


def _clear_process_caches() -> None:
    dal.get_adapters.cache_clear()
    dal.settings_from_env.cache_clear()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, aws_credentials: str) -> Iterator[Aws]:
    """A Lambda-like environment on moto: bucket (versioned), tracker and idempotency tables."""
    for name, value in {
        "UDEMY_PIPELINE_RUNTIME": "aws",
        "UDEMY_PIPELINE_BUCKET": BUCKET,
        "UDEMY_PIPELINE_TRACKER_TABLE": TRACKER_TABLE,
        "UDEMY_PIPELINE_IDEMPOTENCY_TABLE": IDEMPOTENCY_TABLE,
        "UDEMY_PIPELINE_SERVING_TABLE": SERVING_TABLE,
    }.items():
        monkeypatch.setenv(name, value)
    _clear_process_caches()
    try:
        with mock_aws():
            s3 = boto3.client("s3", region_name=REGION)
            s3.create_bucket(Bucket=BUCKET)
            s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
            ddb = boto3.client("dynamodb", region_name=REGION)
            for table, pk in ((TRACKER_TABLE, "batch_id"), (IDEMPOTENCY_TABLE, "id")):
                ddb.create_table(
                    TableName=table,
                    KeySchema=[{"AttributeName": pk, "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": pk, "AttributeType": "S"}],
                    BillingMode="PAY_PER_REQUEST",
                )
            ddb.create_table(
                TableName=SERVING_TABLE,
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                AttributeDefinitions=[
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "S"},
                ],
                BillingMode="PAY_PER_REQUEST",
            )
            yield Aws(s3=s3, ddb=ddb)
    finally:
        _clear_process_caches()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two generated certificates (JPG), made once for the module."""
    out = tmp_path_factory.mktemp("moto-certificates")
    generate(out, 2, seed=7)
    files = sorted(out.glob("*.jpg"))
    assert len(files) == 2
    return files


# --- helpers -----------------------------------------------------------------------------------


def put(aws: Aws, key: str, body: bytes) -> dict[str, Any]:
    """Write an object with boto3, as a user's upload would; its S3 event (SQS-free form)."""
    response = aws.s3.put_object(Bucket=BUCKET, Key=key, Body=body)
    return s3_event(BUCKET, key, etag=response["ETag"].strip('"'), size=len(body))


def event_of(aws: Aws, key: str) -> dict[str, Any]:
    """The event S3 would emit for the object a stage just wrote (EventBridge is not wired on moto)."""
    head = aws.s3.head_object(Bucket=BUCKET, Key=key)
    return s3_event(BUCKET, key, etag=head["ETag"].strip('"'), size=int(head["ContentLength"]))


def exists(aws: Aws, key: str) -> bool:
    return any(obj["Key"] == key for obj in aws.s3.list_objects_v2(Bucket=BUCKET, Prefix=key).get("Contents", []))


def versions(aws: Aws, key: str) -> list[dict[str, Any]]:
    listing = aws.s3.list_object_versions(Bucket=BUCKET, Prefix=key)
    return [v for v in listing.get("Versions", []) if v["Key"] == key]


def failures(response: dict[str, Any]) -> list[str]:
    return [failure["itemIdentifier"] for failure in response.get("batchItemFailures", [])]


def invoke(handler: Any, *events: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Invoke ``handler`` with one SQS batch of ``events``; (response, message ids in order)."""
    batch = sqs_batch(*events)
    response = handler(batch, LambdaContext())
    return response, [record["messageId"] for record in batch["Records"]]


def manifest_bytes(batch_id: str, files: list[Path]) -> bytes:
    manifest = BatchManifest(
        batch_id=batch_id,
        files=[
            ManifestFile(name=path.name, sha256=hashlib.sha256(path.read_bytes()).hexdigest(), size=path.stat().st_size)
            for path in files
        ],
        expected_count=len(files),
    )
    return manifest.model_dump_json(indent=2).encode()


# --- the pipeline, stage by stage ----------------------------------------------------------------


def test_a_batch_flows_through_all_four_handlers_into_gold(aws: Aws, certificates: list[Path]) -> None:
    # Given two certificates landed and their manifest written last
    names = [path.name for path in certificates]
    landing_events = [put(aws, keys.landing(BATCH, path.name), path.read_bytes()) for path in certificates]
    manifest_event = put(aws, keys.manifest(BATCH), manifest_bytes(BATCH, certificates))

    # When the OCR function gets the landing events
    response, _ = invoke(ocr_handler, *landing_events)

    # Then every file has its bronze record, which names the landed object version it was read from
    assert failures(response) == []
    bronze_keys = [keys.bronze_certificate(BATCH, name) for name in names]
    for key, landed in zip(bronze_keys, landing_events, strict=True):
        assert exists(aws, key)
        bronze = json.loads(aws.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        assert bronze["source_key"] == landed["detail"]["object"]["key"]
        assert bronze["source_etag"] == landed["detail"]["object"]["etag"]

    # When enrich gets the bronze writes
    response, _ = invoke(enrich_handler, *[event_of(aws, key) for key in bronze_keys])

    # Then every certificate has its enrichment link (no catalog: certificate-only)
    assert failures(response) == []
    enrichment_keys = [keys.enrichment(BATCH, name) for name in names]
    for key in enrichment_keys:
        link = json.loads(aws.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        assert link["status"] == "certificate_only"

    # When silver gets the enrichment writes
    response, _ = invoke(silver_handler, *[event_of(aws, key) for key in enrichment_keys])

    # Then every certificate has its silver row
    assert failures(response) == []
    silver_keys = [keys.silver_certificate(BATCH, name) for name in names]
    assert all(exists(aws, key) for key in silver_keys)
    assert not exists(aws, "gold/")

    # When gold gets the manifest and the silver writes
    response, _ = invoke(gold_handler, manifest_event, *[event_of(aws, key) for key in silver_keys])

    # Then gold is published and the tracker says generation 1 is done, every file succeeded
    assert failures(response) == []
    for key in ("gold/warehouse.duckdb", "gold/dashboard/index.html", "gold/tables/fact_certificate.parquet"):
        assert exists(aws, key), key
    item = aws.ddb.get_item(TableName=TRACKER_TABLE, Key={"batch_id": {"S": BATCH}}, ConsistentRead=True)["Item"]
    assert item["generation"] == {"N": "1"}
    assert item["claimed_generation"] == {"N": "1"}
    assert item["done_generation"] == {"N": "1"}
    assert sorted(item["succeeded_items"]["SS"]) == sorted(names)
    assert "quarantined_items" not in item
    assert [value["S"] for value in item["expected"]["L"]] == names

    # And the serving table holds each owner's all-years row, as gold counts it
    served = aws.ddb.scan(TableName=SERVING_TABLE)["Items"]
    all_years = [i for i in served if i["sk"]["S"] == "period#all"]
    assert sum(int(i["total_courses"]["N"]) for i in all_years) == len(names)
    assert {i["kind"]["S"] for i in served} == {"owner_stats", "instructor_stats"}


def test_a_duplicate_ocr_delivery_does_not_write_bronze_again(aws: Aws, certificates: list[Path]) -> None:
    # Given a landed certificate that OCR already turned into bronze
    path = certificates[0]
    landed = put(aws, keys.landing(BATCH, path.name), path.read_bytes())
    bronze_key = keys.bronze_certificate(BATCH, path.name)
    response, _ = invoke(ocr_handler, landed)
    assert failures(response) == []
    first = versions(aws, bronze_key)
    assert len(first) == 1

    # When the same object version is delivered again under a new event id (at-least-once delivery)
    duplicate = json.loads(json.dumps(landed))
    duplicate["id"] = "another-event-id"
    assert duplicate["detail"]["object"] == landed["detail"]["object"]
    response, _ = invoke(ocr_handler, duplicate)

    # Then it is acknowledged and bronze is not written a second time
    assert failures(response) == []
    assert versions(aws, bronze_key) == first

    # And the one idempotency record of that work is completed, in DynamoDB
    records = aws.ddb.scan(TableName=IDEMPOTENCY_TABLE)["Items"]
    assert [record["status"]["S"] for record in records] == ["COMPLETED"]


def test_an_empty_landing_file_is_quarantined_not_retried(aws: Aws) -> None:
    # Given a zero-byte file in landing
    landed = put(aws, keys.landing(BATCH, "empty.jpg"), b"")

    # When OCR gets it
    response, _ = invoke(ocr_handler, landed)

    # Then the message is acknowledged, and the file is settled by a quarantine record with its reason
    assert failures(response) == []
    record = json.loads(aws.s3.get_object(Bucket=BUCKET, Key=keys.quarantine(BATCH, "empty.jpg"))["Body"].read())
    assert record["reason_code"] == "empty_file"
    assert record["stage"] == "ocr"
    assert record["source_key"] == keys.landing(BATCH, "empty.jpg")
    assert not exists(aws, keys.bronze_certificate(BATCH, "empty.jpg"))


def test_a_missing_source_object_fails_only_its_own_record(aws: Aws, certificates: list[Path]) -> None:
    # Given one landed certificate, and an event for an object that is not there (yet)
    path = certificates[1]
    good = put(aws, keys.landing(BATCH, path.name), path.read_bytes())
    missing = s3_event(BUCKET, keys.landing(BATCH, "missing.jpg"), etag="d41d8cd98f00b204e9800998ecf8427e")

    # When both arrive in one SQS batch
    response, (missing_id, good_id) = invoke(ocr_handler, missing, good)

    # Then only the missing object's message goes back to the queue; the good one is done
    assert failures(response) == [missing_id]
    assert good_id not in failures(response)
    assert exists(aws, keys.bronze_certificate(BATCH, path.name))
    assert not exists(aws, keys.bronze_certificate(BATCH, "missing.jpg"))
    assert not exists(aws, keys.quarantine(BATCH, "missing.jpg"))

    # And the failed attempt left no idempotency record behind, so the retry will do the work
    records = aws.ddb.scan(TableName=IDEMPOTENCY_TABLE)["Items"]
    assert [record["status"]["S"] for record in records] == ["COMPLETED"]
