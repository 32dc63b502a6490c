"""The resolution chain: link file, bronze cache, catalog, API, certificate-only; and the link file commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contracts.records import CertificateFields, CoursePayload
from contracts.settings import Settings
from functions.enrich import links
from functions.enrich.api import ApiConfig
from functions.enrich.chain import ResolutionChain, local_chain
from functions.local_runtime.runtime import LocalRuntime

CERT = "UC-4c00f41d-054f-428c-8fff-6b1beffcf17e"
PYTHON = CoursePayload(id=567828, title="The Complete Python Bootcamp", url="/course/complete-python-bootcamp/")
DJANGO = CoursePayload(id=1, title="Django with GraphQL", url="/course/django-graphql/")


class FakeApi:
    def __init__(self, courses: list[CoursePayload]) -> None:
        self.courses = {c.slug: c for c in courses}
        self.calls: list[str] = []

    def course(self, slug: str) -> CoursePayload | None:
        self.calls.append(slug)
        return self.courses.get(slug)

    def search(self, title: str) -> list[CoursePayload]:
        self.calls.append(f"search:{title}")
        return list(self.courses.values())


def test_each_step_records_its_method(tmp_path: Path) -> None:
    store = LocalRuntime.open(Settings(workdir=tmp_path)).store
    store.put_bytes("bronze/courses/1.json", DJANGO.model_dump_json().encode())
    api = FakeApi([PYTHON, CoursePayload(id=9, title="Rust in Action", url="/course/rust-in-action/")])
    chain = ResolutionChain({"uc-1": "django-graphql", "uc-2": "complete-python-bootcamp"}, [], store, api)  # type: ignore[arg-type]
    assert chain.match(CertificateFields(certificate_id="UC-1")).method == "link_file"  # slug found in the cache
    assert chain.match(CertificateFields(certificate_id="UC-2")).method == "api"  # slug fetched
    assert chain.match(CertificateFields(title="Django with GraphQ1")).method == "cache"
    assert chain.match(CertificateFields(title="Rust in Actlon")).method == "title_search"
    nothing = chain.match(CertificateFields(title="Cooking for Cats"))
    assert nothing.method == "certificate_only" and "API search" in nothing.detail
    assert api.calls[0] == "complete-python-bootcamp"  # the cached slug was never fetched


def test_without_api_the_chain_never_calls_out_and_says_why(tmp_path: Path) -> None:
    match = ResolutionChain({}, [], None, None).match(CertificateFields(title="Anything"))
    assert match.method == "certificate_only" and "no link file, catalog or API" in match.detail


def test_the_api_is_opt_in() -> None:
    assert ApiConfig.from_env({}) is None
    assert ApiConfig.from_env({"UDEMY_API": "1"}) == ApiConfig()
    custom = ApiConfig.from_env({"UDEMY_API_BASE_URL": "http://127.0.0.1:9/api-2.0/", "UDEMY_CLIENT_ID": "i"})
    assert custom is not None and custom.base_url == "http://127.0.0.1:9/api-2.0" and custom.client_id == "i"


def test_the_workdir_link_file_is_kept_by_the_links_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UDEMY_API_BASE_URL", raising=False)
    monkeypatch.delenv("UDEMY_API", raising=False)
    slug, previous = links.add(tmp_path, CERT, "https://www.udemy.com/course/Django-GraphQL/?x=1")
    assert (slug, previous) == ("django-graphql", None)
    other = tmp_path / "more.json"
    other.write_text(json.dumps({"UC-2": "complete-python-bootcamp", CERT: "complete-python-bootcamp"}))
    assert links.import_file(tmp_path, other) == (1, 1)
    assert links.read(tmp_path) == {CERT.lower(): "complete-python-bootcamp", "uc-2": "complete-python-bootcamp"}
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text(PYTHON.model_dump_json() + "\n")
    store = LocalRuntime.open(Settings(workdir=tmp_path)).store
    chain = local_chain(store, tmp_path, None, catalog)
    assert chain.api is None
    assert chain.match(CertificateFields(certificate_id=CERT)).course == PYTHON
