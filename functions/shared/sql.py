"""The SQL models in ``sql/``: find them, load them, run them and their checks in DuckDB.

A model is named by its path under ``sql/`` without the suffix (``"silver/certificates"``).
Running a model creates a relation other models select from:

- bronze and silver models become ``<layer>_<name>`` (``bronze_certificates``, ``silver_certificates``);
- gold models keep their name (``fact_certificate``, ``owner_stats``, ``instructor_stats``).

Raw inputs are relations with one ``record JSON`` column, one row per record as written by
``model_dump_json()``: ``raw_bronze_certificates``, ``raw_enrichments``, ``raw_courses``.

Checks sit beside each model in ``<model>.checks.sql``: queries introduced by ``-- check: <name>``
that return the offending rows; a check passes when its query returns no row.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from functions.shared.errors import ConfigurationError, PipelineError

SQL_DIR_ENV = "UDEMY_PIPELINE_SQL_DIR"

RAW_RELATIONS = ("raw_bronze_certificates", "raw_enrichments", "raw_courses")
BRONZE_MODELS = ("bronze/certificates", "bronze/enrichments", "bronze/courses")
SILVER_MODEL = "silver/certificates"
GOLD_MODELS = ("gold/fact_certificate", "gold/owner_stats", "gold/instructor_stats")

_MODEL_NAME_RE = re.compile(r"^(bronze|silver|gold)/[a-z][a-z0-9_]*$")
_CHECK_MARKER_RE = re.compile(r"^--\s*check:\s*(?P<name>[A-Za-z0-9_.-]+)\s*$", re.MULTILINE)


class ModelCheckError(PipelineError):
    """A model's output broke one of its checks: a bug, never a property of one input file."""

    def __init__(self, failures: Sequence[CheckResult]) -> None:
        self.failures = list(failures)
        summary = ", ".join(f"{f.model}:{f.name} ({f.failing_rows} rows)" for f in self.failures)
        super().__init__(f"model checks failed: {summary}")


@dataclass(frozen=True)
class Check:
    model: str
    name: str
    sql: str


@dataclass(frozen=True)
class CheckResult:
    model: str
    name: str
    failing_rows: int

    @property
    def passed(self) -> bool:
        return self.failing_rows == 0


def sql_dir() -> Path:
    """The ``sql/`` directory: ``$UDEMY_PIPELINE_SQL_DIR`` when set (Lambda images), else the repo's."""
    override = os.environ.get(SQL_DIR_ENV)
    if override:
        path = Path(override)
    else:
        path = next((p / "sql" for p in Path(__file__).resolve().parents if (p / "sql" / "silver").is_dir()), Path())
    if not (path / "silver").is_dir():
        raise ConfigurationError(f"SQL models not found (looked for {path / 'silver'}); set {SQL_DIR_ENV}")
    return path


def _check_name(name: str) -> str:
    if not _MODEL_NAME_RE.match(name):
        raise ValueError(f"invalid model name {name!r}: expected '<bronze|silver|gold>/<name>'")
    return name


def model_path(name: str) -> Path:
    return sql_dir() / f"{_check_name(name)}.sql"


def load_model(name: str) -> str:
    """The model's SQL text (one ``select``, no trailing semicolon)."""
    path = model_path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigurationError(f"SQL model {name!r} not found at {path}") from exc
    return text.strip().rstrip(";").strip()


def relation_name(name: str) -> str:
    """The relation a model creates: ``silver/certificates`` -> ``silver_certificates``."""
    layer, _, model = _check_name(name).partition("/")
    return model if layer == "gold" else f"{layer}_{model}"


def connect(
    database: str | Path = ":memory:", *, threads: int = 1, work_dir: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose home, extension and spill directories sit under a temp dir
    (Lambda can write only to /tmp) and that never downloads extensions."""
    base = (work_dir or Path(tempfile.gettempdir())) / "udemy-pipeline-duckdb"
    (base / "extensions").mkdir(parents=True, exist_ok=True)
    (base / "spill").mkdir(parents=True, exist_ok=True)
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": max(1, int(threads)),
        "home_directory": str(base),
        "extension_directory": str(base / "extensions"),
        "temp_directory": str(base / "spill"),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "preserve_insertion_order": True,
    }
    return duckdb.connect(str(database), config=config)


def create_raw(con: duckdb.DuckDBPyConnection, relation: str, records: Iterable[str]) -> int:
    """(Re)create a raw relation ``relation(record JSON)`` holding the given JSON texts, in order."""
    if relation not in RAW_RELATIONS:
        raise ValueError(f"unknown raw relation {relation!r}")
    rows = [(text,) for text in records]
    con.execute(f"create or replace table {relation} (record json)")
    if rows:
        con.executemany(f"insert into {relation} values (?)", rows)
    return len(rows)


def run_model(con: duckdb.DuckDBPyConnection, name: str, *, materialize: Literal["table", "view"] = "table") -> str:
    """Create (or replace) the model's relation and return its name."""
    relation = relation_name(name)
    con.execute(f"create or replace {materialize} {relation} as\n{load_model(name)}")
    return relation


def run_models(
    con: duckdb.DuckDBPyConnection, names: Iterable[str], *, materialize: Literal["table", "view"] = "table"
) -> list[str]:
    return [run_model(con, name, materialize=materialize) for name in names]


def load_checks(name: str) -> list[Check]:
    """The checks beside a model (``<model>.checks.sql``); none when the file is absent."""
    path = sql_dir() / f"{_check_name(name)}.checks.sql"
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    markers = list(_CHECK_MARKER_RE.finditer(text))
    checks = []
    for i, marker in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        body = text[marker.end() : end].strip().rstrip(";").strip()
        if body:
            checks.append(Check(model=name, name=marker.group("name"), sql=body))
    return checks


def run_checks(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> list[CheckResult]:
    """Run every check of the given models; each result counts the offending rows."""
    results = []
    for name in names:
        for check in load_checks(name):
            row = con.execute(f"select count(*) from (\n{check.sql}\n) as failing").fetchone()
            results.append(CheckResult(model=name, name=check.name, failing_rows=int(row[0]) if row else 0))
    return results


def assert_checks(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> list[CheckResult]:
    """Run the checks and raise ``ModelCheckError`` when any of them fails."""
    results = run_checks(con, names)
    failures = [r for r in results if not r.passed]
    if failures:
        raise ModelCheckError(failures)
    return results


def sql_string(value: str) -> str:
    """A SQL string literal (for paths in ``COPY`` and ``read_parquet``, which take no parameters)."""
    return "'" + value.replace("'", "''") + "'"
