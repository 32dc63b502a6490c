"""The static dashboard: the figures a user looks for, escaping, no network assets, stable output."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

from contracts.records import BronzeCertificate, CertificateFields, CourseInstructor, CoursePayload, EnrichmentLink
from functions.gold.build import build_gold
from functions.gold.dashboard import DashboardData, format_hours, render_dashboard
from functions.silver.build import build_silver_parquet


def certificate(owner: str, title: str, instructors: list[str], hours: float | None, year: int) -> dict[str, Any]:
    return {
        "owner": owner,
        "title": title,
        "instructors": instructors,
        "completed_on": date(year, 1, 15),
        "length_hours": hours,
        "enrichment_method": "api",
        "course_url": "https://www.udemy.com/course/x/",
    }


def sample() -> DashboardData:
    return DashboardData(
        certificates=[
            certificate("Ann", "Python <Bootcamp> & more", ["Jose Portilla"], 22.5, 2023),
            certificate("Ann", "Docker", ["Nigel Poulton"], 0.75, 2024),
            certificate("Bob", "Go", ["Todd McLeod"], 40.0, 2022),
        ],
        owner_stats=[
            {
                "owner": "Ann",
                "period": "2023",
                "completed_year": 2023,
                "total_courses": 1,
                "total_hours": 22.5,
                "paid_courses": 1,
                "practice_tests": 0,
            },
            {
                "owner": "Ann",
                "period": "2024",
                "completed_year": 2024,
                "total_courses": 1,
                "total_hours": 0.75,
                "paid_courses": 1,
                "practice_tests": 0,
            },
            {
                "owner": "Ann",
                "period": "all",
                "completed_year": None,
                "total_courses": 2,
                "total_hours": 23.25,
                "paid_courses": 2,
                "practice_tests": 0,
            },
            {
                "owner": "Bob",
                "period": "2022",
                "completed_year": 2022,
                "total_courses": 1,
                "total_hours": 40.0,
                "paid_courses": 0,
                "practice_tests": 0,
            },
            {
                "owner": "Bob",
                "period": "all",
                "completed_year": None,
                "total_courses": 1,
                "total_hours": 40.0,
                "paid_courses": 0,
                "practice_tests": 0,
            },
        ],
        instructor_stats=[
            {"owner": "Ann", "instructor_name": f"Instructor {i}", "total_courses": 1, "total_hours": float(i)}
            for i in range(1, 7)
        ]
        + [{"owner": "Ann", "instructor_name": "Jose Portilla", "total_courses": 1, "total_hours": 22.5}],
    )


def owner_section(page: str, index: int) -> str:
    match = re.search(rf'<section class="owner" id="owner-{index}">(.*?)</section>', page, re.S)
    assert match, f"no section {index}"
    return match.group(1)


def test_page_shows_totals_years_top_instructors_and_certificates() -> None:
    page = render_dashboard(sample())
    ann = owner_section(page, 0)
    assert '<div class="kpi" data-figure="total-courses"><span class="kpi-value">2</span>' in ann
    assert '<div class="kpi" data-figure="total-hours"><span class="kpi-value">23.25</span>' in ann
    # hours per year: one bar per year, the longest year is the full width
    assert '<span class="bar-label">2023</span>' in ann and '<span class="bar-label">2024</span>' in ann
    assert 'style="width: 100.0%"' in ann
    assert "22.5 h" in ann and "0.75 h" in ann
    # top 5 instructors by hours: Jose first, Instructor 1 (the sixth) left out
    top = re.search(r'<ol class="top-instructors">(.*?)</ol>', ann, re.S)
    assert top
    names = re.findall(r"<strong>(.*?)</strong>", top.group(1))
    assert names == ["Jose Portilla", "Instructor 6", "Instructor 5", "Instructor 4", "Instructor 3"]
    # the certificates table
    assert "<th>Title</th><th>Instructors</th><th>Completed on</th>" in ann
    assert "2024-01-15" in ann and "Nigel Poulton" in ann and ">api<" in ann


def test_one_section_per_owner_with_a_contents_list() -> None:
    page = render_dashboard(sample())
    bob = owner_section(page, 1)
    assert (
        "<h2>Bob</h2>" in bob
        and '<span class="kpi-value">40</span>' in bob
        and "Todd McLeod" not in owner_section(page, 0)
    )
    assert '<a href="#owner-0">Ann</a>' in page and '<a href="#owner-1">Bob</a>' in page


def test_text_is_escaped() -> None:
    page = render_dashboard(sample())
    assert "Python &lt;Bootcamp&gt; &amp; more" in page
    assert "<Bootcamp>" not in page


def test_no_script_style_or_font_from_the_network() -> None:
    page = render_dashboard(sample())
    assert "<script" not in page.lower()
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"\bsrc=[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"@import|url\(", page, re.I)


def test_page_is_deterministic_and_handles_no_data() -> None:
    assert render_dashboard(sample()) == render_dashboard(sample())
    assert "No certificates yet" in render_dashboard(DashboardData())


def test_format_hours() -> None:
    assert [format_hours(x) for x in (22.5, 0.75, 3.0, 0.0, 1234.5, None)] == ["22.5", "0.75", "3", "0", "1,234.5", ""]


def test_build_gold_writes_the_dashboard_from_gold(tmp_path: Path) -> None:
    # Given two certificates read, enriched and written to silver by the pipeline's own builder
    silver_dir = tmp_path / "silver" / "batch=b1"
    silver_dir.mkdir(parents=True)
    for item, cid, instructor, content in (
        ("a.jpg", "UC-1", "Jose Portilla", "22 total hours"),
        ("b.jpg", "UC-2", "Maximilian Schwarzmüller", "45 total mins"),
    ):
        sha = hashlib.sha256(item.encode()).hexdigest()
        bronze = BronzeCertificate(
            batch_id="b1",
            item=item,
            source_key=f"landing/b1/{item}",
            source_etag="e",
            source_sha256=sha,
            media_type="image/jpeg",
            design="classic",
            language="en",
            engine="tesserocr",
            engine_version="5",
            fields=CertificateFields(certificate_id=cid, student="Ann Lee", completed_on=date(2023, 4, 1)),
            confidence={"title": 0.9},
            raw_text="",
        )
        course = CoursePayload(
            id=int(cid[3:]),
            title=f"Course {cid}",
            url=f"/course/c{cid[3:]}/",
            is_paid=True,
            content_info=content,
            visible_instructors=[CourseInstructor(display_name=instructor)],
        )
        link = EnrichmentLink(
            batch_id="b1", item=item, bronze_key="k", method="api", status="matched", course_id=course.id
        )
        (silver_dir / f"{item}.parquet").write_bytes(build_silver_parquet(bronze, link, course))
    # When gold is built
    build_gold(tmp_path / "silver", tmp_path / "gold")
    # Then the page shows the totals and the instructors
    page = (tmp_path / "gold" / "dashboard" / "index.html").read_text(encoding="utf-8")
    assert '<div class="kpi" data-figure="total-courses"><span class="kpi-value">2</span>' in page
    assert '<div class="kpi" data-figure="total-hours"><span class="kpi-value">22.75</span>' in page
    assert "Jose Portilla" in page and "Maximilian Schwarzmüller" in page
    assert "https://www.udemy.com/course/c1/" in page
