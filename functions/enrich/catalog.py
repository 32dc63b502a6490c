"""Course lookup from files the user keeps: a link file (certificate id -> course URL or slug)
and catalog snapshots (JSON Lines of course payloads in Udemy's api-2.0 shape)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

from pydantic import ValidationError

from contracts.records import CoursePayload
from contracts.routing import prefix
from functions.shared.errors import ConfigurationError
from functions.shared.ports import ObjectStore

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$", re.IGNORECASE)


def slug_of(course: str) -> str:
    """``https://www.udemy.com/course/python-bootcamp/?x=1`` or ``python-bootcamp`` -> ``python-bootcamp``."""
    text = course.strip()
    match = re.search(r"/course/([^/?#]+)", text)
    slug = match.group(1) if match else text.strip("/")
    if not _SLUG_RE.match(slug):
        raise ValueError(f"not a course URL or slug: {course!r}")
    return slug.lower()


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[^0-9a-z+#]+", " ", text).strip()


def parse_links(text: str, source: str) -> dict[str, str]:
    """Certificate id -> course slug, from CSV (``certificate_id,course``) or JSON (an object or a list)."""
    pairs: list[tuple[str, str]] = []
    if source.lower().endswith(".json"):
        try:
            data = json.loads(text)
            if isinstance(data, dict):
                pairs = [(str(k), str(v)) for k, v in data.items()]
            else:
                pairs = [(str(row["certificate_id"]), str(row["course"])) for row in data]
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"{source}: not a link file ({exc})") from exc
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"certificate_id", "course"} <= set(reader.fieldnames):
            raise ConfigurationError(f"{source}: a link CSV needs the columns certificate_id,course")
        pairs = [(row["certificate_id"], row["course"]) for row in reader if row.get("certificate_id")]
    links: dict[str, str] = {}
    for cert_id, course in pairs:
        try:
            links[cert_id.strip().lower()] = slug_of(course)
        except ValueError as exc:
            raise ConfigurationError(f"{source}: {exc}") from exc
    return links


def parse_catalog(text: str, source: str) -> list[CoursePayload]:
    """JSON Lines of course payloads in the api-2.0 shape; blank lines are skipped."""
    courses: list[CoursePayload] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            courses.append(CoursePayload.model_validate_json(line))
        except ValidationError as exc:
            raise ConfigurationError(f"{source}:{number}: not a course payload: {exc.errors()[0]['msg']}") from exc
    return courses


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read the {what} {path}: {exc.strerror}") from exc


def load_links(path: Path) -> dict[str, str]:
    return parse_links(_read(path, "link file"), str(path))


def load_catalog(path: Path) -> list[CoursePayload]:
    return parse_catalog(_read(path, "course catalog"), str(path))


def bucket_files(store: ObjectStore) -> tuple[dict[str, str], list[CoursePayload]]:
    """The link file and catalog kept in the bucket under ``config/`` (``links.csv`` or
    ``links.json``, and ``catalog.jsonl``)."""
    links: dict[str, str] = {}
    for name in ("links.csv", "links.json"):
        key = prefix("config") + name
        if store.head(key) is not None:
            links.update(parse_links(store.get_bytes(key).decode("utf-8"), key))
    key = prefix("config") + "catalog.jsonl"
    courses = parse_catalog(store.get_bytes(key).decode("utf-8"), key) if store.head(key) is not None else []
    return links, courses
