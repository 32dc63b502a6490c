"""Silver: one bronze certificate + its enrichment link (+ its course) -> one typed Parquet row.

The work is the SQL models (``sql/bronze/*``, ``sql/silver/certificates``) run in an in-memory
DuckDB; the Parquet bytes are the same for the same input records.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import duckdb

from contracts.records import BronzeCertificate, CoursePayload, EnrichmentLink, SilverRow
from functions.shared import sql
from functions.shared.errors import PermanentError

# Written out in full so the bytes never depend on DuckDB's defaults.
PARQUET_OPTIONS = "format parquet, compression zstd, compression_level 3, row_group_size 122880"


def stage_silver(
    con: duckdb.DuckDBPyConnection,
    bronze: Iterable[BronzeCertificate],
    links: Iterable[EnrichmentLink],
    courses: Iterable[CoursePayload],
) -> str:
    """Load the records as raw relations, run the bronze and silver models; return the silver relation."""
    sql.create_raw(con, "raw_bronze_certificates", (b.model_dump_json() for b in bronze))
    sql.create_raw(con, "raw_enrichments", (link.model_dump_json() for link in links))
    sql.create_raw(con, "raw_courses", (c.model_dump_json() for c in courses))
    sql.run_models(con, sql.BRONZE_MODELS, materialize="view")
    return sql.run_model(con, sql.SILVER_MODEL)


def _check_inputs(bronze: BronzeCertificate, link: EnrichmentLink, course: CoursePayload | None) -> None:
    if (link.batch_id, link.item) != (bronze.batch_id, bronze.item):
        raise PermanentError(
            "invalid_record",
            f"enrichment link {link.batch_id}/{link.item} does not belong to"
            f" certificate {bronze.batch_id}/{bronze.item}",
        )
    if course is not None and link.course_id is not None and course.id != link.course_id:
        raise PermanentError("invalid_record", f"course {course.id} is not the linked course {link.course_id}")


class _SilverSession:
    """One DuckDB connection per process with the bronze and silver models created once as views
    and the silver query prepared once (planning the model's views took ~9 ms of the ~12 ms a
    row cost); each certificate only swaps the raw rows, which leaves the plan valid, and the row
    is written from a plain table (a new connection per row cost ~20 ms more). Its temp dir
    goes when the process exits, so runs do not pile up directories in /tmp."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="udemy-silver-"))
        self.con = sql.connect(threads=1, work_dir=self.dir)
        atexit.register(self.close)
        # The three raw relations are views over one single-row table: one insert swaps them.
        self.con.execute("create table silver_input (bronze json, link json, course json)")
        raw_columns = {"raw_bronze_certificates": "bronze", "raw_enrichments": "link", "raw_courses": "course"}
        for raw, column in raw_columns.items():
            view = f"create view {raw} as select {column} as record from silver_input where {column} is not null"
            self.con.execute(view)
        sql.run_models(self.con, sql.BRONZE_MODELS, materialize="view")
        relation = sql.run_model(self.con, sql.SILVER_MODEL, materialize="view")
        self.con.execute(f"create table silver_row as select * from {relation} limit 0")
        self.con.execute(f"prepare fill_silver_row as insert into silver_row select * from {relation}")

    def build(self, bronze: BronzeCertificate, link: EnrichmentLink, course: CoursePayload | None) -> bytes:
        con = self.con
        con.execute("delete from silver_input")
        con.execute(
            "insert into silver_input values (?, ?, ?)",
            [
                bronze.model_dump_json(),
                link.model_dump_json(),
                course.model_dump_json() if course is not None else None,
            ],
        )
        con.execute("delete from silver_row")
        filled = con.execute("execute fill_silver_row").fetchone()
        if not filled or filled[0] != 1:
            rows = filled[0] if filled else 0
            raise PermanentError("invalid_record", f"silver model gave {rows} rows, expected 1")
        out = self.dir / "silver.parquet"
        con.execute(f"copy silver_row to {sql.sql_string(str(out))} ({PARQUET_OPTIONS})")
        return out.read_bytes()

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@lru_cache(maxsize=1)
def _session() -> _SilverSession:
    return _SilverSession()


def build_silver_parquet(bronze: BronzeCertificate, link: EnrichmentLink, course: CoursePayload | None) -> bytes:
    """The one-row silver Parquet file for this certificate, byte-identical for identical inputs."""
    _check_inputs(bronze, link, course)
    if course is not None and link.course_id is None:
        link = link.model_copy(update={"course_id": course.id})
    return _session().build(bronze, link, course)


def read_silver_rows(paths: Iterable[Path]) -> list[SilverRow]:
    """The rows of silver Parquet files, validated as ``SilverRow``, ordered by (batch_id, item)."""
    files = [str(p) for p in paths]
    if not files:
        return []
    with tempfile.TemporaryDirectory(prefix="udemy-silver-") as tmp:
        con = sql.connect(threads=1, work_dir=Path(tmp))
        try:
            listing = "[" + ", ".join(sql.sql_string(f) for f in files) + "]"
            cursor = con.execute(
                f"select * from read_parquet({listing}, hive_partitioning = false, filename = false)"
                " order by batch_id, item"
            )
            names = [d[0] for d in cursor.description]
            return [SilverRow.model_validate(dict(zip(names, values, strict=True))) for values in cursor.fetchall()]
        finally:
            con.close()
