"""The resolution chain of the enrich stage, first hit wins:

1. the link file (certificate id -> course slug), whose course is then looked up in the bronze
   course cache, the catalog snapshots, or the API (``link_file``, or ``api`` when fetched);
2. the bronze course cache (``bronze/courses/<id>.json``) by title (``cache``);
3. the catalog snapshots by title (``catalog``);
4. the API's title search (``title_search``), when the API is enabled;
5. certificate-only metadata (``certificate_only``), with the reason in ``detail``.

Title matches allow for OCR errors but never guess (``functions.enrich.titles``). A transient
API failure raises ``TransientError``; a permanent one (404, HTML page, bad JSON) falls through.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from contracts.records import CertificateFields, CoursePayload
from contracts.routing import prefix
from functions.enrich.api import ApiConfig, CourseApi
from functions.enrich.catalog import bucket_files, load_catalog, load_links
from functions.enrich.titles import best_title_match
from functions.shared.observability import logger
from functions.shared.ports import CourseMatch, ObjectStore

WORKDIR_LINKS = "links.csv"


class CourseCache:
    """The course payloads already in ``bronze/courses/``, read once each, re-listed on every lookup."""

    def __init__(self, store: ObjectStore | None) -> None:
        self._store = store
        self._courses: dict[str, CoursePayload] = {}

    def courses(self) -> list[CoursePayload]:
        if self._store is not None:
            for key in self._store.list_keys(prefix("bronze_courses")):
                if key in self._courses or not key.endswith(".json"):
                    continue
                try:
                    self._courses[key] = CoursePayload.model_validate_json(self._store.get_bytes(key))
                except (KeyError, ValidationError, ValueError):
                    logger.warning("skipping an unreadable cached course", key=key)
        return list(self._courses.values())

    def by_slug(self, slug: str) -> CoursePayload | None:
        return next((c for c in self.courses() if c.slug.lower() == slug), None)


class ResolutionChain:
    """A ``CourseLookup``: link file, bronze cache, catalog snapshots, API, certificate-only."""

    def __init__(
        self,
        links: dict[str, str],
        catalog: list[CoursePayload],
        store: ObjectStore | None = None,
        api: CourseApi | None = None,
    ) -> None:
        self._links = links
        self._catalog = catalog
        self._catalog_by_slug = {c.slug.lower(): c for c in catalog}
        self._cache = CourseCache(store)
        self.api = api

    def match(self, fields: CertificateFields) -> CourseMatch:
        cert_id = (fields.certificate_id or "").lower()
        slug = self._links.get(cert_id) if cert_id else None
        tried: list[str] = []
        if slug:
            cached = self._cache.by_slug(slug)
            if cached is not None:
                return CourseMatch("link_file", cached, f"link file: {slug} (course from the cache)")
            listed = self._catalog_by_slug.get(slug)
            if listed is not None:
                return CourseMatch("link_file", listed, f"link file: {slug}")
            if self.api is not None:
                fetched = self.api.course(slug)
                if fetched is not None:
                    return CourseMatch("api", fetched, f"link file: {slug} (course from the API)")
                tried.append(f"link file names {slug}, which the API does not know")
            else:
                tried.append(f"link file names {slug}, which no catalog holds")
        if fields.title:
            found = best_title_match(fields.title, self._cache.courses())
            if found.course is not None:
                return CourseMatch("cache", found.course, f"cache: {found.detail}")
            found = best_title_match(fields.title, self._catalog)
            if found.course is not None:
                return CourseMatch("catalog", found.course, f"catalog: {found.detail}")
            if self._catalog:
                tried.append(f"no catalog title close enough ({found.detail})")
            if self.api is not None:
                found = best_title_match(fields.title, self.api.search(fields.title))
                if found.course is not None:
                    return CourseMatch("title_search", found.course, f"API search: {found.detail}")
                tried.append(f"API search: {found.detail}")
        elif not slug:
            tried.append("no certificate title to search by")
        if self.api is None and not self._links and not self._catalog:
            tried.append("no link file, catalog or API configured")
        return CourseMatch("certificate_only", None, "; ".join(tried) or "no course matched")


def workdir_links(workdir: Path) -> Path:
    """The user's own link file, managed by ``udemy-pipeline links``."""
    return workdir / WORKDIR_LINKS


def local_chain(
    store: ObjectStore, workdir: Path, links_path: Path | None, catalog_path: Path | None
) -> ResolutionChain:
    """The local lookup: the workdir's link file, then ``--links`` (which wins on a clash), the
    ``--catalog`` snapshot, the bucket's course cache, and the API when enabled."""
    links: dict[str, str] = {}
    own = workdir_links(workdir)
    if own.is_file():
        links.update(load_links(own))
    if links_path:
        links.update(load_links(links_path))
    catalog = load_catalog(catalog_path) if catalog_path else []
    config = ApiConfig.from_env()
    return ResolutionChain(links, catalog, store, CourseApi(config) if config else None)


def bucket_chain(store: ObjectStore) -> ResolutionChain:
    """The AWS lookup: the link file and catalog under ``config/``, the bucket's course cache, and
    the API when enabled by the function's environment."""
    links, catalog = bucket_files(store)
    config = ApiConfig.from_env()
    return ResolutionChain(links, catalog, store, CourseApi(config) if config else None)
