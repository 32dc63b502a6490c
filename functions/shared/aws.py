"""AWS adapters of the ports: S3 as the ``ObjectStore``, DynamoDB as the ``BatchTracker``.

Infrastructure errors that may pass on a later try (throttling, 5xx, connection trouble) are
raised as ``TransientError`` so the queue retries; anything else propagates unchanged.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

from functions.shared.errors import TransientError
from functions.shared.ports import ObjectInfo, TrackerState

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")

SUCCEEDED = "succeeded"
QUARANTINED = "quarantined"
_SET_OF = {SUCCEEDED: "succeeded_items", QUARANTINED: "quarantined_items"}

_BOTO_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})

_TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "SlowDown",
        "TooManyRequestsException",
        "InternalServerError",
        "InternalError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "TransactionConflictException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def is_transient(exc: ClientError) -> bool:
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return error_code(exc) in _TRANSIENT_CODES or status >= 500


@contextmanager
def _transient_errors(what: str) -> Iterator[None]:
    """Turn throttling, 5xx and connection failures into ``TransientError``."""
    try:
        yield
    except ClientError as exc:
        if is_transient(exc):
            raise TransientError(f"{what}: {error_code(exc) or 'server error'}") from exc
        raise
    except (ConnectionError, HTTPClientError) as exc:
        raise TransientError(f"{what}: {exc}") from exc
    except BotoCoreError as exc:
        if "timeout" in type(exc).__name__.lower():
            raise TransientError(f"{what}: {exc}") from exc
        raise


def _call(what: str, fn: Callable[[], T]) -> T:
    with _transient_errors(what):
        return fn()


def _strip_etag(etag: str) -> str:
    return etag.strip('"')


class S3ObjectStore:
    """One S3 bucket. Every put is a write and so an "Object Created" event, identical bytes included."""

    def __init__(self, bucket: str, client: S3Client | None = None) -> None:
        self.bucket = bucket
        self._s3: S3Client = client or boto3.client("s3", config=_BOTO_CONFIG)

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> ObjectInfo:
        md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
        response = _call(
            f"put s3://{self.bucket}/{key}",
            lambda: self._s3.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type),
        )
        return ObjectInfo(key=key, size=len(data), etag=_strip_etag(response.get("ETag", md5)))

    def get_bytes(self, key: str) -> bytes:
        try:
            with _transient_errors(f"get s3://{self.bucket}/{key}"):
                response = self._s3.get_object(Bucket=self.bucket, Key=key)
                return response["Body"].read()
        except ClientError as exc:
            if error_code(exc) in {"NoSuchKey", "404", "NotFound"}:
                raise KeyError(key) from exc
            raise

    def head(self, key: str) -> ObjectInfo | None:
        try:
            response = _call(
                f"head s3://{self.bucket}/{key}", lambda: self._s3.head_object(Bucket=self.bucket, Key=key)
            )
        except ClientError as exc:
            if error_code(exc) in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return ObjectInfo(key=key, size=int(response.get("ContentLength", 0)), etag=_strip_etag(response["ETag"]))

    def list_keys(self, prefix: str) -> list[str]:
        keys: list[str] = []
        with _transient_errors(f"list s3://{self.bucket}/{prefix}"):
            for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
                keys.extend(obj["Key"] for obj in page.get("Contents", []))
        return sorted(keys)

    def download_prefix(self, prefix: str, dest: Path) -> Path:
        dest.mkdir(parents=True, exist_ok=True)
        for key in self.list_keys(prefix):
            relative = PurePosixPath(key[len(prefix) :].lstrip("/"))
            if not relative.parts or ".." in relative.parts or key.endswith("/"):
                continue  # a folder marker or a key that would escape ``dest``
            target = dest.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with _transient_errors(f"download s3://{self.bucket}/{key}"):
                self._s3.download_file(self.bucket, key, str(target))
        return dest


class DynamoBatchTracker:
    """The batch tracker on one DynamoDB table, one item per batch (pk ``batch_id``).

    Attributes: ``generation`` N, ``expected`` L of S, ``succeeded_items`` / ``quarantined_items``
    SS (updated with ``ADD``/``DELETE``), ``claimed_generation`` N, ``done_generation`` N.
    """

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self.table_name = table_name
        self._ddb: DynamoDBClient = client or boto3.client("dynamodb", config=_BOTO_CONFIG)

    def _update(self, batch_id: str, what: str, **kwargs: Any) -> dict[str, Any]:
        with _transient_errors(f"{what} {self.table_name}/{batch_id}"):
            response = self._ddb.update_item(
                TableName=self.table_name, Key={"batch_id": {"S": batch_id}}, ReturnValues="ALL_NEW", **kwargs
            )
        return dict(response.get("Attributes", {}))

    def register_manifest(self, batch_id: str, files: list[str]) -> TrackerState:
        item = self._update(
            batch_id,
            "register manifest",
            UpdateExpression="SET generation = if_not_exists(generation, :one), expected = :expected",
            ExpressionAttributeValues={":one": {"N": "1"}, ":expected": {"L": [{"S": name} for name in files]}},
        )
        return _state(item)

    def mark_settled(self, batch_id: str, item: str, outcome: str) -> TrackerState:
        if outcome not in _SET_OF:
            raise ValueError(f"unknown outcome {outcome!r}: expected {SUCCEEDED!r} or {QUARANTINED!r}")
        other = _SET_OF[QUARANTINED if outcome == SUCCEEDED else SUCCEEDED]
        attributes = self._update(
            batch_id,
            "mark settled",
            UpdateExpression=(
                f"SET generation = if_not_exists(generation, :one) ADD {_SET_OF[outcome]} :item DELETE {other} :item"
            ),
            ExpressionAttributeValues={":one": {"N": "1"}, ":item": {"SS": [item]}},
        )
        return _state(attributes)

    def try_claim_gold(self, batch_id: str, generation: int, lease_seconds: float) -> bool:
        now = time.time()
        return self._conditional(
            batch_id,
            "claim gold",
            UpdateExpression="SET claimed_generation = :g, claim_expires_at = :expires",
            ConditionExpression=(
                "generation = :g AND (attribute_not_exists(claimed_generation) OR claimed_generation < :g"
                " OR ((attribute_not_exists(done_generation) OR done_generation < :g) AND claim_expires_at < :now))"
            ),
            ExpressionAttributeValues={
                ":g": {"N": str(generation)},
                ":now": {"N": f"{now:.3f}"},
                ":expires": {"N": f"{now + lease_seconds:.3f}"},
            },
        )

    def release_claim(self, batch_id: str, generation: int) -> None:
        """Give back a claim whose gold build failed (only while that build is not done)."""
        self._conditional(
            batch_id,
            "release claim",
            UpdateExpression="SET claimed_generation = :previous",
            ConditionExpression=(
                "claimed_generation = :g AND (attribute_not_exists(done_generation) OR done_generation < :g)"
            ),
            ExpressionAttributeValues={":g": {"N": str(generation)}, ":previous": {"N": str(generation - 1)}},
        )

    def mark_gold_done(self, batch_id: str, generation: int) -> None:
        """Record that this generation's gold is built (a no-op once a replay started a newer one)."""
        self._conditional(
            batch_id,
            "mark gold done",
            UpdateExpression="SET done_generation = :g",
            ConditionExpression="generation = :g",
            ExpressionAttributeValues={":g": {"N": str(generation)}},
        )

    def _conditional(self, batch_id: str, what: str, **kwargs: Any) -> bool:
        """One conditional UpdateItem; False when the condition did not hold."""
        try:
            with _transient_errors(f"{what} {self.table_name}/{batch_id}"):
                self._ddb.update_item(TableName=self.table_name, Key={"batch_id": {"S": batch_id}}, **kwargs)
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get(self, batch_id: str) -> TrackerState | None:
        with _transient_errors(f"get {self.table_name}/{batch_id}"):
            response = self._ddb.get_item(
                TableName=self.table_name, Key={"batch_id": {"S": batch_id}}, ConsistentRead=True
            )
        item = response.get("Item")
        return _state(dict(item)) if item else None

    def reset(self, batch_id: str) -> int:
        item = self._update(
            batch_id,
            "reset",
            UpdateExpression=(
                "SET generation = if_not_exists(generation, :zero) + :one REMOVE succeeded_items, quarantined_items"
            ),
            ExpressionAttributeValues={":zero": {"N": "0"}, ":one": {"N": "1"}},
        )
        return int(item["generation"]["N"])

    def list_batches(self) -> list[TrackerState]:
        states: list[TrackerState] = []
        with _transient_errors(f"scan {self.table_name}"):
            for page in self._ddb.get_paginator("scan").paginate(TableName=self.table_name, ConsistentRead=True):
                states.extend(_state(dict(item)) for item in page.get("Items", []))
        return sorted(states, key=lambda state: state.batch_id)


class DynamoServingTable:
    """Gold aggregates for dashboards: one item per owner and period (``pk = owner#<owner>``,
    ``sk = period#<period>``) and per owner and instructor (``sk = instructor#<name>``). A publish
    replaces the whole set, so an aggregate that disappeared from gold disappears here too."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self.table_name = table_name
        self._ddb: DynamoDBClient = client or boto3.client("dynamodb", config=_BOTO_CONFIG)

    @staticmethod
    def items(stats: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
        out = []
        for row in stats.get("owner_stats", []):
            out.append({"pk": f"owner#{row['owner']}", "sk": f"period#{row['period']}", "kind": "owner_stats", **row})
        for row in stats.get("instructor_stats", []):
            sk = f"instructor#{row['instructor_name']}"
            out.append({"pk": f"owner#{row['owner']}", "sk": sk, "kind": "instructor_stats", **row})
        return out

    def publish(self, stats: Mapping[str, Sequence[Mapping[str, Any]]]) -> int:
        wanted = {(item["pk"], item["sk"]): item for item in self.items(stats)}
        stale = [key for key in self._keys() if key not in wanted]
        requests: list[Any] = [{"DeleteRequest": {"Key": {"pk": {"S": pk}, "sk": {"S": sk}}}} for pk, sk in stale] + [
            {"PutRequest": {"Item": {k: _attribute(v) for k, v in item.items()}}} for item in wanted.values()
        ]
        for start in range(0, len(requests), 25):
            self._write(requests[start : start + 25])
        return len(wanted)

    def _keys(self) -> list[tuple[str, str]]:
        keys: list[tuple[str, str]] = []
        kwargs: dict[str, Any] = {"TableName": self.table_name, "ProjectionExpression": "pk, sk"}
        while True:
            with _transient_errors(f"scan {self.table_name}"):
                page = self._ddb.scan(**kwargs)
            keys += [(item["pk"]["S"], item["sk"]["S"]) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return keys
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _write(self, requests: list[Any]) -> None:
        pending: Any = {self.table_name: requests}
        for attempt in range(8):
            with _transient_errors(f"write {self.table_name}"):
                response = self._ddb.batch_write_item(RequestItems=pending)
            pending = response.get("UnprocessedItems") or {}
            if not pending:
                return
            time.sleep(min(2.0, 0.05 * 2**attempt))
        raise TransientError(f"write {self.table_name}: items left unprocessed after retries")


def _attribute(value: Any) -> dict[str, Any]:
    """One DynamoDB attribute value for a gold cell (numbers as N, text as S, missing as NULL)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float | Decimal):
        return {"N": str(value)}
    return {"S": str(value)}


def _state(item: dict[str, Any]) -> TrackerState:
    generation = int(item.get("generation", {}).get("N", "1"))
    expected = [value["S"] for value in item["expected"]["L"]] if "expected" in item else None
    settled: dict[str, str] = {}
    for outcome, attribute in _SET_OF.items():
        for name in sorted(item.get(attribute, {}).get("SS", [])):
            settled.setdefault(name, outcome)
    claimed = item.get("claimed_generation", {}).get("N")
    done = item.get("done_generation", {}).get("N")
    return TrackerState(
        batch_id=item["batch_id"]["S"],
        generation=generation,
        expected=expected,
        settled=settled,
        gold_claimed=claimed is not None and int(claimed) == generation,
        gold_done=done is not None and int(done) == generation,
    )


def idempotency_store(table_name: str) -> DynamoDBPersistenceLayer:
    """Powertools' idempotency persistence on DynamoDB (pk ``id``, TTL on ``expiration``)."""
    return DynamoDBPersistenceLayer(table_name=table_name, key_attr="id", expiry_attr="expiration")
