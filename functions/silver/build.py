"""Silver: one bronze certificate + its enrichment link (+ its course) -> one typed Parquet row.

The work is the SQL models (``sql/bronze/*``, ``sql/silver/certificates``) run in an in-memory
DuckDB; the Parquet bytes are the same for the same input records.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
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


def build_silver_parquet(bronze: BronzeCertificate, link: EnrichmentLink, course: CoursePayload | None) -> bytes:
    """The one-row silver Parquet file for this certificate, byte-identical for identical inputs."""
    _check_inputs(bronze, link, course)
    if course is not None and link.course_id is None:
        link = link.model_copy(update={"course_id": course.id})
    with tempfile.TemporaryDirectory(prefix="udemy-silver-") as tmp:
        con = sql.connect(threads=1, work_dir=Path(tmp))
        try:
            relation = stage_silver(con, [bronze], [link], [course] if course is not None else [])
            row = con.execute(f"select count(*) from {relation}").fetchone()
            if not row or row[0] != 1:
                raise PermanentError("invalid_record", f"silver model gave {row[0] if row else 0} rows, expected 1")
            out = Path(tmp) / "silver.parquet"
            con.execute(f"copy (select * from {relation}) to {sql.sql_string(str(out))} ({PARQUET_OPTIONS})")
        finally:
            con.close()
        return out.read_bytes()


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
