"""Gold: every silver row of every batch -> fact and stats tables, a DuckDB warehouse and a dashboard.

The models are ``sql/gold/*``, run in an in-memory DuckDB over the silver Parquet files. Everything
written is a function of the silver rows only (no clock), so a rebuild from the same silver gives the
same tables and the same Parquet bytes. Each file is written under a temporary name, then renamed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from functions.gold.dashboard import DashboardData, render_dashboard
from functions.shared import sql
from functions.silver.build import PARQUET_OPTIONS, stage_silver

GOLD_TABLES = tuple(sql.relation_name(model) for model in sql.GOLD_MODELS)
WAREHOUSE_TABLES = ("silver_certificates", *GOLD_TABLES)
SILVER_ORDER = "batch_id, item"


@dataclass(frozen=True)
class GoldResult:
    """Row count per gold table and every file written (absolute paths under ``out_dir``)."""

    out_dir: Path
    tables: dict[str, int]
    files: list[Path] = field(default_factory=list)
    # The aggregates a serving store holds: owner_stats and instructor_stats rows.
    stats: dict[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)

    def relative_files(self) -> list[str]:
        return [p.relative_to(self.out_dir).as_posix() for p in self.files]


def silver_files(silver_dir: Path) -> list[Path]:
    """Every silver Parquet file under ``silver_dir`` (``batch=<id>/<item>.parquet``), in a fixed order."""
    if not silver_dir.is_dir():
        return []
    return sorted((p for p in silver_dir.glob("**/*.parquet") if p.is_file()), key=lambda p: p.as_posix())


def load_silver(con: duckdb.DuckDBPyConnection, files: list[Path]) -> int:
    """Create ``silver_certificates`` with the silver model's schema and fill it from the files.

    The empty table comes from running the bronze and silver models over empty raw relations, so
    zero files still give a table with the right columns and types.
    """
    stage_silver(con, [], [], [])
    for view in sql.BRONZE_MODELS:
        con.execute(f"drop view if exists {sql.relation_name(view)}")
    for raw in sql.RAW_RELATIONS:
        con.execute(f"drop table if exists {raw}")
    if files:
        listing = "[" + ", ".join(sql.sql_string(str(p)) for p in files) + "]"
        con.execute(
            "insert into silver_certificates by name"
            f" select * from read_parquet({listing}, hive_partitioning = false, union_by_name = true)"
            f" order by {SILVER_ORDER}"
        )
    row = con.execute("select count(*) from silver_certificates").fetchone()
    return int(row[0]) if row else 0


def _replace(tmp: Path, final: Path) -> Path:
    os.replace(tmp, final)
    return final


def _copy_parquet(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    con.execute(f"copy (select * from {table}) to {sql.sql_string(str(tmp))} ({PARQUET_OPTIONS})")
    return _replace(tmp, path)


def _write_warehouse(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    con.execute(f"attach {sql.sql_string(str(tmp))} as warehouse")
    try:
        for table in WAREHOUSE_TABLES:
            con.execute(f"create table warehouse.{table} as select * from memory.main.{table}")
    finally:
        con.execute("detach warehouse")
    return _replace(tmp, path)


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[dict[str, Any]]:
    cursor = con.execute(f"select * from {table}")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def build_gold(silver_dir: Path, out_dir: Path, *, threads: int = 1, check: bool = True) -> GoldResult:
    """Rebuild every gold output from all silver files under ``silver_dir`` into ``out_dir``.

    Writes ``tables/<table>.parquet`` per gold table, ``warehouse.duckdb`` (gold tables plus
    ``silver_certificates``) and ``dashboard/index.html``. With ``check`` (the default) the models'
    checks run first and a broken check raises ``ModelCheckError`` before anything is written.
    """
    files = silver_files(silver_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="udemy-gold-") as tmp:
        con = sql.connect(threads=threads, work_dir=Path(tmp))
        try:
            load_silver(con, files)
            sql.run_models(con, sql.GOLD_MODELS)
            if check:
                sql.assert_checks(con, sql.GOLD_MODELS)
            counts: dict[str, int] = {}
            for table in GOLD_TABLES:
                row = con.execute(f"select count(*) from {table}").fetchone()
                counts[table] = int(row[0]) if row else 0
            written = [_copy_parquet(con, table, out_dir / "tables" / f"{table}.parquet") for table in GOLD_TABLES]
            written.append(_write_warehouse(con, out_dir / "warehouse.duckdb"))
            data = DashboardData(
                certificates=_rows(con, "fact_certificate"),
                owner_stats=_rows(con, "owner_stats"),
                instructor_stats=_rows(con, "instructor_stats"),
            )
        finally:
            con.close()
    dashboard = out_dir / "dashboard" / "index.html"
    dashboard.parent.mkdir(parents=True, exist_ok=True)
    tmp_html = dashboard.with_name(f".{dashboard.name}.tmp")
    tmp_html.write_text(render_dashboard(data), encoding="utf-8")
    written.append(_replace(tmp_html, dashboard))
    stats = {"owner_stats": data.owner_stats, "instructor_stats": data.instructor_stats}
    return GoldResult(out_dir=out_dir, tables=counts, files=written, stats=stats)
