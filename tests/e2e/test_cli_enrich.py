"""Enrichment from the CLI: no network by default, the user's link file, and ``enrich --refresh``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from functions.samples.catalog import course_payload
from tests.conftest import certificates_only, read_labels, run_cli

pytestmark = pytest.mark.slow
NO_API = {"UDEMY_API_BASE_URL": "", "UDEMY_API": ""}


def test_unmatched_certificates_are_linked_then_refresh_fills_gold_without_duplicates(
    generated: Callable[[int, int], Path], tmp_path: Path
) -> None:
    # Given five certificates and no link file, catalog or API
    source = generated(20, 7)
    folder = certificates_only(source, tmp_path / "five", limit=5)
    labels = {label["file"]: label for label in read_labels(source)}
    workdir = str(tmp_path / "wd")
    run = run_cli("run", str(folder), "--batch-id", "five", "--workdir", workdir, env=NO_API)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("certificate-only") == 1  # said once, not once per certificate

    # Then every certificate is listed as unmatched, with its id and title
    unmatched = json.loads(run_cli("links", "unmatched", "--workdir", workdir, "--json").stdout)
    assert len(unmatched) == 5 and all(row["certificate_id"] and row["title"] for row in unmatched)

    # When two of them are linked, and their courses are in a catalog
    chosen = [labels[row["file"]] for row in unmatched[:2]]
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text("".join(course_payload(label).model_dump_json() + "\n" for label in chosen))
    for label in chosen:
        added = run_cli("links", "add", label["certificate_id"], course_payload(label).url, "--workdir", workdir)
        assert added.returncode == 0, added.stderr
    assert len(json.loads(run_cli("links", "list", "--workdir", workdir, "--json").stdout)) == 2
    refresh = run_cli("enrich", "--refresh", "--catalog", str(catalog), "--workdir", workdir, "--json", env=NO_API)

    # Then gold has their metadata, the other rows unchanged, and no duplicate row
    assert refresh.returncode == 0, refresh.stderr
    assert json.loads(refresh.stdout.strip().splitlines()[-1])["batches"][0]["matched"] == 2
    con = duckdb.connect(str(Path(workdir) / "bucket" / "gold" / "warehouse.duckdb"), read_only=True)
    rows = con.execute(
        "select enrichment_method, count(*), count(distinct certificate_key), count(course_id), count(course_url), "
        "count(course_language), count(is_paid), count(is_practice_test) from fact_certificate group by all order by 1"
    ).fetchall()
    con.close()
    assert rows == [("certificate_only", 3, 3, 0, 0, 0, 0, 0), ("link_file", 2, 2, 2, 2, 2, 2, 2)]
    assert len(json.loads(run_cli("links", "unmatched", "--workdir", workdir, "--json").stdout)) == 3
