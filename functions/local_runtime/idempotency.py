"""Powertools idempotency on SQLite: the same conditional put as its DynamoDB layer, so the
handlers' ``idempotent_function`` behaves the same on a laptop and on AWS."""

from __future__ import annotations

import sqlite3
import time

from aws_lambda_powertools.utilities.idempotency import BasePersistenceLayer
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyItemAlreadyExistsError,
    IdempotencyItemNotFoundError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

from functions.local_runtime.db import transaction

_INPROGRESS = "INPROGRESS"


class SqlitePersistenceLayer(BasePersistenceLayer):
    def __init__(self, con: sqlite3.Connection) -> None:
        super().__init__()
        self._con = con

    def _record(self, row: tuple[str, int, int | None, str, str | None, str | None]) -> DataRecord:
        key, expiration, in_progress, status, data, validation = row
        return DataRecord(
            idempotency_key=key,
            status=status,
            expiry_timestamp=expiration,
            in_progress_expiry_timestamp=in_progress,
            response_data=data or "",
            payload_hash=validation or "",
        )

    def _get_record(self, idempotency_key: str) -> DataRecord:
        row = self._con.execute(
            "select id, expiration, in_progress_expiration, status, data, validation from idempotency where id = ?",
            (idempotency_key,),
        ).fetchone()
        if row is None:
            raise IdempotencyItemNotFoundError
        return self._record(row)

    def _put_record(self, data_record: DataRecord) -> None:
        now = time.time()
        with transaction(self._con) as con:
            row = con.execute(
                "select id, expiration, in_progress_expiration, status, data, validation from idempotency where id = ?",
                (data_record.idempotency_key,),
            ).fetchone()
            if row is not None:
                old = self._record(row)
                expired = (old.expiry_timestamp or 0) < now
                stale = (
                    old.status == _INPROGRESS
                    and old.in_progress_expiry_timestamp is not None
                    and old.in_progress_expiry_timestamp < now * 1000
                )
                if not (expired or stale):
                    raise IdempotencyItemAlreadyExistsError(old_data_record=old)
            con.execute(
                "insert or replace into idempotency (id, expiration, in_progress_expiration, status, data, validation)"
                " values (?, ?, ?, ?, null, ?)",
                (
                    data_record.idempotency_key,
                    data_record.expiry_timestamp,
                    data_record.in_progress_expiry_timestamp,
                    data_record.status,
                    data_record.payload_hash or None,
                ),
            )

    def _update_record(self, data_record: DataRecord) -> None:
        self._con.execute(
            "update idempotency set status = ?, data = ?, expiration = ? where id = ?",
            (data_record.status, data_record.response_data, data_record.expiry_timestamp, data_record.idempotency_key),
        )

    def _delete_record(self, data_record: DataRecord) -> None:
        self._con.execute("delete from idempotency where id = ?", (data_record.idempotency_key,))
