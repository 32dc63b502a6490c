"""A course catalog and a link file for generated certificates, so the demo shows every
enrichment path: some certificates linked by id, some matched by title, some left
certificate-only. Course payloads follow the shape of Udemy's api-2.0 course resource."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from contracts.records import CoursePayload


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("c++", "cpp").replace("c#", "csharp")).strip("-")


def course_payload(label: dict[str, Any]) -> CoursePayload:
    title = label["title"]
    digest = int(hashlib.sha256(title.encode()).hexdigest()[:8], 16)
    slug = slugify(title)
    practice = "practice test" in title.lower() or "exam" in title.lower()
    hours = label.get("length_hours")
    return CoursePayload.model_validate(
        {
            "_class": "course",
            "id": 1_000_000 + digest % 5_000_000,
            "title": title,
            "url": f"/course/{slug}/",
            "published_title": slug,
            "headline": f"{title}: a hands-on course",
            "is_paid": digest % 7 != 0,
            "is_practice_test_course": practice,
            "content_info": f"{hours:g} total hours" if hours else label.get("length_text"),
            "locale": {"_class": "locale", "locale": "en_US", "title": "English (US)"},
            "visible_instructors": [
                {"_class": "user", "title": name, "display_name": name} for name in label["instructors"]
            ],
        }
    )


def write_enrichment_files(labels: list[dict[str, Any]], catalog_path: Path, links_path: Path) -> None:
    """Every third certificate is linked by id, the next two are found by title in the catalog,
    except every fifth, which stays out of both and so keeps certificate-only metadata."""
    catalog: list[str] = []
    links: list[tuple[str, str]] = []
    for index, label in enumerate(labels):
        if index % 5 == 4:
            continue
        course = course_payload(label)
        catalog.append(course.model_dump_json(by_alias=True))
        if index % 3 == 0:
            links.append((label["certificate_id"], f"https://www.udemy.com{course.url}"))
    catalog_path.write_text("\n".join(sorted(set(catalog))) + "\n", encoding="utf-8")
    with links_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["certificate_id", "course"])
        writer.writerows(links)


def read_labels(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
