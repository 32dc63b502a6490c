"""The CLI as a user runs it: ``udemy-pipeline run`` end to end on the local runtime."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import certificates_only, read_labels, run_cli

pytestmark = pytest.mark.slow
GOLD_TABLES = ("fact_certificate", "owner_stats", "instructor_stats")


def gold_rows(warehouse: str) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(warehouse, read_only=True)
    try:
        return {t: con.execute(f"select * from {t} order by all").fetchall() for t in GOLD_TABLES}
    finally:
        con.close()


def summary_of(result: Any) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr + result.stdout
    return json.loads(result.stdout.strip().splitlines()[-1])


def field_matches(label: dict[str, Any], row: dict[str, Any]) -> bool:
    want_hours = label["length_hours"]
    if want_hours is None:  # printed in minutes
        want_hours = int(label["length_text"].split()[0]) / 60
    return (
        row["title"] == label["title"]
        and row["instructors"] == label["instructors"]
        and row["student"] == label["student"]
        and str(row["completed_on"]) == label["completed_on"]
        and row["length_hours"] is not None
        and math.isclose(row["length_hours"], want_hours, abs_tol=0.01)
    )


@pytest.fixture(scope="module")
def first_run(generated: Callable[[int, int], Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    source = generated(20, 7)
    folder = certificates_only(source, tmp_path_factory.mktemp("drop") / "mine")
    workdir = tmp_path_factory.mktemp("wd")
    result = run_cli("run", str(folder), "--batch-id", "first", "--workdir", str(workdir), "--json")
    summary = summary_of(result)
    return {
        "folder": folder,
        "workdir": workdir,
        "summary": summary,
        "labels": read_labels(source),
        "stderr": result.stderr,
        "stdout": result.stdout,
    }


def test_twenty_certificates_reach_gold_and_match_ground_truth(first_run: dict[str, Any]) -> None:
    summary = first_run["summary"]
    assert (summary["files"], summary["succeeded"], summary["quarantined"], summary["dead_lettered"]) == (20, 20, 0, 0)
    assert summary["gold"]["fact_certificate"] == 20
    con = duckdb.connect(summary["warehouse"], read_only=True)
    rows = (
        con.execute("select * from fact_certificate").fetch_df().to_dict("records")
        if False
        else [
            dict(zip([d[0] for d in con.description or []], r, strict=True))
            for r in con.execute("select * from fact_certificate").fetchall()
        ]
    )
    by_id = {row["certificate_id"]: row for row in rows}
    right = sum(
        1
        for label in first_run["labels"]
        if label["certificate_id"] in by_id and field_matches(label, by_id[label["certificate_id"]])
    )
    assert right >= 19, f"only {right} of 20 certificates fully right"


def test_run_shows_progress_and_prints_where_the_dashboard_is(first_run: dict[str, Any]) -> None:
    assert "settling [" in first_run["stderr"]
    dashboard = Path(first_run["summary"]["dashboard"])
    assert dashboard.is_file() and dashboard.is_relative_to(first_run["workdir"])
    page = dashboard.read_text(encoding="utf-8")
    assert "<svg" in page or "bar" in page


def test_same_folder_same_batch_id_gives_identical_gold(first_run: dict[str, Any]) -> None:
    before = gold_rows(first_run["summary"]["warehouse"])
    again = summary_of(
        run_cli(
            "run", str(first_run["folder"]), "--batch-id", "first", "--workdir", str(first_run["workdir"]), "--json"
        )
    )
    assert again["succeeded"] == 20
    assert gold_rows(again["warehouse"]) == before


def test_a_new_batch_with_the_same_files_keeps_one_fact_row_per_certificate(first_run: dict[str, Any]) -> None:
    second = summary_of(
        run_cli(
            "run", str(first_run["folder"]), "--batch-id", "second", "--workdir", str(first_run["workdir"]), "--json"
        )
    )
    assert second["gold"]["fact_certificate"] == 20


def test_replay_re_runs_the_batch_and_gold_is_unchanged(first_run: dict[str, Any]) -> None:
    before = gold_rows(first_run["summary"]["warehouse"])
    replayed = summary_of(run_cli("replay", "--batch-id", "first", "--workdir", str(first_run["workdir"]), "--json"))
    assert replayed["succeeded"] == 20
    assert gold_rows(replayed["warehouse"]) == before
    status = json.loads(
        run_cli("status", "--batch-id", "first", "--workdir", str(first_run["workdir"]), "--json").stdout
    )
    assert status["batches"][0]["generation"] == 2 and status["batches"][0]["gold_done"]


def test_replaying_archived_events_changes_nothing(first_run: dict[str, Any]) -> None:
    before = gold_rows(first_run["summary"]["warehouse"])
    result = run_cli(
        "replay-events",
        "--since",
        "2000-01-01T00:00:00Z",
        "--until",
        "2999-01-01T00:00:00Z",
        "--workdir",
        str(first_run["workdir"]),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["events"] > 20
    assert gold_rows(first_run["summary"]["warehouse"]) == before


def test_duplicated_shuffled_events_leave_gold_unchanged(generated: Callable[[int, int], Path], tmp_path: Path) -> None:
    folder = certificates_only(generated(20, 7), tmp_path / "six", limit=6)
    calm = summary_of(run_cli("run", str(folder), "--batch-id", "b", "--workdir", str(tmp_path / "calm"), "--json"))
    chaos = summary_of(
        run_cli(
            "run",
            str(folder),
            "--batch-id",
            "b",
            "--workdir",
            str(tmp_path / "chaos"),
            "--json",
            env={"UDEMY_PIPELINE_LOCAL_CHAOS": "1"},
        )
    )
    assert chaos["gold"] == calm["gold"]
    assert gold_rows(chaos["warehouse"]) == gold_rows(calm["warehouse"])
