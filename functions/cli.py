"""``udemy-pipeline``: run the pipeline on the embedded local runtime, inspect it, replay it."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contracts import keys
from contracts.routing import STAGES
from contracts.settings import Settings
from functions.local_runtime import batches
from functions.local_runtime.runtime import DriverLock, LocalRuntime, WorkdirBusy
from functions.local_runtime.workers import DriveResult, WorkerPool, drive
from functions.progress import Progress
from functions.shared.errors import ConfigurationError

SAVED_SETTINGS = "settings.json"


class CliError(Exception):
    """A problem the user can fix: printed as one line, exit status 2."""


def _settings(args: argparse.Namespace) -> Settings:
    """CLI options over the workdir's saved options (from the last ``run``) over defaults."""
    workdir = Path(args.workdir).resolve()
    saved_path = workdir / SAVED_SETTINGS
    saved: dict[str, Any] = json.loads(saved_path.read_text()) if saved_path.is_file() else {}
    values: dict[str, Any] = {**saved, "runtime": "local", "workdir": workdir}
    for option in ("links", "catalog"):
        given = getattr(args, option, None)
        if given:
            path = Path(given).resolve()
            if not path.is_file():
                raise CliError(f"--{option} {given}: no such file")
            values[f"{option}_path"] = path
    if os.environ.get("TESSDATA_PREFIX"):
        values["tessdata_dir"] = os.environ["TESSDATA_PREFIX"]
    if getattr(args, "api", False):
        os.environ["UDEMY_API"] = "1"  # worker processes inherit it: the enrich stage may call the API
    settings = Settings.model_validate(values)
    workdir.mkdir(parents=True, exist_ok=True)
    keep = {k: str(v) for k, v in (("links_path", settings.links_path), ("catalog_path", settings.catalog_path)) if v}
    saved_path.write_text(json.dumps(keep, indent=2, sort_keys=True) + "\n")
    return settings


def _workers(args: argparse.Namespace) -> int:
    count = args.workers or os.cpu_count() or 1
    if count < 1:
        raise CliError("--workers must be at least 1")
    return int(count)


def _chaos() -> bool:
    return os.environ.get("UDEMY_PIPELINE_LOCAL_CHAOS") == "1"


def _emit(args: argparse.Namespace, human: str, data: Any) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, sort_keys=False))
    else:
        print(human)


def _batch_done(runtime: LocalRuntime, batch_id: str) -> Callable[[], bool]:
    def done() -> bool:
        state = runtime.tracker.get(batch_id)
        if state is None or not (state.is_settled and state.gold_done):
            return False
        return not any(sum(runtime.queues.depth(stage)) for stage in STAGES)

    return done


def _settle(runtime: LocalRuntime, pool: WorkerPool, batch_id: str, total: int) -> DriveResult:
    bar = Progress("settling", total)

    def tick() -> None:
        state = runtime.tracker.get(batch_id)
        settled = len([i for i in (state.settled if state else {}) if state and i in (state.expected or [])])
        quarantined = state.count("quarantined") if state else 0
        note = f"({quarantined} quarantined)" if quarantined else ""
        if state and state.is_settled and not state.gold_done:
            note = (note + " building gold").strip()
        bar.update(settled, note)

    try:
        return drive(runtime, pool, _batch_done(runtime, batch_id), tick)
    finally:
        bar.close()


def _finish(args: argparse.Namespace, runtime: LocalRuntime, batch_id: str, result: DriveResult) -> int:
    summary = batches.summary(runtime, batch_id)
    if not getattr(args, "json", False):
        print(
            f"batch {batch_id}: {summary.files} files, {summary.succeeded} succeeded, "
            f"{summary.quarantined} quarantined, {summary.dead_lettered} dead-lettered ({result.seconds:.1f}s)"
        )
        for table, rows in summary.gold.items():
            print(f"  gold.{table}: {rows} rows")
        only = batches.certificate_only_count(runtime, batch_id)
        if only:
            print(
                f"note: {only} of {summary.succeeded} certificates have certificate-only metadata "
                "(no link, catalog or API entry matched them; see `udemy-pipeline links unmatched`)"
            )
        if summary.quarantined:
            print(f"quarantine records: {runtime.store.path(keys.quarantine(batch_id, 'x')).parent}")
        if summary.warehouse:
            print(f"warehouse: {summary.warehouse}")
        if summary.dashboard:
            print(f"dashboard: {summary.dashboard}")
    if not result.done:
        print(
            f"error: batch {batch_id} did not settle: {summary.dead_lettered} message(s) are in a dead-letter queue. "
            "See `udemy-pipeline dlq list`, fix the cause, then `udemy-pipeline dlq redrive`.",
            file=sys.stderr,
        )
    if getattr(args, "json", False):
        print(json.dumps(summary.to_json_dict()))
    return 0 if result.done else 1


def _folder_files(args: argparse.Namespace) -> tuple[Path, list[Path]]:
    folder = Path(args.dir)
    try:
        files = batches.folder_files(folder)
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from exc
    if not files:
        raise CliError(f"{folder} holds no files to process")
    return folder, files


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    folder, files = _folder_files(args)
    if args.batch_id:
        keys.check_batch_id(args.batch_id)
    with DriverLock(settings.workdir):
        runtime = LocalRuntime.open(settings, chaos=_chaos())
        runtime.recover()
        with WorkerPool(settings, _workers(args), chaos=_chaos()) as pool:  # workers start while we hash
            batch_id = args.batch_id or batches.default_batch_id(folder, files)
            print(f"batch {batch_id}: {len(files)} files from {folder}, workdir {settings.workdir}", file=sys.stderr)
            dropping = Progress("dropping", len(files))
            batches.drop_folder(runtime, files, batch_id, on_file=dropping.update)
            dropping.close()
            result = _settle(runtime, pool, batch_id, len(files))
        return _finish(args, runtime, batch_id, result)


def cmd_drop(args: argparse.Namespace) -> int:
    settings = _settings(args)
    folder, files = _folder_files(args)
    batch_id = args.batch_id or batches.default_batch_id(folder, files)
    keys.check_batch_id(batch_id)
    runtime = LocalRuntime.open(settings, chaos=_chaos())
    manifest = batches.drop_folder(runtime, files, batch_id)
    _emit(
        args,
        f"dropped {manifest.expected_count} files as batch {batch_id}; `udemy-pipeline run {folder}` "
        f"or `udemy-pipeline replay --batch-id {batch_id}` processes them",
        {"batch_id": batch_id, "files": manifest.expected_count},
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    settings = _settings(args)
    runtime = LocalRuntime.open(settings)
    states = [s for s in runtime.tracker.list_batches() if not args.batch_id or s.batch_id == args.batch_id]
    if args.batch_id and not states:
        raise CliError(f"no batch {args.batch_id!r} in {settings.workdir}")
    rows = [
        {
            "batch_id": s.batch_id,
            "generation": s.generation,
            "files": len(s.expected) if s.expected is not None else None,
            "succeeded": s.count("succeeded"),
            "quarantined": s.count("quarantined"),
            "settled": s.is_settled,
            "gold_done": s.gold_done,
            "dead_lettered": batches.dead_letters_of(runtime, s.batch_id),
        }
        for s in states
    ]
    queues = batches.queue_depths(runtime)
    if args.json:
        print(json.dumps({"batches": rows, "queues": queues}))
        return 0
    if not rows:
        print(f"no batches in {settings.workdir}")
    for r in rows:
        files = "manifest not seen" if r["files"] is None else f"{r['files']} files"
        state = "gold built" if r["gold_done"] else ("settled" if r["settled"] else "in progress")
        print(
            f"{r['batch_id']}: {files}, {r['succeeded']} succeeded, {r['quarantined']} quarantined, "
            f"{r['dead_lettered']} dead-lettered, {state} (generation {r['generation']})"
        )
    print(
        "queues: "
        + ", ".join(f"{q} {d['waiting']}+{d['in_flight']} (dlq {d['dead_letters']})" for q, d in queues.items())
    )
    return 0


def cmd_dlq_list(args: argparse.Namespace) -> int:
    settings = _settings(args)
    runtime = LocalRuntime.open(settings)
    letters = runtime.queues.dead_letters(args.stage)
    rows = []
    for letter in letters:
        try:
            key = json.loads(letter.body)["detail"]["object"]["key"]
        except (KeyError, ValueError):
            key = None
        rows.append(
            {
                "stage": letter.queue,
                "message_id": letter.message_id,
                "key": key,
                "receive_count": letter.receive_count,
                "error": letter.last_error,
            }
        )
    if args.json:
        print(json.dumps(rows))
        return 0
    if not rows:
        print("no dead letters")
    for r in rows:
        print(f"{r['stage']}: {r['key']} after {r['receive_count']} tries: {r['error']}")
    return 0


def _drain(runtime: LocalRuntime, settings: Settings, args: argparse.Namespace, label: str) -> DriveResult:
    def done() -> bool:
        return not any(sum(runtime.queues.depth(stage)) for stage in STAGES)

    with WorkerPool(settings, _workers(args), chaos=_chaos()) as pool:
        print(label, file=sys.stderr)
        return drive(runtime, pool, done)


def cmd_dlq_redrive(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with DriverLock(settings.workdir):
        runtime = LocalRuntime.open(settings, chaos=_chaos())
        runtime.recover()
        moved = runtime.queues.redrive(args.stage)
        print(f"redrove {moved} message(s)", file=sys.stderr)
        _drain(runtime, settings, args, "processing redriven messages")
        left = len(runtime.queues.dead_letters(args.stage))
        _emit(
            args, f"redrove {moved} message(s); {left} dead letter(s) left", {"redriven": moved, "dead_letters": left}
        )
        return 0 if left == 0 else 1


def cmd_replay(args: argparse.Namespace) -> int:
    settings = _settings(args)
    batch_id = keys.check_batch_id(args.batch_id)
    with DriverLock(settings.workdir):
        runtime = LocalRuntime.open(settings, chaos=_chaos())
        runtime.recover()
        state = runtime.tracker.get(batch_id)
        landed = runtime.store.list_keys(keys.landing_prefix(batch_id))
        if state is None and not landed:
            raise CliError(f"no batch {batch_id!r} in {settings.workdir}")
        generation = runtime.tracker.reset(batch_id)
        sent = batches.resend_landed(runtime, batch_id, f"replay-{batch_id}-g{generation}")
        print(f"replaying batch {batch_id} (generation {generation}): {sent} files", file=sys.stderr)
        if runtime.store.head(keys.manifest(batch_id)) is None:
            raise CliError(f"batch {batch_id} has no manifest; drop the folder again with `udemy-pipeline run`")
        with WorkerPool(settings, _workers(args), chaos=_chaos()) as pool:
            result = _settle(runtime, pool, batch_id, sent)
        return _finish(args, runtime, batch_id, result)


def cmd_links_list(args: argparse.Namespace) -> int:
    from functions.enrich import links

    settings = _settings(args)
    rows = links.read(settings.workdir)
    if args.json:
        print(json.dumps([{"certificate_id": k, "course": v} for k, v in sorted(rows.items())]))
        return 0
    if not rows:
        print(f"no links in {settings.workdir / 'links.csv'}; add one with `udemy-pipeline links add ID URL`")
    for cert_id, slug in sorted(rows.items()):
        print(f"{cert_id} -> {slug}")
    return 0


def cmd_links_add(args: argparse.Namespace) -> int:
    from functions.enrich import links

    settings = _settings(args)
    slug, previous = links.add(settings.workdir, args.certificate_id, args.course)
    change = f" (was {previous})" if previous and previous != slug else ""
    _emit(
        args,
        f"linked {args.certificate_id} -> {slug}{change}; `udemy-pipeline enrich --refresh` applies it",
        {"certificate_id": args.certificate_id.strip().lower(), "course": slug, "previous": previous},
    )
    return 0


def cmd_links_import(args: argparse.Namespace) -> int:
    from functions.enrich import links

    settings = _settings(args)
    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"{args.file}: no such file")
    added, changed = links.import_file(settings.workdir, source)
    _emit(
        args,
        f"imported {args.file}: {added} new link(s), {changed} changed",
        {"added": added, "changed": changed},
    )
    return 0


def cmd_links_unmatched(args: argparse.Namespace) -> int:
    from functions.enrich import links

    settings = _settings(args)
    runtime = LocalRuntime.open(settings)
    rows = links.unmatched(runtime.store, args.batch_id)
    if args.json:
        print(links.dumps(rows))
        return 0
    if not rows:
        print("every certificate is matched to a course")
    for r in rows:
        print(f"{r.certificate_id or '(no id)'} | {r.title or '(no title)'} | {r.batch_id}/{r.file}")
    return 0


def cmd_enrich(args: argparse.Namespace) -> int:
    from functions.enrich.refresh import start_refresh

    if not args.refresh:
        raise CliError("nothing to do: use `udemy-pipeline enrich --refresh [--batch-id ID]`")
    settings = _settings(args)
    with DriverLock(settings.workdir):
        runtime = LocalRuntime.open(settings, chaos=_chaos())
        runtime.recover()
        if args.batch_id:
            batch_ids = [keys.check_batch_id(args.batch_id)]
            if runtime.tracker.get(args.batch_id) is None:
                raise CliError(f"no batch {args.batch_id!r} in {settings.workdir}")
        else:
            batch_ids = [s.batch_id for s in runtime.tracker.list_batches()]
        status = 0
        refreshed = []
        for batch_id in batch_ids:
            before = batches.certificate_only_count(runtime, batch_id)
            plan = start_refresh(runtime, batch_id)
            if plan is None:
                continue
            print(
                f"refreshing batch {batch_id} (generation {plan.generation}): "
                f"{plan.re_enriched} certificate-only file(s) looked up again",
                file=sys.stderr,
            )
            with WorkerPool(settings, _workers(args), chaos=_chaos()) as pool:
                result = _settle(runtime, pool, batch_id, plan.re_enriched + plan.resent)
            after = batches.certificate_only_count(runtime, batch_id)
            refreshed.append(
                {"batch_id": batch_id, "looked_up": plan.re_enriched, "matched": before - after, "settled": result.done}
            )
            if not result.done:
                status = 1
                print(
                    f"error: batch {batch_id} did not settle: see `udemy-pipeline dlq list`, "
                    "then `udemy-pipeline dlq redrive`",
                    file=sys.stderr,
                )
        lines = [
            f"batch {r['batch_id']}: {r['matched']} of {r['looked_up']} certificate-only file(s) now matched"
            for r in refreshed
        ]
        _emit(args, "\n".join(lines) or "no certificate-only rows to refresh", {"batches": refreshed})
        return status


def _parse_time(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CliError(f"not an ISO-8601 time: {text!r} (e.g. 2026-11-29T10:00:00Z)") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def cmd_replay_events(args: argparse.Namespace) -> int:
    settings = _settings(args)
    since, until = _parse_time(args.since), _parse_time(args.until)
    if since >= until:
        raise CliError("--since must be before --until")
    with DriverLock(settings.workdir):
        runtime = LocalRuntime.open(settings, chaos=_chaos())
        runtime.recover()
        name = f"replay-{int(time.time())}"
        count = runtime.bus.replay(since, until, name)
        _drain(runtime, settings, args, f"re-delivered {count} archived event(s) as {name}")
        _emit(
            args,
            f"re-delivered {count} archived event(s) from {since} to {until}",
            {"replay_name": name, "events": count},
        )
        return 0


def cmd_ocr(args: argparse.Namespace) -> int:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from functions.ocr.reader import CertificateReader
    from functions.shared.errors import PermanentError

    reader = CertificateReader(os.environ.get("TESSDATA_PREFIX") or Settings().tessdata_dir)
    failures = 0
    for name in args.files:
        path = Path(name)
        line: dict[str, Any] = {"file": path.name}
        try:
            result = reader.read(path.read_bytes(), path.name)
        except OSError as exc:
            line["error"] = f"cannot read file: {exc.strerror}"
        except PermanentError as exc:
            line.update(error=exc.reason, reason_code=exc.reason_code)
        else:
            line.update(result.fields.model_dump(mode="json"))
            line.update(design=result.design, language=result.language, confidence=result.confidence)
        failures += "error" in line
        if args.json:
            print(json.dumps(line, ensure_ascii=False), flush=True)
        elif "error" in line:
            print(f"{path}: error: {line['error']}")
        else:
            print(
                f"{path}: {line['certificate_id']} | {line['title']} | {', '.join(line['instructors'])} | "
                f"{line['student']} | {line['completed_on']} | {line['length_hours']} h"
            )
    return 0 if failures < len(args.files) else 1


def cmd_samples(args: argparse.Namespace) -> int:
    from functions.samples.catalog import write_enrichment_files
    from functions.samples.generator import generate

    out = Path(args.out)
    if args.eval:
        from functions.samples.generator import generate_eval_set

        labels = generate_eval_set(out, args.count, seed=args.seed)
    else:
        labels = generate(out, args.count, seed=args.seed, student=args.student)
    # Ground truth and enrichment files go beside the folder, so `run OUT` drops certificates only.
    labels_path = out.parent / f"{out.name}.labels.jsonl"
    (out / "labels.jsonl").replace(labels_path)
    catalog, links = out.parent / f"{out.name}.catalog.jsonl", out.parent / f"{out.name}.links.csv"
    write_enrichment_files(labels, catalog, links)
    print(
        f"wrote {len(labels)} certificates to {out}; ground truth {labels_path}, "
        f"course catalog {catalog}, link file {links}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="udemy-pipeline",
        description="Read Udemy certificates with OCR, enrich them, and build gold analytics and a dashboard, "
        "on the embedded local runtime (no AWS account needed).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser, workers: bool = False) -> None:
        p.add_argument(
            "--workdir",
            default=".udemy-pipeline",
            help="where the local runtime keeps everything (bucket, queues, state, logs); default ./.udemy-pipeline",
        )
        if workers:
            p.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")

    p = sub.add_parser("run", help="process every file of a folder as one batch and wait until it settles")
    p.add_argument("dir", help="folder of certificate files (JPG, PNG, PDF); hidden files are skipped")
    p.add_argument(
        "--batch-id",
        help="batch id (default: the folder name plus a hash of its content; "
        "run again with the same id to resume after a crash)",
    )
    p.add_argument("--links", help="CSV (certificate_id,course) or JSON linking certificates to course URLs/slugs")
    p.add_argument("--catalog", help="JSON Lines of course payloads in Udemy api-2.0 shape")
    p.add_argument(
        "--api",
        action="store_true",
        help="look unmatched courses up on Udemy's API (UDEMY_API_BASE_URL, default https://www.udemy.com/api-2.0)",
    )
    p.add_argument("--json", action="store_true", help="print the run summary as JSON on the last line of stdout")
    common(p, workers=True)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("drop", help="land a folder as one batch without processing it yet")
    p.add_argument("dir")
    p.add_argument("--batch-id")
    p.add_argument("--json", action="store_true")
    common(p)
    p.set_defaults(func=cmd_drop)

    p = sub.add_parser("status", help="batches, their progress, and queue depths")
    p.add_argument("--batch-id")
    p.add_argument("--json", action="store_true")
    common(p)
    p.set_defaults(func=cmd_status)

    dlq = sub.add_parser("dlq", help="dead-letter queues").add_subparsers(dest="dlq_command", required=True)
    p = dlq.add_parser("list", help="messages that failed every retry, with their cause")
    p.add_argument("--stage", choices=STAGES)
    p.add_argument("--json", action="store_true")
    common(p)
    p.set_defaults(func=cmd_dlq_list)
    p = dlq.add_parser("redrive", help="move dead letters back to their queues and process them")
    p.add_argument("--stage", choices=STAGES)
    p.add_argument("--json", action="store_true")
    common(p, workers=True)
    p.set_defaults(func=cmd_dlq_redrive)

    p = sub.add_parser("replay", help="re-run a whole batch from its landed files (new tracker generation)")
    p.add_argument("--batch-id", required=True)
    p.add_argument("--json", action="store_true")
    common(p, workers=True)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("replay-events", help="re-deliver archived events of a time window (UTC, ISO-8601)")
    p.add_argument("--since", required=True)
    p.add_argument("--until", required=True)
    p.add_argument("--json", action="store_true")
    common(p, workers=True)
    p.set_defaults(func=cmd_replay_events)

    links_cmd = sub.add_parser("links", help="your link file: certificate id -> course URL or slug").add_subparsers(
        dest="links_command", required=True
    )
    p = links_cmd.add_parser("list", help="the links in <workdir>/links.csv")
    p.add_argument("--json", action="store_true")
    common(p)
    p.set_defaults(func=cmd_links_list)
    p = links_cmd.add_parser("add", help="link one certificate to its course")
    p.add_argument("certificate_id", help="UC-... as printed on the certificate")
    p.add_argument("course", help="the course URL (https://www.udemy.com/course/<slug>/) or slug")
    p.add_argument("--json", action="store_true")
    common(p)
    p.set_defaults(func=cmd_links_add)
    p = links_cmd.add_parser("import", help="merge a CSV (certificate_id,course) or JSON link file")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    common(p)
    p.set_defaults(func=cmd_links_import)
    p = links_cmd.add_parser("unmatched", help="certificates with certificate-only metadata (id, title, file)")
    p.add_argument("--batch-id")
    p.add_argument("--json", action="store_true")
    common(p)
    p.set_defaults(func=cmd_links_unmatched)

    p = sub.add_parser("enrich", help="look courses up again for certificate-only rows")
    p.add_argument("--refresh", action="store_true", help="re-enrich certificate-only rows and rebuild gold")
    p.add_argument("--batch-id", help="only this batch (default: every batch)")
    p.add_argument("--links", help="CSV or JSON link file to use as well (as for `run`)")
    p.add_argument("--catalog", help="JSON Lines of course payloads to use as well (as for `run`)")
    p.add_argument("--api", action="store_true", help="look courses up on Udemy's API as well")
    p.add_argument("--json", action="store_true")
    common(p, workers=True)
    p.set_defaults(func=cmd_enrich)

    p = sub.add_parser(
        "ocr",
        help="read certificates without running the pipeline",
        description="Read certificates (JPG, PNG, image-only PDF) without running the pipeline. A file still "
        "named after its certificate number (UC-<uuid>.jpg, as Udemy names downloads) lends that number "
        "when the page's own reading matches it.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="JSON Lines, one per file")
    p.set_defaults(func=cmd_ocr)

    samples = sub.add_parser("samples", help="synthetic certificates").add_subparsers(
        dest="samples_command", required=True
    )
    p = samples.add_parser("generate", help="render current-design certificates with ground truth")
    p.add_argument("out")
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--student", help="one student name on every certificate (default: a different one each)")
    p.add_argument("--eval", action="store_true", help="the evaluation mix: every design and damage")
    p.set_defaults(func=cmd_samples)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, ValueError, ConfigurationError, WorkdirBusy) as exc:
        print(f"udemy-pipeline: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("udemy-pipeline: interrupted; run the same command again to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
