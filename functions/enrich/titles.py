"""Title matching that prefers no match to a wrong one.

A certificate's title is OCR'd: a character or two may be wrong (``l``/``1``, ``rn``/``m``, a lost
space). A course matches when its normalised title is within a few character edits of the
certificate's, its numbers are the same (``Part 2`` is not ``Part 3``, ``2024`` is not ``2025``),
and no other candidate comes close: a near tie between two courses is no match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from contracts.records import CoursePayload
from functions.enrich.catalog import normalise_title

EDITS_PER_CHAR = 0.08  # 1 edit in ~12 characters (3 on a 40-character title), after folding
MIN_MARGIN = 2  # the runner-up must be at least this many edits further away
MAX_EDIT_RUN = 1  # adjacent edited characters allowed (after folding)
# Shapes OCR confuses, folded to one before counting edits (spaces are dropped too).
_FOLDS = (("1", "l"), ("i", "l"), ("|", "l"), ("0", "o"), ("5", "s"), ("rn", "m"), ("cl", "d"), ("vv", "w"))


def _key(title: str) -> str:
    text = normalise_title(title).replace(" ", "")
    for shape, folded in _FOLDS:
        text = text.replace(shape, folded)
    return text


def _numbers(title: str) -> list[str]:
    """Stand-alone numbers (a year, a part, a version): ``2024`` yes, the ``1`` of ``c1ass`` no."""
    return re.findall(r"\b\d+\b", normalise_title(title))


@dataclass(frozen=True)
class TitleMatch:
    course: CoursePayload | None
    distance: int | None
    detail: str


def _longest_edit_run(a: str, b: str) -> int:
    """The longest run of adjacent edited characters: OCR damages a letter here and there, while
    another course differs by a whole word (``Git``/``Go``, ``Type``/``Java``)."""
    longest = run = 0
    last: tuple[int, int] | None = None
    for op in Levenshtein.editops(a, b):
        adjacent = last is not None and op.src_pos - last[0] <= 1 and op.dest_pos - last[1] <= 1
        run = run + 1 if adjacent else 1
        longest = max(longest, run)
        last = (op.src_pos, op.dest_pos)
    return longest


def allowed_edits(title: str) -> int:
    return max(1, round(len(_key(title)) * EDITS_PER_CHAR))


def best_title_match(title: str, candidates: Iterable[CoursePayload]) -> TitleMatch:
    """The one candidate whose title this is, allowing for OCR errors; None when unsure."""
    query = _key(title)
    if not query:
        return TitleMatch(None, None, "no title")
    scored: dict[int, tuple[int, CoursePayload]] = {}
    for course in candidates:
        distance = Levenshtein.distance(query, _key(course.title))
        kept = scored.get(course.id)
        if kept is None or distance < kept[0]:
            scored[course.id] = (distance, course)
    if not scored:
        return TitleMatch(None, None, "no candidates")
    ranked = sorted(scored.values(), key=lambda pair: (pair[0], pair[1].id))
    distance, course = ranked[0]
    limit = allowed_edits(title)
    if distance > limit:
        return TitleMatch(None, distance, f"closest title is {distance} edits away (at most {limit} allowed)")
    if distance > 1 and _longest_edit_run(query, _key(course.title)) > MAX_EDIT_RUN:
        return TitleMatch(None, distance, f"closest title {course.title!r} differs by more than OCR errors")
    if _numbers(title) != _numbers(course.title):
        return TitleMatch(None, distance, f"closest title {course.title!r} has other numbers")
    if len(ranked) > 1 and ranked[1][0] - distance < MIN_MARGIN and (distance > 0 or ranked[1][0] == 0):
        return TitleMatch(None, distance, f"ambiguous: {course.title!r} and {ranked[1][1].title!r}")
    how = "same title" if distance == 0 else f"title within {distance} edit(s)"
    return TitleMatch(course, distance, how)
