"""Course lookup from files the user keeps: a link file (certificate id -> course URL or slug)
and catalog snapshots (JSON Lines of course payloads in Udemy's api-2.0 shape)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from contracts.records import CertificateFields, CoursePayload, EnrichmentMethod
from functions.shared.errors import ConfigurationError

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


def load_links(path: Path) -> dict[str, str]:
    """Certificate id -> course slug, from CSV (``certificate_id,course``) or JSON (an object or a list)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read the link file {path}: {exc.strerror}") from exc
    pairs: list[tuple[str, str]] = []
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if isinstance(data, dict):
            pairs = [(str(k), str(v)) for k, v in data.items()]
        else:
            pairs = [(str(row["certificate_id"]), str(row["course"])) for row in data]
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"certificate_id", "course"} <= set(reader.fieldnames):
            raise ConfigurationError(f"{path}: a link CSV needs the columns certificate_id,course")
        pairs = [(row["certificate_id"], row["course"]) for row in reader if row.get("certificate_id")]
    links: dict[str, str] = {}
    for cert_id, course in pairs:
        try:
            links[cert_id.strip().lower()] = slug_of(course)
        except ValueError as exc:
            raise ConfigurationError(f"{path}: {exc}") from exc
    return links


def load_catalog(path: Path) -> list[CoursePayload]:
    courses: list[CoursePayload] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigurationError(f"cannot read the course catalog {path}: {exc.strerror}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            courses.append(CoursePayload.model_validate_json(line))
        except ValidationError as exc:
            raise ConfigurationError(f"{path}:{number}: not a course payload: {exc.errors()[0]['msg']}") from exc
    return courses


@dataclass(frozen=True)
class Match:
    method: EnrichmentMethod
    course: CoursePayload | None
    detail: str


class CourseCatalog:
    """The lookup chain of this stage: link file, then catalog by slug or exact title."""

    def __init__(self, links: dict[str, str], courses: list[CoursePayload]) -> None:
        self._links = links
        self._by_slug = {c.slug.lower(): c for c in courses}
        by_title: dict[str, list[CoursePayload]] = {}
        for c in courses:
            by_title.setdefault(normalise_title(c.title), []).append(c)
        self._by_title = by_title

    def match(self, fields: CertificateFields) -> Match:
        cert_id = (fields.certificate_id or "").lower()
        slug = self._links.get(cert_id) if cert_id else None
        if slug:
            course = self._by_slug.get(slug)
            if course:
                return Match("link_file", course, f"link file: {slug}")
        if fields.title:
            found = self._by_title.get(normalise_title(fields.title), [])
            if len(found) == 1:
                return Match("catalog", found[0], "catalog: same title")
        detail = "no course matched"
        if slug:
            detail = f"link file names {slug}, which no catalog holds"
        return Match("certificate_only", None, detail)


@lru_cache(maxsize=4)
def get_catalog(links_path: Path | None, catalog_path: Path | None) -> CourseCatalog:
    links = load_links(links_path) if links_path else {}
    courses = load_catalog(catalog_path) if catalog_path else []
    return CourseCatalog(links, courses)
