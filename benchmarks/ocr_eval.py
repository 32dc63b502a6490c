"""Accuracy and speed of the certificate reader against the naive approach, on the same images.

    uv run python benchmarks/ocr_eval.py [--count 200] [--seed S] [--dir FOLDER] [--real /work/shared/real-dev]
                                         [--workers 1] [--median-current [N]] [--repeat R] [--out DIR]
                                         [--no-naive] [--handling]

1. Generates ``--count`` certificates across every design and damage
   (``functions.samples.generator.generate_eval_set``), or takes ``--dir`` (any folder with a
   ``labels.jsonl`` in the real-dev format).
2. Reads each image with (a) the project's reader, ``CertificateReader``, one per worker process,
   ``OMP_THREAD_LIMIT=1``; (b) the naive approach of the issue: the ``tesseract`` CLI with
   ``--oem 1 --psm 3`` on the whole page, with its default threading, then regexes between the
   English labels, the certificate number taken from the file name (PDFs are rendered to PNG first,
   outside the timing, as pytesseract cannot read them).
3. Scores both like ``/work/shared/tools/score_certificates.py`` (exact fields after whitespace and
   NFC normalisation, instructors as an ordered list, dates ISO, minutes as minutes/60 or null) and
   prints per-field accuracy, the fully-right rate, the median ms per image, the speed ratio and,
   for the reader, a breakdown per design and per damage. ``--real`` does the same on a folder of
   real certificates. ``--median-current`` times the reader on N current-design 1600x1190 JPGs in
   one process pinned to one core, and the naive approach on the same images; with ``--repeat R``
   each image is timed R times and its fastest time counts, for both (on a shared machine a
   single pass varies by 10-20 % from run to run), and the first pass's median is printed too.
4. ``--handling`` reads the ``--real`` folder (else ``--dir``) again as people also keep
   certificates (``functions.samples.damage.HANDLINGS``): with white margins, under a browser's
   bar, between a phone's dark bars, on a phone held upright, on a desktop screenshot of a web
   page, cropped 2 % all round, 1200 and 1000 px wide, at JPEG quality 60.

Predictions are written as JSON Lines (``reader.jsonl``, ``naive.jsonl``, ``real-*.jsonl`` and
``handling-*.jsonl`` in ``--out``) so they can be re-scored with ``score_certificates.py LABELS PREDICTIONS``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FIELDS = ("certificate_id", "title", "instructors", "student", "completed_on", "length_hours")
TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"

# --------------------------------------------------------------------------- scoring (as score_certificates.py)


def _norm(value: Any) -> str | None:
    if value is None:
        return None
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip()


def _date_of(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return str(value)


def field_ok(field: str, label: dict[str, Any], pred: dict[str, Any]) -> bool:
    """True when ``pred`` has ``field`` right by the rules of ``score_certificates.py`` (strict)."""
    want, got = label.get(field), pred.get(field)
    if field == "instructors":
        want_list = [_norm(x) for x in (want or [])]
        got_list = [_norm(x) for x in (got or [])] if isinstance(got, list) else [_norm(got)]
        return want_list == got_list
    if field == "completed_on":
        return _date_of(want) == _date_of(got)
    if field == "length_hours":
        if want is None:
            m = re.search(r"(\d+) total mins", (label.get("length_text") or "") + " " + (label.get("notes") or ""))
            return got is None or (m is not None and abs(float(got) - int(m.group(1)) / 60) < 0.01)
        try:
            return got is not None and abs(float(got) - float(want)) < 1e-6
        except (TypeError, ValueError):
            return False
    if field == "certificate_id" and label.get("id_accept_null") and got in (None, ""):
        return True
    return _norm(want) == _norm(got)


def score(labels: list[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> dict[str, Any]:
    per_field = dict.fromkeys(FIELDS, 0)
    all_right = wrong = 0
    misses: list[str] = []
    for label in labels:
        pred = preds.get(label["file"], {})
        ok_all = True
        for field in FIELDS:
            if field_ok(field, label, pred):
                per_field[field] += 1
            else:
                ok_all = False
                wrong += pred.get(field) not in (None, "", [])
                misses.append(f"{label['file']} {field}: want {label.get(field)!r} got {pred.get(field)!r}")
        all_right += ok_all
    n = max(1, len(labels))
    return {
        "n": len(labels),
        "per_field": per_field,
        "fields_pct": 100.0 * sum(per_field.values()) / (n * len(FIELDS)),
        "all_right": all_right,
        "all_pct": 100.0 * all_right / n,
        "wrong_pct": 100.0 * wrong / (n * len(FIELDS)),
        "misses": misses,
    }


# --------------------------------------------------------------------------- the project's reader

_reader: Any = None


def _init_reader() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    global _reader
    from functions.ocr.reader import CertificateReader

    _reader = CertificateReader()


def _pin_one_core() -> None:
    _init_reader()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _read_one(path: str) -> dict[str, Any]:
    data = Path(path).read_bytes()
    start = time.perf_counter()
    pred: dict[str, Any] = {"file": Path(path).name}
    try:
        result = _reader.read(data, Path(path).name)
        fields = result.fields
        pred.update(
            certificate_id=fields.certificate_id,
            title=fields.title,
            instructors=list(fields.instructors),
            student=fields.student,
            completed_on=fields.completed_on.isoformat() if fields.completed_on else None,
            length_hours=fields.length_hours,
            length_text=fields.length_text,
            language=result.language,
            design=result.design,
            confidence=result.confidence,
        )
    except Exception as exc:  # a failure is a prediction of nothing, recorded with its reason
        pred["error"] = f"{type(exc).__name__}: {exc}"
    pred["ms"] = round(1000 * (time.perf_counter() - start), 1)
    return pred


def run_reader(paths: list[Path], workers: int) -> list[dict[str, Any]]:
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_reader) as pool:
        pool.map(_noop, range(workers))  # engines loaded before the clock matters
        return pool.map(_read_one, [str(p) for p in paths], chunksize=1)


def _noop(_: int) -> None:
    return None


# --------------------------------------------------------------------------- the naive approach

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for m in names
}
ID_IN_NAME = re.compile(r"UC-(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Z0-9]{8})\b")


def naive_parse(text: str, file_name: str) -> dict[str, Any]:
    """Regexes between the English labels of the whole-page text, as a new user writes them."""
    pred: dict[str, Any] = {"file": file_name}
    m = ID_IN_NAME.search(file_name)
    pred["certificate_id"] = m.group(0) if m else None
    flat = text.replace("\r", "")
    m = re.search(r"CERTIFICATE OF COMPLETION\s*\n(.*?)\n\s*Instructors", flat, re.S | re.I)
    pred["title"] = " ".join(ln.strip() for ln in m.group(1).splitlines() if ln.strip()) if m else None
    m = re.search(r"Instructors\s+(.*?)(?:\n\s*\n|$)", flat, re.S)
    pred["instructors"] = [x.strip() for x in re.split(r",\s*", " ".join(m.group(1).split())) if x.strip()] if m else []
    m = re.search(r"\n\s*([^\n]+?)\s*\n\s*Date\s", flat)
    pred["student"] = m.group(1).strip() if m else None
    m = re.search(r"Date\s+([A-Za-z]+)\.?\s+(\d{1,2}),\s*(\d{4})", flat)
    completed = None
    if m and m.group(1).lower() in MONTHS:
        try:
            completed = date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2))).isoformat()
        except ValueError:
            completed = None
    pred["completed_on"] = completed
    m = re.search(r"Length\s+([\d.]+)\s+total\s+(hours|mins)", flat)
    hours = None
    if m:
        try:
            value = float(m.group(1))
            hours = value if m.group(2) == "hours" else round(value / 60, 4)
        except ValueError:
            hours = None
    pred["length_hours"] = hours
    return pred


def run_naive(paths: list[Path]) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}  # default threading
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            image_path = path
            if path.suffix.lower() == ".pdf":
                image_path = Path(tmp) / (path.stem + ".png")
                _pdf_to_png(path, image_path)
            start = time.perf_counter()
            proc = subprocess.run(
                ["tesseract", str(image_path), "stdout", "--oem", "1", "--psm", "3", "-l", "eng"],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            ms = 1000 * (time.perf_counter() - start)
            pred = naive_parse(proc.stdout, path.name)
            pred["ms"] = round(ms, 1)
            if proc.returncode:
                pred["error"] = proc.stderr.strip()[-300:]
            out.append(pred)
    return out


def _pdf_to_png(pdf: Path, png: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        page.render(scale=1600 / page.get_size()[0]).to_pil().save(png)
    finally:
        doc.close()


# --------------------------------------------------------------------------- reporting


def _load_labels(folder: Path) -> list[dict[str, Any]]:
    with (folder / "labels.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _median_ms(rows: list[dict[str, Any]]) -> float:
    return statistics.median(r["ms"] for r in rows) if rows else float("nan")


def _print_score(name: str, result: dict[str, Any], ms: float) -> None:
    n = result["n"]
    cols = "  ".join(f"{f} {100.0 * c / max(1, n):5.1f}" for f, c in result["per_field"].items())
    print(f"  {name:7s} {cols}")
    print(
        f"  {'':7s} fields {result['fields_pct']:5.1f}%  fully right {result['all_pct']:5.1f}% "
        f"({result['all_right']}/{n})  wrong non-null {result['wrong_pct']:4.1f}%  median {ms:7.1f} ms/image"
    )


def _breakdown(labels: list[dict[str, Any]], preds: dict[str, dict[str, Any]], key: str) -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for label in labels:
        groups[str(label.get(key))].append(label)
    print(f"  reader by {key}:")
    for name in sorted(groups):
        res = score(groups[name], preds)
        worst = sorted(res["per_field"].items(), key=lambda kv: kv[1])
        weak = ", ".join(f"{f} {c}/{res['n']}" for f, c in worst if c < res["n"])
        ms = _median_ms([preds[lab["file"]] for lab in groups[name] if lab["file"] in preds])
        print(
            f"    {name:14s} n={res['n']:3d} fields {res['fields_pct']:5.1f}% all {res['all_pct']:5.1f}% "
            f"median {ms:6.0f} ms  misses: {weak or '-'}"
        )


def evaluate(
    title: str, folder: Path, labels: list[dict[str, Any]], workers: int, out: Path, tag: str, naive: bool
) -> dict[str, Any]:
    paths = [folder / label["file"] for label in labels]
    t0 = time.perf_counter()
    reader_rows = run_reader(paths, workers)
    t_reader = time.perf_counter() - t0
    _write_jsonl(out / f"{tag}reader.jsonl", reader_rows)
    reader_preds = {r["file"]: r for r in reader_rows}
    reader_score = score(labels, reader_preds)
    reader_ms = _median_ms(reader_rows)
    print(f"\n== {title}: {len(labels)} certificates from {folder}")
    print(f"  reader: {t_reader:.1f} s wall with {workers} worker(s)")
    naive_ms = float("nan")
    if naive:
        t0 = time.perf_counter()
        naive_rows = run_naive(paths)
        t_naive = time.perf_counter() - t0
        _write_jsonl(out / f"{tag}naive.jsonl", naive_rows)
        naive_score = score(labels, {r["file"]: r for r in naive_rows})
        naive_ms = _median_ms(naive_rows)
        print(f"  naive:  {t_naive:.1f} s wall (tesseract CLI, default threading)")
    print("  per-field accuracy (%):")
    _print_score("reader", reader_score, reader_ms)
    if naive:
        _print_score("naive", naive_score, naive_ms)
        print(
            f"  speed: reader {reader_ms:.0f} ms vs naive {naive_ms:.0f} ms median = {naive_ms / reader_ms:.1f}x faster"
        )
    for key in ("design", "damage"):
        if any(key in label for label in labels):
            _breakdown(labels, reader_preds, key)
    # The reader takes the number from a file named after it when the page matches it.
    by_name = [{**label, "file name": _file_name_kind(label)} for label in labels]
    if any(label["file name"] == "holds its number" for label in by_name):
        _breakdown(by_name, reader_preds, "file name")
    detected = sum(
        1
        for lab in labels
        if reader_preds.get(lab["file"], {}).get("language") == lab.get("language")
        and _design_family(reader_preds.get(lab["file"], {}).get("design")) == _design_family(lab.get("design"))
    )
    print(f"  reader design+language detected: {detected}/{len(labels)}")
    errors = [r for r in reader_rows if "error" in r]
    if errors:
        print(f"  reader errors: {len(errors)}, e.g. {errors[0]['file']}: {errors[0]['error'][:160]}")
    (out / f"{tag}reader-misses.txt").write_text("\n".join(reader_score["misses"]) + "\n", encoding="utf-8")
    print(f"  reader misses written to {out / (tag + 'reader-misses.txt')} ({len(reader_score['misses'])} lines)")
    return {"reader": reader_score, "reader_ms": reader_ms, "naive_ms": naive_ms}


def handling(folder: Path, labels: list[dict[str, Any]], workers: int, out: Path) -> None:
    """The reader on every certificate of ``folder`` as each of ``HANDLINGS`` leaves it."""
    from functions.ocr.reader import decode
    from functions.samples.damage import HANDLINGS, handle

    print(f"\n== handling: {len(labels)} certificates from {folder}, each kept {len(HANDLINGS)} more ways")
    for how in HANDLINGS:
        tag = re.sub(r"\W+", "-", how).strip("-")
        where = out / "handling" / tag
        where.mkdir(parents=True, exist_ok=True)
        handled = []
        for label in labels:
            source = folder / label["file"]
            copy, quality = handle(decode(source.read_bytes(), source.name)[1].convert("RGB"), how)
            name = f"{source.name}.jpg"  # a.png and a.pdf stay apart
            copy.save(where / name, "JPEG", quality=quality)
            handled.append({**label, "file": name})
        rows = run_reader([where / label["file"] for label in handled], workers)
        _write_jsonl(out / f"handling-{tag}-reader.jsonl", rows)
        result = score(handled, {r["file"]: r for r in rows})
        print(
            f"  {how:16s} fields {result['fields_pct']:5.1f}%  fully right {result['all_right']:3d}/{result['n']}"
            f"  wrong non-null {result['wrong_pct']:4.1f}%"
        )


def _file_name_kind(label: dict[str, Any]) -> str:
    number = str(label.get("certificate_id") or "").lower()
    return "holds its number" if number and number in str(label["file"]).lower() else "other"


def _design_family(design: Any) -> str:
    return str(design or "")


def median_current(count: int, seed: int, naive: bool, repeat: int = 1) -> tuple[float, float, float]:
    """Median ms of the reader (one process pinned to one core) and, unless ``naive`` is off, of
    the naive approach (its default threading) on the same ``count`` current-design 1600x1190 JPGs,
    each image's fastest of ``repeat`` passes counting; and the reader's median in its first pass."""
    from functions.samples.generator import generate

    with tempfile.TemporaryDirectory() as tmp:
        labels = generate(Path(tmp), count, seed=seed, fmt="jpg")
        paths = [Path(tmp) / label["file"] for label in labels]
        ctx = mp.get_context("spawn")
        with ctx.Pool(1, initializer=_pin_one_core) as pool:
            pool.map(_noop, [0])
            passes = [pool.map(_read_one, [str(p) for p in paths], chunksize=1) for _ in range(repeat)]
        naive_ms = _fastest_median([run_naive(paths) for _ in range(repeat)]) if naive else float("nan")
    return _fastest_median(passes), naive_ms, _median_ms(passes[0])


def _fastest_median(passes: list[list[dict[str, Any]]]) -> float:
    """The median over images of each image's fastest time in ``passes`` (each: one row per image,
    in the same order)."""
    return statistics.median(min(rows[i]["ms"] for rows in passes) for i in range(len(passes[0])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="read this folder (with labels.jsonl) instead")
    parser.add_argument("--real", type=Path, default=None, help="also score a folder of real certificates")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="where predictions go (default: a temp folder)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--median-current", type=int, nargs="?", const=30, default=0, metavar="N")
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="R", help="--median-current: the fastest of R passes per image"
    )
    parser.add_argument(
        "--handling", action="store_true", help="also read the --real (else --dir) folder kept in more ways"
    )
    args = parser.parse_args(argv)
    if args.handling and args.real is None and args.dir is None:
        parser.error("--handling needs --real or --dir: a folder of labelled certificates")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    start = time.perf_counter()
    out = args.out or Path(tempfile.mkdtemp(prefix="ocr-eval-"))
    out.mkdir(parents=True, exist_ok=True)
    if args.dir is not None:
        folder = args.dir
        labels = _load_labels(folder)
    else:
        from functions.samples.generator import generate_eval_set

        folder = out / "images"
        t0 = time.perf_counter()
        labels = generate_eval_set(folder, args.count, seed=args.seed)
        print(f"generated {len(labels)} certificates (seed {args.seed}) in {time.perf_counter() - t0:.1f} s: {folder}")
    evaluate("evaluation set", folder, labels, args.workers, out, "", not args.no_naive)
    if args.real is not None:
        evaluate("real certificates", args.real, _load_labels(args.real), args.workers, out, "real-", not args.no_naive)
    if args.handling:
        handled_folder = args.real if args.real is not None else args.dir
        assert handled_folder is not None  # checked after parsing
        handling(handled_folder, _load_labels(handled_folder), args.workers, out)
    if args.median_current:
        ms, naive_ms, first_ms = median_current(args.median_current, args.seed, not args.no_naive, args.repeat)
        fastest = f", each image's fastest of {args.repeat} passes; the first pass alone: {first_ms:.1f} ms"
        print(
            f"\nmedian-current: {ms:.1f} ms per current-design 1600x1190 JPG, "
            f"one process on one core (n={args.median_current}{fastest if args.repeat > 1 else ''})"
        )
        if not args.no_naive:
            print(
                f"median-current naive: {naive_ms:.1f} ms on the same images (default threading): "
                f"the reader is {naive_ms / ms:.1f}x faster"
            )
    print(f"\npredictions in {out}; total {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
