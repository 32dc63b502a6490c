"""The SQL models, given rows -> expected rows: bronze staging + silver (through the silver builder)
and each gold model (through ``build_gold`` and directly in DuckDB), plus each model's checks."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from contracts.records import (
    BronzeCertificate,
    CertificateFields,
    CourseInstructor,
    CourseLocale,
    CoursePayload,
    EnrichmentLink,
    SilverRow,
)
from functions.gold.build import GOLD_TABLES, build_gold
from functions.shared import sql
from functions.shared.errors import PermanentError
from functions.silver.build import PARQUET_OPTIONS, build_silver_parquet, read_silver_rows, stage_silver

# ---------------------------------------------------------------- builders


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def bronze(
    batch_id: str = "b1", item: str = "a.jpg", confidence: dict[str, float] | None = None, **fields: Any
) -> BronzeCertificate:
    return BronzeCertificate(
        batch_id=batch_id,
        item=item,
        source_key=f"landing/{batch_id}/{item}",
        source_etag="etag",
        source_sha256=sha(f"{batch_id}/{item}"),
        media_type="image/jpeg",
        design="classic",
        language="en",
        engine="tesserocr",
        engine_version="5.3.0",
        fields=CertificateFields(**fields),
        confidence=confidence if confidence is not None else {"title": 0.95, "student": 0.9},
        raw_text="Certificate of completion",
    )


def link(batch_id: str = "b1", item: str = "a.jpg", course_id: int | None = 101, method: str = "api") -> EnrichmentLink:
    status = "certificate_only" if method == "certificate_only" else "matched"
    return EnrichmentLink.model_validate(
        {
            "batch_id": batch_id,
            "item": item,
            "bronze_key": f"bronze/certificates/batch={batch_id}/{item}.json",
            "method": method,
            "status": status,
            "course_id": None if method == "certificate_only" else course_id,
        }
    )


def course(course_id: int = 101, slug: str = "python-bootcamp", **overrides: Any) -> CoursePayload:
    values: dict[str, Any] = {
        "id": course_id,
        "title": "Python Bootcamp",
        "url": f"/course/{slug}/",
        "published_title": slug,
        "headline": "Learn Python",
        "is_paid": True,
        "is_practice_test_course": False,
        "content_info": "22 total hours",
        "locale": CourseLocale(locale="en_US", title="English (US)"),
        "visible_instructors": [CourseInstructor(title="Jose Portilla", display_name="Jose Portilla", job_title="x")],
    }
    values.update(overrides)
    return CoursePayload.model_validate(values)


def silver_row(**overrides: Any) -> SilverRow:
    """A silver row of an enriched certificate; override what the test is about."""
    values: dict[str, Any] = {
        "certificate_key": "UC-0001",
        "certificate_id": "UC-0001",
        "batch_id": "b1",
        "item": "a.jpg",
        "source_key": "landing/b1/a.jpg",
        "source_sha256": sha("b1/a.jpg"),
        "title": "Python Bootcamp",
        "instructors": ["Jose Portilla"],
        "student": "Ann Lee",
        "owner": "Ann Lee",
        "completed_on": date(2023, 5, 1),
        "completed_year": 2023,
        "length_hours": 22.0,
        "design": "classic",
        "language": "en",
        "ocr_confidence": 0.9,
        "course_id": 101,
        "course_url": "https://www.udemy.com/course/python-bootcamp/",
        "course_slug": "python-bootcamp",
        "course_title": "Python Bootcamp",
        "course_headline": "Learn Python",
        "course_language": "en",
        "is_paid": True,
        "is_practice_test": False,
        "enrichment_method": "api",
        "is_certificate_only": False,
    }
    values.update(overrides)
    if "certificate_id" in overrides and "certificate_key" not in overrides:
        cid = overrides["certificate_id"]
        values["certificate_key"] = cid if cid is not None else "sha256:" + values["source_sha256"]
    if "completed_on" in overrides and "completed_year" not in overrides:
        values["completed_year"] = overrides["completed_on"].year if overrides["completed_on"] else None
    if "enrichment_method" in overrides and "is_certificate_only" not in overrides:
        values["is_certificate_only"] = overrides["enrichment_method"] == "certificate_only"
    return SilverRow.model_validate(values)


def silver_connection(rows: list[SilverRow], threads: int = 1) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding ``silver_certificates`` (the silver model's schema) with these rows."""
    con = sql.connect(threads=threads)
    stage_silver(con, [], [], [])
    columns = list(SilverRow.model_fields)
    if rows:
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(
            f"insert into silver_certificates ({', '.join(columns)}) values ({placeholders})",
            [[getattr(r, c) for c in columns] for r in rows],
        )
    return con


def write_silver_files(silver_dir: Path, rows: list[SilverRow]) -> list[Path]:
    """One ``batch=<id>/<item>.parquet`` file per row, as the silver stage writes them."""
    paths = []
    con = silver_connection(rows)
    try:
        for r in rows:
            path = silver_dir / f"batch={r.batch_id}" / f"{r.item}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            con.execute(
                "copy (select * from silver_certificates where batch_id = ? and item = ?)"
                f" to {sql.sql_string(str(path))} ({PARQUET_OPTIONS})",
                [r.batch_id, r.item],
            )
            paths.append(path)
    finally:
        con.close()
    return paths


def fetch_dicts(con: duckdb.DuckDBPyConnection, query: str) -> list[dict[str, Any]]:
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def gold_connection(rows: list[SilverRow]) -> duckdb.DuckDBPyConnection:
    con = silver_connection(rows)
    sql.run_models(con, sql.GOLD_MODELS)
    return con


def failed_checks(con: duckdb.DuckDBPyConnection, models: list[str] | tuple[str, ...]) -> list[str]:
    return [f"{r.model}:{r.name}" for r in sql.run_checks(con, models) if not r.passed]


def silver_from_records(tmp_path: Path, b: BronzeCertificate, lk: EnrichmentLink, c: CoursePayload | None) -> SilverRow:
    path = tmp_path / f"{b.batch_id}-{b.item}.parquet"
    path.write_bytes(build_silver_parquet(b, lk, c))
    (row,) = read_silver_rows([path])
    return row


# ---------------------------------------------------------------- sql.py


def test_every_model_loads_and_has_checks() -> None:
    for model in (*sql.BRONZE_MODELS, sql.SILVER_MODEL, *sql.GOLD_MODELS):
        text = sql.load_model(model)
        assert text.rstrip().endswith("select * from final") or "select * from final\norder by" in text
        assert "grain" in text.lower()
        assert len(sql.load_checks(model)) >= 2, model
        for forbidden in ("now()", "current_timestamp", "current_date", "random()", "uuid()"):
            assert forbidden not in text.lower(), (model, forbidden)


def test_sql_dir_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "silver").mkdir()
    (tmp_path / "silver" / "certificates.sql").write_text("select 1 as one;\n")
    monkeypatch.setenv(sql.SQL_DIR_ENV, str(tmp_path))
    assert sql.sql_dir() == tmp_path
    assert sql.load_model("silver/certificates") == "select 1 as one"
    with pytest.raises(ValueError):
        sql.load_model("../etc/passwd")


def test_connection_keeps_its_files_under_the_work_dir(tmp_path: Path) -> None:
    con = sql.connect(threads=2, work_dir=tmp_path)
    settings = dict(
        con.execute(
            "select name, value from duckdb_settings()"
            " where name in ('threads', 'home_directory', 'extension_directory', 'temp_directory')"
        ).fetchall()
    )
    con.close()
    assert settings["threads"] == "2"
    for name in ("home_directory", "extension_directory", "temp_directory"):
        assert settings[name].startswith(str(tmp_path)), name


# ---------------------------------------------------------------- silver


def test_silver_standardises_an_enriched_certificate(tmp_path: Path) -> None:
    # Given an OCR'd certificate with messy text and a course payload in Udemy's api-2.0 shape
    decomposed = unicodedata.normalize("NFD", "José  Pérez")
    b = bronze(
        certificate_id=" uc-3F2A9B1C-0D4E-4F5A-8B6C-7D8E9F0A 1B2C ",
        title="  Python\u00a0 Bootcamp:\tfrom Zero ",
        instructors=["Jose   Portilla"],
        student=f" {decomposed} ",
        completed_on=date(2024, 2, 29),
        length_hours=None,
        length_text=None,
        confidence={"certificate_id": 0.81, "title": 0.97, "student": 0.88},
    )
    c = course(
        slug="complete-python-bootcamp",
        title=" Complete  Python Bootcamp ",
        published_title=None,
        url="/course/complete-python-bootcamp/",
        locale=CourseLocale(locale="pt_BR", title="Português"),
        content_info="22.5 total hours",
        visible_instructors=[
            CourseInstructor(title="Jose Portilla", display_name="Jose Portilla"),
            CourseInstructor(title="Pierian Training", display_name=None),
        ],
    )
    # When the silver model runs
    row = silver_from_records(tmp_path, b, link(course_id=c.id), c)
    # Then the row is standardised
    assert row == SilverRow(
        certificate_key="UC-3f2a9b1c-0d4e-4f5a-8b6c-7d8e9f0a1b2c",
        certificate_id="UC-3f2a9b1c-0d4e-4f5a-8b6c-7d8e9f0a1b2c",
        batch_id="b1",
        item="a.jpg",
        source_key="landing/b1/a.jpg",
        source_sha256=sha("b1/a.jpg"),
        title="Python Bootcamp: from Zero",
        instructors=["Jose Portilla", "Pierian Training"],
        student="José Pérez",
        owner="José Pérez",
        completed_on=date(2024, 2, 29),
        completed_year=2024,
        length_hours=22.5,
        design="classic",
        language="en",
        ocr_confidence=0.81,
        course_id=101,
        course_url="https://www.udemy.com/course/complete-python-bootcamp/",
        course_slug="complete-python-bootcamp",
        course_title="Complete Python Bootcamp",
        course_headline="Learn Python",
        course_language="pt",
        is_paid=True,
        is_practice_test=False,
        enrichment_method="api",
        is_certificate_only=False,
    )
    assert row.student == unicodedata.normalize("NFC", "José Pérez")


@pytest.mark.parametrize(
    ("read", "standard"),
    [
        ("UC-2BDA7712-1E84-449C-911A-8404E33C37F1", "UC-2bda7712-1e84-449c-911a-8404e33c37f1"),
        ("2bda7712-1e84-449c-911a-8404e33c37f1", "UC-2bda7712-1e84-449c-911a-8404e33c37f1"),
        ("UC-GUVO2KFV", "UC-GUVO2KFV"),  # the old design's short ids are upper-case: keep them so
        ("uc-guvo2kfv", "UC-GUVO2KFV"),
    ],
)
def test_silver_writes_each_design_s_certificate_number_as_printed(tmp_path: Path, read: str, standard: str) -> None:
    row = silver_from_records(tmp_path, bronze(certificate_id=read), link(course_id=None), None)
    assert (row.certificate_id, row.certificate_key) == (standard, standard)


def test_silver_certificate_only_without_id_keys_on_content_hash(tmp_path: Path) -> None:
    b = bronze(
        certificate_id=None,
        title="Docker Deep Dive",
        instructors=[" Nigel  Poulton "],
        student=None,
        length_hours=None,
        length_text="Length 45 total mins",
        confidence={},
    )
    row = silver_from_records(tmp_path, b, link(method="certificate_only"), None)
    assert row.certificate_key == "sha256:" + b.source_sha256
    assert row.certificate_id is None
    assert row.owner == "unknown"
    assert row.instructors == ["Nigel Poulton"]
    assert row.length_hours == 0.75
    assert row.ocr_confidence == 0.0
    assert row.is_certificate_only is True
    assert row.enrichment_method == "certificate_only"
    assert (row.course_id, row.course_url, row.course_language, row.is_paid) == (None, None, None, None)


@pytest.mark.parametrize(
    ("length_hours", "length_text", "content_info", "expected"),
    [
        (3.5, "Length 2 total hours", "9 total hours", 3.5),  # parsed number wins
        (None, "Length 30 total mins", "9 total hours", 0.5),  # then the certificate's text
        (None, None, "1 hour 30 mins", 1.5),  # then the course's content_info
        (None, "unreadable", "1 total hour", 1.0),
        (None, None, None, None),
    ],
)
def test_silver_length_hours(
    tmp_path: Path,
    length_hours: float | None,
    length_text: str | None,
    content_info: str | None,
    expected: float | None,
) -> None:
    b = bronze(certificate_id="UC-1", length_hours=length_hours, length_text=length_text)
    row = silver_from_records(tmp_path, b, link(), course(content_info=content_info))
    assert row.length_hours == expected


def test_silver_parquet_is_byte_identical_and_typed(tmp_path: Path) -> None:
    b, lk, c = bronze(certificate_id="UC-1", completed_on=date(2023, 1, 2)), link(), course()
    first, second = build_silver_parquet(b, lk, c), build_silver_parquet(b, lk, c)
    assert first == second
    path = tmp_path / "one.parquet"
    path.write_bytes(first)
    con = sql.connect()
    types = dict(con.execute(f"select column_name, column_type from (describe select * from '{path}')").fetchall())
    con.close()
    assert list(types) == list(SilverRow.model_fields)
    assert types["instructors"] == "VARCHAR[]"
    assert types["completed_on"] == "DATE"
    assert types["completed_year"] == "INTEGER"
    assert types["length_hours"] == "DOUBLE"
    assert types["course_id"] == "BIGINT"
    assert types["is_paid"] == types["is_practice_test"] == types["is_certificate_only"] == "BOOLEAN"


def test_a_silver_row_is_the_silver_model_run_on_its_records_alone(tmp_path: Path) -> None:
    # Given two certificates built one after the other in the same worker, then the first again
    first = (bronze(item="a.jpg", certificate_id="UC-1"), link(item="a.jpg"), course())
    second = (bronze(item="b.jpg", certificate_id="UC-2"), link(item="b.jpg", method="certificate_only"), None)
    rows = [build_silver_parquet(*first), build_silver_parquet(*second), build_silver_parquet(*first)]
    # Then each file holds the bytes the silver model gives on that certificate's records alone
    for (b, lk, c), got in zip((first, second, first), rows, strict=True):
        con = sql.connect(work_dir=tmp_path)
        relation = stage_silver(con, [b], [lk], [c] if c is not None else [])
        out = tmp_path / "expected.parquet"
        con.execute(f"copy (select * from {relation}) to '{out}' ({PARQUET_OPTIONS})")
        con.close()
        assert got == out.read_bytes()
    assert rows[0] == rows[2] != rows[1]


def test_a_worker_building_silver_leaves_no_temp_dir_behind(tmp_path: Path) -> None:
    # Given a process that builds a silver row, as each local worker does, with its own temp dir
    code = (
        "from tests.unit.test_sql_models import bronze, course, link\n"
        "from functions.silver.build import build_silver_parquet\n"
        "assert build_silver_parquet(bronze(certificate_id='UC-1'), link(), course())\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=Path(__file__).parents[2])
    # Then once it has exited, /tmp holds nothing of it
    assert list(tmp_path.iterdir()) == []


def test_silver_rejects_a_link_of_another_certificate() -> None:
    with pytest.raises(PermanentError) as err:
        build_silver_parquet(bronze(item="a.jpg"), link(item="b.jpg"), None)
    assert err.value.reason_code == "invalid_record"


def test_bronze_and_silver_checks_pass_and_catch_bad_rows() -> None:
    con = sql.connect()
    stage_silver(
        con,
        [bronze(item="a.jpg", certificate_id="UC-1"), bronze(item="b.jpg", confidence={"title": 1.5})],
        [link(item="a.jpg"), link(item="b.jpg", method="certificate_only")],
        [course()],
    )
    models = [*sql.BRONZE_MODELS, sql.SILVER_MODEL]
    assert failed_checks(con, models) == [
        "bronze/certificates:confidences_between_0_and_1",
        "silver/certificates:ocr_confidence_between_0_and_1",
    ]
    con.close()


# ---------------------------------------------------------------- gold: fact_certificate


def test_same_certificate_in_two_batches_gives_one_fact_row() -> None:
    rows = [
        silver_row(batch_id="b2", item="a.jpg", source_sha256=sha("b2/a.jpg")),
        silver_row(batch_id="b1", item="a.jpg", source_sha256=sha("b1/a.jpg")),
        silver_row(certificate_id="UC-0002", batch_id="b1", item="b.jpg", source_sha256=sha("b1/b.jpg")),
    ]
    con = gold_connection(rows)
    facts = fetch_dicts(con, "select certificate_key, batch_id, source_file_count from fact_certificate")
    assert facts == [
        {"certificate_key": "UC-0001", "batch_id": "b1", "source_file_count": 2},
        {"certificate_key": "UC-0002", "batch_id": "b1", "source_file_count": 1},
    ]
    assert failed_checks(con, sql.GOLD_MODELS) == []


def test_fact_prefers_enriched_then_confidence_then_smallest_batch() -> None:
    rows = [
        # certificate-only copy: earliest batch, best OCR, still loses to any enriched copy
        silver_row(batch_id="a0", enrichment_method="certificate_only", ocr_confidence=0.99, course_id=None),
        silver_row(batch_id="b1", ocr_confidence=0.70),
        silver_row(batch_id="b2", ocr_confidence=0.80, enrichment_method="catalog"),
        silver_row(batch_id="b3", ocr_confidence=0.80, enrichment_method="cache"),
    ]
    con = gold_connection(rows)
    (fact,) = fetch_dicts(con, "select batch_id, enrichment_method, is_certificate_only from fact_certificate")
    assert fact == {"batch_id": "b2", "enrichment_method": "catalog", "is_certificate_only": False}
    assert failed_checks(con, sql.GOLD_MODELS) == []


def test_fact_carries_the_course_columns() -> None:
    con = gold_connection([silver_row(title="Pyth0n Bootcmp")])
    (fact,) = fetch_dicts(con, "select * from fact_certificate")
    for column in (
        "course_id",
        "course_url",
        "course_language",
        "is_paid",
        "is_practice_test",
        "enrichment_method",
        "instructors",
        "student",
        "owner",
        "completed_on",
        "completed_year",
        "length_hours",
    ):
        assert column in fact
    assert fact["title"] == "Python Bootcamp"  # the course's title over the OCR'd one
    assert fact["certificate_title"] == "Pyth0n Bootcmp"


# ---------------------------------------------------------------- gold: owner_stats


def test_owner_stats_per_year_plus_all_years_row() -> None:
    rows = [
        silver_row(certificate_id="UC-1", item="1", completed_on=date(2023, 1, 5), length_hours=0.75),
        silver_row(certificate_id="UC-2", item="2", completed_on=date(2023, 7, 1), length_hours=0.5, is_paid=False),
        silver_row(
            certificate_id="UC-3", item="3", completed_on=date(2024, 3, 3), length_hours=10.25, is_practice_test=True
        ),
        silver_row(certificate_id="UC-4", item="4", completed_on=None, length_hours=None),
        silver_row(
            certificate_id="UC-5",
            item="5",
            owner="Bob",
            student="Bob",
            completed_on=date(2022, 1, 1),
            length_hours=1.0 / 3.0,
        ),
    ]
    con = gold_connection(rows)
    stats = con.execute("select * from owner_stats").fetchall()
    assert stats == [
        ("Ann Lee", "2023", 2023, 2, 1.25, 1, 0),
        ("Ann Lee", "2024", 2024, 1, 10.25, 1, 1),
        ("Ann Lee", "unknown", None, 1, 0.0, 1, 0),
        ("Ann Lee", "all", None, 4, 11.5, 3, 1),
        ("Bob", "2022", 2022, 1, 0.3333, 1, 0),
        ("Bob", "all", None, 1, 0.3333, 1, 0),
    ]
    assert failed_checks(con, sql.GOLD_MODELS) == []


def test_owner_stats_checks_catch_an_all_row_that_is_not_the_sum() -> None:
    con = gold_connection([silver_row(certificate_id="UC-1", item="1"), silver_row(certificate_id="UC-2", item="2")])
    con.execute("update owner_stats set total_hours = total_hours + 1 where period = 'all'")
    assert failed_checks(con, ["gold/owner_stats"]) == ["gold/owner_stats:all_years_row_equals_sum_of_years"]


# ---------------------------------------------------------------- gold: instructor_stats


def test_instructor_stats_unnest_instructors() -> None:
    rows = [
        silver_row(
            certificate_id="UC-1", item="1", instructors=["Jose Portilla", "Pierian Training"], length_hours=2.0
        ),
        silver_row(certificate_id="UC-2", item="2", instructors=["Jose Portilla"], length_hours=0.75),
        silver_row(certificate_id="UC-3", item="3", instructors=[], length_hours=5.0),
        silver_row(certificate_id="UC-4", item="4", owner="Bob", instructors=["Jose Portilla"], length_hours=1.0),
    ]
    con = gold_connection(rows)
    assert con.execute("select * from instructor_stats").fetchall() == [
        ("Ann Lee", "Jose Portilla", 2, 2.75),
        ("Ann Lee", "Pierian Training", 1, 2.0),
        ("Bob", "Jose Portilla", 1, 1.0),
    ]
    assert failed_checks(con, sql.GOLD_MODELS) == []


def test_gold_checks_catch_a_duplicate_fact_key() -> None:
    con = gold_connection([silver_row()])
    con.execute("insert into fact_certificate select * from fact_certificate")
    assert "gold/fact_certificate:key_unique" in failed_checks(con, sql.GOLD_MODELS)


# ---------------------------------------------------------------- build_gold


def sample_rows() -> list[SilverRow]:
    return [
        silver_row(
            certificate_id="UC-1",
            batch_id="b1",
            item="1",
            completed_on=date(2023, 2, 1),
            length_hours=0.75,
            instructors=["Jose Portilla", "Pierian Training"],
        ),
        silver_row(
            certificate_id="UC-1",
            batch_id="b2",
            item="1",
            completed_on=date(2023, 2, 1),
            length_hours=0.75,
            instructors=["Jose Portilla", "Pierian Training"],
            ocr_confidence=0.5,
        ),
        silver_row(
            certificate_id="UC-2",
            batch_id="b1",
            item="2",
            completed_on=date(2024, 6, 1),
            length_hours=12.5,
            instructors=["Stephane Maarek"],
            is_practice_test=True,
            title="AWS <Practice> & Exams",
            course_title=None,
        ),
        silver_row(
            certificate_id=None,
            batch_id="b2",
            item="3",
            completed_on=date(2024, 8, 9),
            length_hours=None,
            enrichment_method="certificate_only",
            course_id=None,
            course_url=None,
            is_paid=None,
        ),
        silver_row(certificate_id="UC-9", batch_id="b2", item="4", owner="Bob", student="Bob", length_hours=3.0),
    ]


def test_build_gold_writes_every_output(tmp_path: Path) -> None:
    write_silver_files(tmp_path / "silver", sample_rows())
    result = build_gold(tmp_path / "silver", tmp_path / "gold")
    assert result.tables == {"fact_certificate": 4, "owner_stats": 5, "instructor_stats": 4}
    assert sorted(result.relative_files()) == [
        "dashboard/index.html",
        "tables/fact_certificate.parquet",
        "tables/instructor_stats.parquet",
        "tables/owner_stats.parquet",
        "warehouse.duckdb",
    ]
    assert all(p.is_file() for p in result.files)
    assert not list((tmp_path / "gold").glob("**/.*.tmp"))
    con = duckdb.connect(str(tmp_path / "gold" / "warehouse.duckdb"), read_only=True)
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert tables == {"silver_certificates", *GOLD_TABLES}
    assert con.execute("select count(*) from silver_certificates").fetchone() == (5,)
    assert con.execute(
        "select total_courses, total_hours from owner_stats where owner = 'Ann Lee' and period = 'all'"
    ).fetchone() == (3, 13.25)
    con.close()


def _table_contents(out_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(out_dir / "warehouse.duckdb"), read_only=True)
    try:
        return {t: con.execute(f"select * from {t}").fetchall() for t in ("silver_certificates", *GOLD_TABLES)}
    finally:
        con.close()


def test_build_gold_is_deterministic(tmp_path: Path) -> None:
    write_silver_files(tmp_path / "silver", sample_rows())
    one = build_gold(tmp_path / "silver", tmp_path / "one", threads=1)
    two = build_gold(tmp_path / "silver", tmp_path / "two", threads=2)
    assert one.tables == two.tables
    assert one.relative_files() == two.relative_files()
    for relative in one.relative_files():
        if relative.endswith(".duckdb"):
            continue  # the DuckDB file format has free-space layout of its own; compare contents instead
        assert (tmp_path / "one" / relative).read_bytes() == (tmp_path / "two" / relative).read_bytes(), relative
    assert _table_contents(tmp_path / "one") == _table_contents(tmp_path / "two")


def test_build_gold_rebuild_in_place_replaces_outputs(tmp_path: Path) -> None:
    write_silver_files(tmp_path / "silver", sample_rows()[:1])
    build_gold(tmp_path / "silver", tmp_path / "gold")
    write_silver_files(tmp_path / "silver", sample_rows())
    result = build_gold(tmp_path / "silver", tmp_path / "gold")
    assert result.tables["fact_certificate"] == 4
    assert len(_table_contents(tmp_path / "gold")["fact_certificate"]) == 4


def test_build_gold_with_no_silver_files_gives_empty_typed_tables(tmp_path: Path) -> None:
    (tmp_path / "silver").mkdir()
    result = build_gold(tmp_path / "silver", tmp_path / "gold")
    assert result.tables == {"fact_certificate": 0, "owner_stats": 0, "instructor_stats": 0}
    con = sql.connect()
    fact = tmp_path / "gold" / "tables" / "fact_certificate.parquet"
    types = dict(con.execute(f"select column_name, column_type from (describe select * from '{fact}')").fetchall())
    stats = tmp_path / "gold" / "tables" / "owner_stats.parquet"
    stat_columns = [r[0] for r in con.execute(f"describe select * from '{stats}'").fetchall()]
    con.close()
    assert types["certificate_key"] == "VARCHAR"
    assert types["instructors"] == "VARCHAR[]"
    assert types["length_hours"] == "DOUBLE"
    assert stat_columns == [
        "owner",
        "period",
        "completed_year",
        "total_courses",
        "total_hours",
        "paid_courses",
        "practice_tests",
    ]
    assert _table_contents(tmp_path / "gold")["silver_certificates"] == []
    assert "No certificates yet" in (tmp_path / "gold" / "dashboard" / "index.html").read_text()


def test_silver_built_from_records_flows_into_gold(tmp_path: Path) -> None:
    # Given the same certificate dropped in two batches, once enriched and once certificate-only
    silver_dir = tmp_path / "silver"
    for batch_id, method in (("b1", "certificate_only"), ("b2", "api")):
        b = bronze(
            batch_id=batch_id,
            certificate_id="UC-abc",
            student="Ann Lee",
            completed_on=date(2023, 3, 3),
            length_hours=None,
            length_text="45 total mins",
        )
        c = course() if method == "api" else None
        path = silver_dir / f"batch={batch_id}" / "a.jpg.parquet"
        path.parent.mkdir(parents=True)
        path.write_bytes(build_silver_parquet(b, link(batch_id=batch_id, method=method), c))
    # When gold is built
    result = build_gold(silver_dir, tmp_path / "gold")
    # Then there is one fact row, the enriched one, with the certificate's 45 minutes
    assert result.tables["fact_certificate"] == 1
    con = duckdb.connect(str(tmp_path / "gold" / "warehouse.duckdb"), read_only=True)
    row = con.execute("select batch_id, enrichment_method, length_hours, course_url from fact_certificate").fetchone()
    con.close()
    assert row == ("b2", "api", 0.75, "https://www.udemy.com/course/python-bootcamp/")
