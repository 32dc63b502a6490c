"""One SQLite file holds the local runtime's queues, event archive, tracker and idempotency state.

WAL mode lets worker processes read while one writes; ``BEGIN IMMEDIATE`` gives each write
transaction the whole database, which is what makes the conditional writes conditional.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
create table if not exists messages (
    id integer primary key autoincrement,
    queue text not null,
    message_id text not null,
    body text not null,
    sent_at real not null,
    visible_at real not null,
    receive_count integer not null default 0,
    receipt text,
    holder integer,
    last_error text
);
create index if not exists messages_by_queue on messages (queue, visible_at);
create table if not exists archive (
    seq integer primary key autoincrement,
    event_id text not null,
    event_time text not null,
    archived_at real not null,
    body text not null
);
create index if not exists archive_by_time on archive (event_time);
create table if not exists tracker (
    batch_id text primary key,
    generation integer not null,
    expected text,
    settled text not null default '{}',
    claimed_generation integer not null default 0,
    claim_expires_at real not null default 0,
    done_generation integer not null default 0
);
create table if not exists idempotency (
    id text primary key,
    expiration integer not null,
    in_progress_expiration integer,
    status text not null,
    data text,
    validation text
);
"""


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    con.execute("pragma journal_mode=wal")
    con.execute("pragma synchronous=normal")
    con.execute("pragma busy_timeout=60000")
    con.executescript(SCHEMA)
    _add_missing_columns(con)
    return con


# Columns added after a workdir's database may have been created: (table, column, declaration).
_LATER_COLUMNS = (
    ("messages", "holder", "integer"),
    ("tracker", "claim_expires_at", "real not null default 0"),
)


def _add_missing_columns(con: sqlite3.Connection) -> None:
    for table, column, declaration in _LATER_COLUMNS:
        present = {row[1] for row in con.execute(f"pragma table_info({table})")}
        if column not in present:
            con.execute(f"alter table {table} add column {column} {declaration}")


@contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that holds the database from its first statement (no lost updates)."""
    con.execute("begin immediate")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    else:
        con.execute("commit")
