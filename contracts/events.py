"""Event shapes: S3 "Object Created" as EventBridge delivers it, and the SQS batch that wraps it.

The S3 event follows AWS's documented EventBridge shape (``detail.object.etag``). moto spells the
field ``eTag``; both are accepted and the model always exposes ``etag``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class S3Bucket(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str


class S3Object(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    key: str
    size: int = 0
    etag: str = Field(default="", validation_alias=AliasChoices("etag", "eTag"))
    sequencer: str | None = None
    version_id: str | None = Field(default=None, alias="version-id")


class S3ObjectCreatedDetail(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    version: str = "0"
    bucket: S3Bucket
    object: S3Object
    request_id: str | None = Field(default=None, alias="request-id")
    requester: str | None = None
    reason: str | None = None


class S3ObjectCreatedEvent(BaseModel):
    """One S3 "Object Created" event on the EventBridge default bus."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    version: str = "0"
    id: str
    detail_type: Literal["Object Created"] = Field(alias="detail-type")
    source: Literal["aws.s3"]
    account: str
    time: datetime
    region: str
    resources: list[str] = Field(default_factory=list)
    detail: S3ObjectCreatedDetail

    @property
    def bucket(self) -> str:
        return self.detail.bucket.name

    @property
    def key(self) -> str:
        return self.detail.object.key

    @property
    def etag(self) -> str:
        return self.detail.object.etag.strip('"')

    def idempotency_key(self) -> str:
        """What makes a delivery the same work: the object version, never the event id."""
        return f"{self.bucket}/{self.key}@{self.etag}"

    def to_wire(self) -> dict[str, Any]:
        """The JSON shape EventBridge puts on the wire (AWS spelling, ``etag``)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class SqsAttributes(BaseModel):
    model_config = ConfigDict(extra="allow")

    ApproximateReceiveCount: str = "1"
    SentTimestamp: str = "0"
    ApproximateFirstReceiveTimestamp: str = "0"


class SqsRecord(BaseModel):
    """One SQS message as a Lambda event source mapping hands it over."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    messageId: str
    receiptHandle: str
    body: str
    attributes: SqsAttributes = Field(default_factory=SqsAttributes)
    messageAttributes: dict[str, Any] = Field(default_factory=dict)
    md5OfBody: str = ""
    eventSource: Literal["aws:sqs"] = "aws:sqs"
    eventSourceARN: str = ""
    awsRegion: str = ""

    def s3_event(self) -> S3ObjectCreatedEvent:
        return S3ObjectCreatedEvent.model_validate(json.loads(self.body))

    @property
    def receive_count(self) -> int:
        return int(self.attributes.ApproximateReceiveCount)


class SqsBatchEvent(BaseModel):
    Records: list[SqsRecord]


class BatchItemFailure(BaseModel):
    itemIdentifier: str


class PartialBatchResponse(BaseModel):
    batchItemFailures: list[BatchItemFailure] = Field(default_factory=list)
