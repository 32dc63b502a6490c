"""Shared fixtures: generated certificates (made once per session) and the CLI as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

CLI = Path(sys.executable).with_name("udemy-pipeline")


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int, int], Path]:
    """``generated(count, seed)``: a folder of generated certificates plus ``labels.jsonl``, made once."""
    from functions.samples.generator import generate

    cache: dict[tuple[int, int], Path] = {}

    def make(count: int, seed: int) -> Path:
        if (count, seed) not in cache:
            out = tmp_path_factory.mktemp(f"generated-{count}-{seed}")
            generate(out, count, seed=seed)
            cache[(count, seed)] = out
        return cache[(count, seed)]

    return make


def certificates_only(source: Path, dest: Path, limit: int | None = None) -> Path:
    """Copy a generated folder's certificates (not its labels) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in source.iterdir() if p.suffix in {".jpg", ".png", ".pdf"})
    for path in files[:limit]:
        shutil.copy(path, dest / path.name)
    return dest


def read_labels(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines()]


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "UDEMY_PIPELINE_LOCAL_BACKOFF_SECONDS": "0.05", **(env or {})}
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, env=full_env, timeout=timeout, check=False)
