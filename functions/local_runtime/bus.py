"""The local default event bus: archives every event, then routes it by the rules in
``contracts/routing.json`` to the stage queues, like EventBridge rules with SQS targets."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from contracts.routing import load_routing
from functions.local_runtime.db import transaction
from functions.local_runtime.patterns import matches
from functions.local_runtime.queues import LocalQueues


def object_created(
    bucket: str, key: str, size: int, etag: str, *, region: str, account: str, reason: str = "PutObject"
) -> dict[str, Any]:
    """The S3 "Object Created" event in the shape EventBridge delivers (AWS's spelling)."""
    now = datetime.now(UTC)
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": account,
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {"key": key, "size": size, "etag": etag, "sequencer": f"{time.time_ns():020X}"},
            "request-id": uuid.uuid4().hex[:16].upper(),
            "requester": account,
            "reason": reason,
        },
    }


class LocalEventBus:
    def __init__(self, con: sqlite3.Connection, queues: LocalQueues, bucket: str, *, duplicate: int = 1) -> None:
        self._con = con
        self._queues = queues
        self._duplicate = duplicate
        routing = load_routing()
        self._rules = [(rule.queue, rule.pattern_for(bucket)) for rule in routing.rules.values()]

    def route(self, event: dict[str, Any]) -> list[str]:
        return [queue for queue, pattern in self._rules if matches(pattern, event)]

    def publish(self, event: dict[str, Any], *, archive: bool = True) -> list[str]:
        """Archive and deliver one event; return the queues it went to."""
        body = json.dumps(event, separators=(",", ":"))
        targets = self.route(event)
        with transaction(self._con) as con:
            if archive:
                con.execute(
                    "insert into archive (event_id, event_time, archived_at, body) values (?, ?, ?, ?)",
                    (event["id"], event["time"], time.time(), body),
                )
            for queue in targets:
                for _ in range(self._duplicate):
                    self._queues.send(queue, body)
        return targets

    def archived(self, since: str, until: str) -> list[dict[str, Any]]:
        """Archived events whose ``time`` lies in [since, until) (ISO-8601 UTC strings)."""
        rows = self._con.execute(
            "select body from archive where event_time >= ? and event_time < ? order by seq", (since, until)
        ).fetchall()
        return [json.loads(body) for (body,) in rows]

    def replay(self, since: str, until: str, replay_name: str) -> int:
        """Re-deliver archived events of a time window, as an EventBridge archive replay does:
        the same events, marked with ``replay-name``, through the same rules, not archived again."""
        count = 0
        for event in self.archived(since, until):
            event["replay-name"] = replay_name
            if self.publish(event, archive=False):
                count += 1
        return count
