"""The routing rules of ``contracts/routing.json`` deployed on moto: S3 -> EventBridge -> SQS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from contracts import keys
from contracts.events import S3ObjectCreatedEvent
from contracts.routing import STAGES, load_routing

REGION = "us-east-1"
BUCKET = "udemy-pipeline-routing"
OTHER_BUCKET = "someone-elses-bucket"


@pytest.fixture(autouse=True)
def aws(aws_credentials: str) -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def deployed() -> dict[str, Any]:
    """The bucket, one queue per stage, and one rule per stage built from routing.json."""
    s3 = boto3.client("s3", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    events = boto3.client("events", region_name=REGION)
    for bucket in (BUCKET, OTHER_BUCKET):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
    routing = load_routing()
    queue_urls: dict[str, str] = {}
    for stage in STAGES:
        rule = routing.rules[stage]
        url = sqs.create_queue(QueueName=f"udemy-pipeline-{rule.queue}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name=f"udemy-pipeline-{stage}", EventPattern=json.dumps(rule.pattern_for(BUCKET)))
        events.put_targets(Rule=f"udemy-pipeline-{stage}", Targets=[{"Id": "queue", "Arn": arn}])
        queue_urls[stage] = url
    return {"s3": s3, "sqs": sqs, "queues": queue_urls}


def drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


EXPECTED_STAGE = {
    keys.landing("b1", "a.jpg"): "ocr",
    keys.manifest("b1"): "gold",
    keys.bronze_certificate("b1", "a.jpg"): "enrich",
    keys.enrichment("b1", "a.jpg"): "silver",
    keys.silver_certificate("b1", "a.jpg"): "gold",
    keys.quarantine("b1", "x.png"): "gold",
    "gold/x.parquet": None,
}


def test_each_object_wakes_exactly_its_stage(deployed: dict[str, Any]) -> None:
    # Given the layout the pipeline writes (checked against contracts.keys)
    assert list(EXPECTED_STAGE)[:6] == [
        "landing/b1/a.jpg",
        "manifests/b1.json",
        "bronze/certificates/batch=b1/a.jpg.json",
        "bronze/enrichments/batch=b1/a.jpg.json",
        "silver/certificates/batch=b1/a.jpg.parquet",
        "quarantine/batch=b1/x.png.json",
    ]

    # When every object is written once
    for key in EXPECTED_STAGE:
        deployed["s3"].put_object(Bucket=BUCKET, Key=key, Body=f"body of {key}".encode())

    # Then each queue holds exactly the keys routed to its stage
    received = {stage: drain(deployed["sqs"], url) for stage, url in deployed["queues"].items()}
    for stage in STAGES:
        got = sorted(S3ObjectCreatedEvent.model_validate(body).key for body in received[stage])
        want = sorted(key for key, target in EXPECTED_STAGE.items() if target == stage)
        assert got == want, f"stage {stage}"

    # And every body is the S3 "Object Created" shape the handlers parse, with a real etag
    for bodies in received.values():
        for body in bodies:
            event = S3ObjectCreatedEvent.model_validate(body)
            assert event.bucket == BUCKET
            assert event.detail_type == "Object Created"
            assert len(event.etag) == 32
            assert event.detail.object.size == len(f"body of {event.key}")


def test_objects_of_another_bucket_wake_nothing(deployed: dict[str, Any]) -> None:
    # When the same layout lands in a bucket the rules do not name
    for key in EXPECTED_STAGE:
        deployed["s3"].put_object(Bucket=OTHER_BUCKET, Key=key, Body=b"x")

    # Then no stage hears about it
    assert {stage: drain(deployed["sqs"], url) for stage, url in deployed["queues"].items()} == {
        stage: [] for stage in STAGES
    }
