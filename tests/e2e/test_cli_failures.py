"""The CLI when things go wrong: bad files, a killed run, a failing stage and its DLQ."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from functions.samples.generator import photo_like
from tests.conftest import CLI, certificates_only, run_cli

pytestmark = pytest.mark.slow


def last_json(stdout: str) -> Any:
    return json.loads(stdout.strip().splitlines()[-1])


def test_bad_files_are_quarantined_with_reasons_and_the_batch_settles(
    generated: Callable[[int, int], Path], tmp_path: Path
) -> None:
    # Given three good certificates and four files that can never be read
    folder = certificates_only(generated(20, 7), tmp_path / "mixed", limit=3)
    (folder / "empty.jpg").write_bytes(b"")
    good = next(folder.glob("*.jpg")).read_bytes()
    (folder / "truncated.jpg").write_bytes(good[: len(good) // 3])
    (folder / "notes.png").write_text("this is not a picture\n")
    photo_like(seed=3).save(folder / "holiday.jpg", "JPEG", quality=85)

    # When
    result = run_cli("run", str(folder), "--batch-id", "mixed", "--workdir", str(tmp_path / "wd"), "--json")

    # Then
    assert result.returncode == 0, result.stderr
    summary = last_json(result.stdout)
    assert (summary["files"], summary["succeeded"], summary["quarantined"]) == (7, 3, 4)
    assert summary["gold"]["fact_certificate"] == 3
    records = {
        p.name: json.loads(p.read_text()) for p in (tmp_path / "wd" / "bucket" / "quarantine" / "batch=mixed").iterdir()
    }
    reasons = {name.removesuffix(".json"): r["reason_code"] for name, r in records.items()}
    assert reasons == {
        "empty.jpg": "empty_file",
        "truncated.jpg": "unreadable_image",
        "notes.png": "unsupported_type",
        "holiday.jpg": "not_a_certificate",
    }
    assert all(r["reason"] for r in records.values())


def test_a_killed_run_resumes_with_nothing_lost_and_nothing_doubled(
    generated: Callable[[int, int], Path], tmp_path: Path
) -> None:
    # Given a run of 100 certificates killed with SIGKILL half-way
    folder = certificates_only(generated(100, 11), tmp_path / "hundred")
    workdir = tmp_path / "wd"
    args = [str(CLI), "run", str(folder), "--batch-id", "big", "--workdir", str(workdir), "--json"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    silver = workdir / "bucket" / "silver" / "certificates" / "batch=big"
    deadline = time.time() + 300
    while time.time() < deadline and len(list(silver.glob("*.parquet")) if silver.is_dir() else []) < 30:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    settled_before = len(list(silver.glob("*.parquet")))
    assert 30 <= settled_before < 100, "the kill must land mid-run for this test to mean anything"

    # When the same batch is run again
    result = run_cli("run", str(folder), "--batch-id", "big", "--workdir", str(workdir), "--json")

    # Then it settles with every certificate exactly once
    assert result.returncode == 0, result.stderr
    summary = last_json(result.stdout)
    assert (summary["files"], summary["succeeded"] + summary["quarantined"], summary["dead_lettered"]) == (
        100,
        100,
        0,
    ), summary
    assert len(list(silver.glob("*.parquet"))) == summary["succeeded"]
    assert summary["gold"]["fact_certificate"] == summary["succeeded"]


def test_a_failing_stage_dead_letters_with_its_cause_then_redrive_completes_the_batch(
    generated: Callable[[int, int], Path], tmp_path: Path
) -> None:
    # Given a course catalog that is broken while the batch runs
    folder = certificates_only(generated(20, 7), tmp_path / "three", limit=3)
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text("{not json\n")
    workdir = tmp_path / "wd"

    # When
    failed = run_cli(
        "run", str(folder), "--batch-id", "b", "--workdir", str(workdir), "--catalog", str(catalog), "--json"
    )

    # Then the run says why it could not settle, and the DLQ holds the cause
    assert failed.returncode == 1
    assert "dlq redrive" in failed.stderr
    assert last_json(failed.stdout)["dead_lettered"] == 3
    letters = json.loads(run_cli("dlq", "list", "--workdir", str(workdir), "--json").stdout)
    assert {letter["stage"] for letter in letters} == {"enrich"}
    assert all("catalog" in letter["error"] for letter in letters)

    # When the catalog is fixed and the dead letters redriven
    catalog.write_text("")
    redrive = run_cli("dlq", "redrive", "--workdir", str(workdir), "--json")

    # Then the batch completes
    assert redrive.returncode == 0, redrive.stderr
    status = json.loads(run_cli("status", "--batch-id", "b", "--workdir", str(workdir), "--json").stdout)
    assert status["batches"][0] | {"succeeded": 3, "gold_done": True, "dead_lettered": 0} == status["batches"][0]


def test_run_refuses_what_it_cannot_do_with_a_clear_message(tmp_path: Path) -> None:
    missing = run_cli("run", str(tmp_path / "nope"), "--workdir", str(tmp_path / "wd"))
    assert missing.returncode == 2 and "is not a folder" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run_cli("run", str(tmp_path / "empty"), "--workdir", str(tmp_path / "wd"))
    assert empty.returncode == 2 and "no files" in empty.stderr
    bad_id = run_cli("run", str(tmp_path / "empty"), "--batch-id", "a/b", "--workdir", str(tmp_path / "wd"))
    assert bad_id.returncode == 2


def test_ocr_reads_files_and_reports_the_unreadable_one_without_stopping(
    generated: Callable[[int, int], Path], tmp_path: Path
) -> None:
    source = generated(20, 7)
    good = sorted(source.glob("*.jpg"))[:2]
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"")
    result = run_cli("ocr", str(good[0]), str(broken), str(good[1]), "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [good[0].name, "broken.jpg", good[1].name]
    assert "error" in lines[1] and "error" not in lines[0] and "error" not in lines[2]
    assert set(lines[0]) >= {"certificate_id", "title", "instructors", "student", "completed_on", "length_hours"}
    assert result.returncode == 0
