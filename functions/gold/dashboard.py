"""A static, self-contained HTML dashboard built from the gold tables.

No script, no stylesheet or font from the network: inline CSS, bars drawn with CSS widths. Every
text comes from the data and is escaped. The page is a function of the gold rows only (no clock),
so the same gold gives the same bytes. One section per owner, with a contents list when there are
several owners.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

TOP_INSTRUCTORS = 5

Row = Mapping[str, Any]

_CSS = """
:root { color-scheme: light; --ink: #1c1d1f; --muted: #6a6f73; --accent: #5624d0; --line: #d1d7dc; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
header, main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem; }
h1 { margin: 0.5rem 0; }
h2 { border-bottom: 2px solid var(--accent); padding-bottom: 0.25rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
a { color: var(--accent); }
.kpis { display: flex; flex-wrap: wrap; gap: 1rem; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; min-width: 9rem; }
.kpi-value { display: block; font-size: 1.8rem; font-weight: 700; }
.kpi-label { color: var(--muted); }
.bars { display: grid; grid-template-columns: 5rem 1fr 6rem; gap: 0.35rem 0.75rem; align-items: center; }
.bar-track { background: #f1f1f4; border-radius: 3px; height: 1.1rem; }
.bar { display: block; background: var(--accent); border-radius: 3px; height: 100%; }
.bar-value { text-align: right; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
"""


@dataclass(frozen=True)
class DashboardData:
    """The gold rows the page is drawn from (rows as column -> value mappings)."""

    certificates: Sequence[Row] = field(default_factory=list)
    owner_stats: Sequence[Row] = field(default_factory=list)
    instructor_stats: Sequence[Row] = field(default_factory=list)


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def format_hours(hours: float | None) -> str:
    """``12.5``, ``0.75``, ``3``: at most two decimals, no trailing zeros."""
    if hours is None:
        return ""
    text = f"{hours:,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _owners(data: DashboardData) -> list[str]:
    owners = {str(r["owner"]) for r in data.owner_stats} | {str(r["owner"]) for r in data.certificates}
    return sorted(owners)


def _kpis(all_row: Row | None) -> str:
    figures = [
        ("total-courses", all_row["total_courses"] if all_row else 0, "courses"),
        ("total-hours", format_hours(all_row["total_hours"] if all_row else 0.0), "hours"),
        ("paid-courses", all_row["paid_courses"] if all_row else 0, "paid courses"),
        ("practice-tests", all_row["practice_tests"] if all_row else 0, "practice tests"),
    ]
    cells = "".join(
        f'<div class="kpi" data-figure="{name}"><span class="kpi-value">{_e(value)}</span>'
        f'<span class="kpi-label">{_e(label)}</span></div>'
        for name, value, label in figures
    )
    return f'<div class="kpis">{cells}</div>'


def _hours_per_year(year_rows: Sequence[Row]) -> str:
    if not year_rows:
        return '<p class="muted">No completed courses.</p>'
    top = max(float(r["total_hours"] or 0.0) for r in year_rows) or 1.0
    parts = []
    for r in year_rows:
        hours = float(r["total_hours"] or 0.0)
        width = f"{100.0 * hours / top:.1f}"
        parts.append(
            f'<span class="bar-label">{_e(r["period"])}</span>'
            f'<span class="bar-track" title="{_e(format_hours(hours))} hours">'
            f'<span class="bar" style="width: {width}%"></span></span>'
            f'<span class="bar-value">{_e(format_hours(hours))} h</span>'
        )
    return f'<div class="bars" role="img" aria-label="hours per year">{"".join(parts)}</div>'


def _top_instructors(rows: Sequence[Row]) -> str:
    if not rows:
        return '<p class="muted">No instructors.</p>'
    ranked = sorted(rows, key=lambda r: (-float(r["total_hours"] or 0.0), str(r["instructor_name"])))
    items = "".join(
        f"<li><strong>{_e(r['instructor_name'])}</strong> — {_e(format_hours(r['total_hours']))} h"
        f" ({_e(r['total_courses'])} {'course' if r['total_courses'] == 1 else 'courses'})</li>"
        for r in ranked[:TOP_INSTRUCTORS]
    )
    return f'<ol class="top-instructors">{items}</ol>'


def _title_cell(r: Row) -> str:
    title = _e(r.get("title") or "(untitled)")
    url = r.get("course_url")
    if url and str(url).startswith("https://www.udemy.com/"):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{title}</a>'
    return title


def _certificates_table(rows: Sequence[Row]) -> str:
    if not rows:
        return '<p class="muted">No certificates.</p>'
    body = []
    for r in rows:
        completed = r.get("completed_on")
        completed_text = completed.isoformat() if isinstance(completed, date) else (completed or "")
        instructors = ", ".join(str(i) for i in (r.get("instructors") or []))
        body.append(
            "<tr>"
            f"<td>{_title_cell(r)}</td>"
            f"<td>{_e(instructors)}</td>"
            f"<td>{_e(completed_text)}</td>"
            f'<td class="num">{_e(format_hours(r.get("length_hours")))}</td>'
            f"<td>{_e(r.get('enrichment_method'))}</td>"
            "</tr>"
        )
    head = (
        "<thead><tr><th>Title</th><th>Instructors</th><th>Completed on</th>"
        '<th class="num">Length (hours)</th><th>Enrichment</th></tr></thead>'
    )
    return f'<table class="certificates">{head}<tbody>{"".join(body)}</tbody></table>'


def _owner_section(index: int, owner: str, data: DashboardData) -> str:
    stats = [r for r in data.owner_stats if r["owner"] == owner]
    all_row = next((r for r in stats if r["period"] == "all"), None)
    year_rows = [r for r in stats if r["period"] != "all"]
    instructors = [r for r in data.instructor_stats if r["owner"] == owner]
    certificates = [r for r in data.certificates if r["owner"] == owner]
    return (
        f'<section class="owner" id="owner-{index}">'
        f"<h2>{_e(owner)}</h2>"
        f"{_kpis(all_row)}"
        f"<h3>Hours per year</h3>{_hours_per_year(year_rows)}"
        f"<h3>Top {TOP_INSTRUCTORS} instructors by hours</h3>{_top_instructors(instructors)}"
        f"<h3>Certificates</h3>{_certificates_table(certificates)}"
        "</section>"
    )


def _nav(owners: Iterable[str]) -> str:
    links = "".join(f'<li><a href="#owner-{i}">{_e(owner)}</a></li>' for i, owner in enumerate(owners))
    return f'<nav aria-label="owners"><ul>{links}</ul></nav>'


def render_dashboard(data: DashboardData) -> str:
    """The whole page as one string."""
    owners = _owners(data)
    if owners:
        sections = "\n".join(_owner_section(i, owner, data) for i, owner in enumerate(owners))
    else:
        sections = '<p class="muted">No certificates yet.</p>'
    nav = _nav(owners) if len(owners) > 1 else ""
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Udemy certificates</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>Udemy certificates</h1>{nav}</header>\n"
        f"<main>\n{sections}\n</main>\n</body>\n</html>\n"
    )
