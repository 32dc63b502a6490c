"""The batch tracker on SQLite, with the same conditional-write semantics as the DynamoDB one."""

from __future__ import annotations

import json
import sqlite3
import time

from functions.local_runtime.db import transaction
from functions.shared.ports import TrackerState

_COLUMNS = "batch_id, generation, expected, settled, claimed_generation, done_generation"


def _state(row: tuple[str, int, str | None, str, int, int]) -> TrackerState:
    batch_id, generation, expected, settled, claimed, done = row
    return TrackerState(
        batch_id=batch_id,
        generation=generation,
        expected=None if expected is None else json.loads(expected),
        settled=json.loads(settled),
        gold_claimed=claimed == generation,
        gold_done=done == generation,
    )


class LocalBatchTracker:
    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    def _ensure(self, con: sqlite3.Connection, batch_id: str) -> None:
        con.execute("insert or ignore into tracker (batch_id, generation) values (?, 1)", (batch_id,))

    def _read(self, con: sqlite3.Connection, batch_id: str) -> TrackerState | None:
        row = con.execute(f"select {_COLUMNS} from tracker where batch_id = ?", (batch_id,)).fetchone()
        return None if row is None else _state(row)

    def register_manifest(self, batch_id: str, files: list[str]) -> TrackerState:
        with transaction(self._con) as con:
            self._ensure(con, batch_id)
            con.execute("update tracker set expected = ? where batch_id = ?", (json.dumps(files), batch_id))
            state = self._read(con, batch_id)
        assert state is not None
        return state

    def mark_settled(self, batch_id: str, item: str, outcome: str) -> TrackerState:
        with transaction(self._con) as con:
            self._ensure(con, batch_id)
            (settled,) = con.execute("select settled from tracker where batch_id = ?", (batch_id,)).fetchone()
            current = json.loads(settled)
            current[item] = outcome
            con.execute(
                "update tracker set settled = ? where batch_id = ?", (json.dumps(current, sort_keys=True), batch_id)
            )
            state = self._read(con, batch_id)
        assert state is not None
        return state

    def try_claim_gold(self, batch_id: str, generation: int, lease_seconds: float) -> bool:
        now = time.time()
        cur = self._con.execute(
            "update tracker set claimed_generation = ?, claim_expires_at = ? "
            "where batch_id = ? and generation = ? "
            "and (claimed_generation < ? or (done_generation < ? and claim_expires_at < ?))",
            (generation, now + lease_seconds, batch_id, generation, generation, generation, now),
        )
        return cur.rowcount == 1

    def release_claim(self, batch_id: str, generation: int) -> None:
        self._con.execute(
            "update tracker set claimed_generation = ? "
            "where batch_id = ? and claimed_generation = ? and done_generation < ?",
            (generation - 1, batch_id, generation, generation),
        )

    def mark_gold_done(self, batch_id: str, generation: int) -> None:
        self._con.execute(
            "update tracker set done_generation = ? where batch_id = ? and generation = ?",
            (generation, batch_id, generation),
        )

    def get(self, batch_id: str) -> TrackerState | None:
        return self._read(self._con, batch_id)

    def reset(self, batch_id: str) -> int:
        with transaction(self._con) as con:
            self._ensure(con, batch_id)
            con.execute(
                "update tracker set generation = generation + 1, settled = '{}' where batch_id = ?", (batch_id,)
            )
            state = self._read(con, batch_id)
        assert state is not None
        return state.generation

    def list_batches(self) -> list[TrackerState]:
        rows = self._con.execute(f"select {_COLUMNS} from tracker order by batch_id").fetchall()
        return [_state(row) for row in rows]

    def release_unfinished_claims(self) -> int:
        """Crash recovery: a claim whose gold build never finished belongs to a dead worker."""
        cur = self._con.execute(
            "update tracker set claimed_generation = generation - 1 "
            "where claimed_generation = generation and done_generation < generation"
        )
        return cur.rowcount
