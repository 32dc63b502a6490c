"""End-to-end benchmark of the local runtime against OCR alone.

    uv run python benchmarks/pipeline.py [--count 200] [--workers N] [--seed 5]

Generates N current-design certificates, then measures, with the same number of worker processes:
  1. OCR alone: a process pool where each process reuses one reader, reading every file;
  2. the pipeline: `udemy-pipeline run` on the folder in a fresh workdir, from start until the batch
     settled and gold was built (worker start-up, routing, queues, idempotency, enrichment, silver
     Parquet per certificate, gold and dashboard included).
Prints certificates/s for both and the pipeline's overhead over OCR alone.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_reader: Any = None


def _init() -> None:
    global _reader
    from functions.ocr.reader import CertificateReader

    _reader = CertificateReader()


def _read(path: str) -> bool:
    from functions.shared.errors import PermanentError

    try:
        _reader.read(Path(path).read_bytes(), Path(path).name)
    except PermanentError:
        return False
    return True


def ocr_alone(files: list[Path], workers: int) -> float:
    start = time.perf_counter()
    with mp.get_context("spawn").Pool(workers, initializer=_init) as pool:
        ok = pool.map(_read, [str(f) for f in files], chunksize=1)
    elapsed = time.perf_counter() - start
    assert all(ok), "every generated certificate must read"
    return elapsed


def pipeline(folder: Path, workers: int, workdir: Path) -> tuple[float, dict[str, Any]]:
    cli = Path(sys.executable).with_name("udemy-pipeline")
    start = time.perf_counter()
    result = subprocess.run(
        [str(cli), "run", str(folder), "--workers", str(workers), "--workdir", str(workdir), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"pipeline run failed:\n{result.stderr}")
    return elapsed, json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    from functions.samples.generator import generate

    with tempfile.TemporaryDirectory(prefix="udemy-bench-") as tmp:
        folder = Path(tmp) / "certificates"
        generate(folder, args.count, seed=args.seed)
        (folder / "labels.jsonl").unlink()
        files = sorted(folder.iterdir())
        print(f"{len(files)} generated certificates, {args.workers} workers, OMP_THREAD_LIMIT=1", flush=True)
        ocr_seconds = ocr_alone(files, args.workers)
        print(f"ocr alone:  {ocr_seconds:7.2f} s  {len(files) / ocr_seconds:6.2f} certificates/s", flush=True)
        run_seconds, summary = pipeline(folder, args.workers, Path(tmp) / "workdir")
        print(
            f"pipeline:   {run_seconds:7.2f} s  {len(files) / run_seconds:6.2f} certificates/s "
            f"(succeeded {summary['succeeded']}, quarantined {summary['quarantined']}, "
            f"fact rows {summary['gold'].get('fact_certificate')})"
        )
        overhead = run_seconds / ocr_seconds - 1
        print(f"overhead:   {overhead * 100:6.1f} % of OCR alone (target <= 15 %)")
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
