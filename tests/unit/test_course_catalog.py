"""Course lookup from the user's files: link file first, then the catalog by slug or exact title."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts.records import CertificateFields, CoursePayload
from contracts.settings import Settings
from functions.enrich.catalog import parse_catalog, parse_links, slug_of
from functions.enrich.chain import ResolutionChain, bucket_chain
from functions.local_runtime.runtime import LocalRuntime
from functions.shared.errors import ConfigurationError

CERT = "UC-4c00f41d-054f-428c-8fff-6b1beffcf17e"
PYTHON = CoursePayload(id=567828, title="The Complete Python Bootcamp", url="/course/complete-python-bootcamp/")
DJANGO = CoursePayload(id=1, title="Django with GraphQL", url="/course/django-graphql/")


@pytest.mark.parametrize(
    ("given", "slug"),
    [
        ("https://www.udemy.com/course/complete-python-bootcamp/?couponCode=X", "complete-python-bootcamp"),
        ("www.udemy.com/course/Complete-Python-Bootcamp", "complete-python-bootcamp"),
        ("complete-python-bootcamp", "complete-python-bootcamp"),
    ],
)
def test_course_urls_and_slugs_give_the_slug(given: str, slug: str) -> None:
    assert slug_of(given) == slug


def test_link_files_in_csv_and_json_say_the_same() -> None:
    csv_links = parse_links(f"certificate_id,course\n{CERT},https://www.udemy.com/course/django-graphql/\n", "l.csv")
    json_links = parse_links(f'{{"{CERT.upper()}": "django-graphql"}}', "l.json")
    assert csv_links == json_links == {CERT.lower(): "django-graphql"}


def test_a_link_csv_without_its_columns_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="certificate_id,course"):
        parse_links("id,url\n1,2\n", "links.csv")


def test_a_bad_catalog_line_names_its_line_number() -> None:
    with pytest.raises(ConfigurationError, match=r"catalog\.jsonl:2"):
        parse_catalog(PYTHON.model_dump_json() + "\n{not json\n", "catalog.jsonl")


def test_the_link_file_wins_then_the_exact_title_then_certificate_only() -> None:
    catalog = ResolutionChain({CERT.lower(): "django-graphql"}, [PYTHON, DJANGO])
    linked = catalog.match(CertificateFields(certificate_id=CERT, title="Something else"))
    by_title = catalog.match(CertificateFields(title="the complete  python bootcamp"))
    nothing = catalog.match(CertificateFields(title="The Complete Python Bootcamp 2"))
    assert (linked.method, linked.course) == ("link_file", DJANGO)
    assert (by_title.method, by_title.course) == ("catalog", PYTHON)
    assert (nothing.method, nothing.course) == ("certificate_only", None)


def test_a_link_to_a_course_no_catalog_holds_stays_certificate_only_and_says_why() -> None:
    match = ResolutionChain({CERT.lower(): "unknown-course"}, [PYTHON]).match(CertificateFields(certificate_id=CERT))
    assert match.method == "certificate_only" and "unknown-course" in match.detail


def test_two_catalog_courses_with_one_title_are_no_match_rather_than_a_guess() -> None:
    twin = CoursePayload(id=2, title=PYTHON.title, url="/course/python-twin/")
    assert ResolutionChain({}, [PYTHON, twin]).match(CertificateFields(title=PYTHON.title)).course is None


def test_the_bucket_catalog_reads_the_same_files_from_config(tmp_path: Path) -> None:
    store = LocalRuntime.open(Settings(workdir=tmp_path)).store
    store.put_bytes("config/links.csv", f"certificate_id,course\n{CERT},django-graphql\n".encode())
    store.put_bytes("config/catalog.jsonl", (DJANGO.model_dump_json() + "\n").encode())
    assert bucket_chain(store).match(CertificateFields(certificate_id=CERT)).course == DJANGO
