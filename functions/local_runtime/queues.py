"""Durable per-stage queues with SQS semantics: visibility timeout, receive count, DLQ, redrive."""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from dataclasses import dataclass

from contracts.routing import load_routing
from functions.local_runtime.db import transaction

DLQ_SUFFIX = "-dlq"


@dataclass(frozen=True)
class Message:
    message_id: str
    receipt: str
    body: str
    receive_count: int
    sent_at: float


@dataclass(frozen=True)
class DeadLetter:
    queue: str
    message_id: str
    body: str
    receive_count: int
    last_error: str | None


class LocalQueues:
    def __init__(self, con: sqlite3.Connection, *, shuffle: bool = False) -> None:
        self._con = con
        self._shuffle = shuffle
        self._routing = load_routing()

    def send(self, queue: str, body: str, *, delay: float = 0.0) -> str:
        message_id = str(uuid.uuid4())
        now = time.time()
        self._con.execute(
            "insert into messages (queue, message_id, body, sent_at, visible_at) values (?, ?, ?, ?, ?)",
            (queue, message_id, body, now, now + delay),
        )
        return message_id

    def receive(
        self, queue: str, max_messages: int, visibility_timeout: float, holder: int | None = None
    ) -> list[Message]:
        """Take up to ``max_messages`` visible messages. A message received ``max_receive_count`` times
        goes to the queue's DLQ instead, as SQS's redrive policy does."""
        max_receive = self._routing.queues[queue].max_receive_count
        order = "random()" if self._shuffle else "id"
        now = time.time()
        out: list[Message] = []
        with transaction(self._con) as con:
            rows = con.execute(
                f"select id, message_id, body, receive_count, sent_at from messages "
                f"where queue = ? and visible_at <= ? order by {order} limit ?",
                (queue, now, max_messages * 4),
            ).fetchall()
            for row_id, message_id, body, count, sent_at in rows:
                if count >= max_receive:
                    con.execute(
                        "update messages set queue = ?, visible_at = ?, receipt = null where id = ?",
                        (queue + DLQ_SUFFIX, now, row_id),
                    )
                    continue
                if len(out) == max_messages:
                    break
                receipt = str(uuid.uuid4())
                con.execute(
                    "update messages set receive_count = receive_count + 1, visible_at = ?, receipt = ?, holder = ? "
                    "where id = ?",
                    (now + visibility_timeout, receipt, holder, row_id),
                )
                out.append(Message(message_id, receipt, body, count + 1, sent_at))
        if self._shuffle:
            random.shuffle(out)
        return out

    def delete(self, receipt: str) -> None:
        self._con.execute("delete from messages where receipt = ?", (receipt,))

    def fail(self, receipt: str, error: str, retry_in: float) -> None:
        """The handler reported this message failed: keep it, retry after ``retry_in`` seconds."""
        self._con.execute(
            "update messages set visible_at = ?, last_error = ?, receipt = null where receipt = ?",
            (time.time() + retry_in, error[:2000], receipt),
        )

    def release_held_by(self, holder: int, error: str) -> int:
        """A worker process died: what it held is visible again at once, with the cause recorded.
        (Lambda would wait for the visibility timeout; nothing else differs.)"""
        cur = self._con.execute(
            "update messages set visible_at = ?, receipt = null, holder = null, last_error = ? "
            "where holder = ? and receipt is not null",
            (time.time(), error, holder),
        )
        return cur.rowcount

    def release_in_flight(self) -> int:
        """Crash recovery: make every received-but-unfinished message visible again at once."""
        cur = self._con.execute(
            "update messages set visible_at = ?, receipt = null where receipt is not null", (time.time(),)
        )
        return cur.rowcount

    def depth(self, queue: str) -> tuple[int, int]:
        """(visible or delayed, in flight) messages of a queue."""
        visible, in_flight = self._con.execute(
            "select coalesce(sum(receipt is null), 0), coalesce(sum(receipt is not null), 0) "
            "from messages where queue = ?",
            (queue,),
        ).fetchone()
        return int(visible), int(in_flight)

    def next_visible_in(self, queues: list[str]) -> float | None:
        """Seconds until the next message of these queues becomes visible (None: all empty)."""
        marks = ",".join("?" * len(queues))
        row = self._con.execute(
            f"select min(visible_at) from messages where queue in ({marks})", tuple(queues)
        ).fetchone()
        return None if row[0] is None else max(0.0, row[0] - time.time())

    def dead_letters(self, queue: str | None = None) -> list[DeadLetter]:
        rows = self._con.execute(
            "select queue, message_id, body, receive_count, last_error from messages where queue like ? order by id",
            (f"{queue}{DLQ_SUFFIX}" if queue else f"%{DLQ_SUFFIX}",),
        ).fetchall()
        return [DeadLetter(q[: -len(DLQ_SUFFIX)], m, b, c, e) for q, m, b, c, e in rows]

    def redrive(self, queue: str | None = None) -> int:
        """Move dead letters back to their source queues with a fresh receive count."""
        moved = 0
        with transaction(self._con) as con:
            for stage in [queue] if queue else list(self._routing.queues):
                cur = con.execute(
                    "update messages set queue = ?, receive_count = 0, visible_at = ?, receipt = null where queue = ?",
                    (stage, time.time(), stage + DLQ_SUFFIX),
                )
                moved += cur.rowcount
        return moved
