"""Builders for the events and contexts the tests feed to handlers."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any


def s3_event(
    bucket: str, key: str, etag: str = "0123456789abcdef", size: int = 1, *, moto: bool = False
) -> dict[str, Any]:
    """An S3 "Object Created" event as EventBridge delivers it (``moto=True``: moto's ``eTag`` spelling)."""
    obj: dict[str, Any] = {"key": key, "size": size, "sequencer": "0062E99A88DC407460"}
    obj["eTag" if moto else "etag"] = etag
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": "123456789012",
        "time": "2026-11-29T12:00:00Z",
        "region": "us-east-1",
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": obj,
            "request-id": "N4N7GDK58NMKJ12R",
            "requester": "123456789012",
            "source-ip-address": "1.2.3.4",
            "reason": "PutObject",
        },
    }


def sqs_batch(*events: dict[str, Any], receive_count: int = 1) -> dict[str, Any]:
    """The SQS batch a Lambda event source mapping hands to a handler."""
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": f"handle-{i}",
                "body": json.dumps(event),
                "attributes": {
                    "ApproximateReceiveCount": str(receive_count),
                    "SentTimestamp": "1764417600000",
                    "ApproximateFirstReceiveTimestamp": "1764417600000",
                },
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:udemy-pipeline-ocr",
                "awsRegion": "us-east-1",
            }
            for i, event in enumerate(events)
        ]
    }


@dataclass
class LambdaContext:
    function_name: str = "udemy-pipeline-test"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:udemy-pipeline-test"
    aws_request_id: str = "52fdfc07-2182-154f-163f-5f0f9a621d72"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000
