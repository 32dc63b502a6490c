"""Course lookup from files the user keeps: a link file (certificate id -> course URL or slug)
and catalog snapshots (JSON Lines of course payloads in Udemy's api-2.0 shape)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from contracts.records import CertificateFields, CoursePayload
from contracts.routing import prefix
from functions.shared.errors import ConfigurationError
from functions.shared.ports import CourseMatch, ObjectStore

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


class CourseCatalog:
    """The lookup chain of this stage: link file, then catalog by slug or exact title."""

    def __init__(self, links: dict[str, str], courses: list[CoursePayload]) -> None:
        self._links = links
        self._by_slug = {c.slug.lower(): c for c in courses}
        by_title: dict[str, list[CoursePayload]] = {}
        for c in courses:
            by_title.setdefault(normalise_title(c.title), []).append(c)
        self._by_title = by_title

    def match(self, fields: CertificateFields) -> CourseMatch:
        cert_id = (fields.certificate_id or "").lower()
        slug = self._links.get(cert_id) if cert_id else None
        if slug:
            course = self._by_slug.get(slug)
            if course:
                return CourseMatch("link_file", course, f"link file: {slug}")
        if fields.title:
            found = self._by_title.get(normalise_title(fields.title), [])
            if len(found) == 1:
                return CourseMatch("catalog", found[0], "catalog: same title")
        detail = "no course matched"
        if slug:
            detail = f"link file names {slug}, which no catalog holds"
        return CourseMatch("certificate_only", None, detail)


@lru_cache(maxsize=4)
def file_catalog(links_path: Path | None, catalog_path: Path | None) -> CourseCatalog:
    """The local course lookup: the files given to ``run --links/--catalog``."""
    links = load_links(links_path) if links_path else {}
    courses = load_catalog(catalog_path) if catalog_path else []
    return CourseCatalog(links, courses)


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


def bucket_catalog(store: ObjectStore) -> CourseCatalog:
    """The AWS course lookup from the files under ``config/``, read once per container."""
    links, courses = bucket_files(store)
    return CourseCatalog(links, courses)
