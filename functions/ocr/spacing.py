"""Spaces the engine missed between words, found on the paper between them.

Tesseract's LSTM reads a line as a sequence and its language model glues a short word to its
neighbour when that looks like a known token: a version after its name ("Qt 6" read as ``Qt6``),
a one-letter word ("Cero a" read as ``Ceroa``), a slash after a name (``C#/``). The ink says
otherwise: the gap between those two glyphs is as wide as the spaces the engine did find on the
same line, while the gaps between the letters of a word are much narrower.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from PIL import Image, ImageStat

from functions.ocr.parse import Line, Word

# A gap inside a word at least this share of the narrowest space the engine found between the
# line's words is a missed space. Measured on the title and student lines of 142 generated
# full-size certificates: missed spaces 0.76-1.06, gaps between the letters of a word at most 0.59.
MISSED_SPACE_SHARE = 0.7
# A gap between two words narrower than this share of the line image's height is no space to
# measure against (the engine parted a word at a letter gap: "W eb"); real spaces measure 0.25 or more.
NARROWEST_SPACE = 0.12
MOST_PARTED = 2  # a line the engine missed more spaces on is not trusted to be parted
INK_SHARE = 0.5  # of the way from the darkest to the lightest grey: ink below it
EDGE_SLACK = 2  # px the engine's word boxes may fall short of or past the ink


def part_missed_spaces(image: Image.Image, line: Line) -> Line:
    """``line`` (read from ``image``, with ``Word.char_boxes``) with each word parted where the
    paper between two of its characters is a space's width. A line of one word is left as read:
    it has no space to measure against; so is a line that would be parted more than
    ``MOST_PARTED`` times."""
    words = line.words
    boxes = [w.box for w in words if w.box is not None]
    if len(boxes) < 2 or len(boxes) != len(words):
        return line
    blank = _blank_runs(image)
    if not blank:
        return line
    spaces = [_widest(blank, a[2] - EDGE_SLACK, b[0] + EDGE_SLACK) for a, b in itertools.pairwise(boxes)]
    spaces = [space for space in spaces if space >= NARROWEST_SPACE * image.height]
    if not spaces:
        return line
    parted: list[Word] = []
    for word in words:
        parted += _part(word, blank, min(spaces) * MISSED_SPACE_SHARE)
    if len(parted) == len(words) or len(parted) - len(words) > MOST_PARTED:
        return line
    return replace(line, words=tuple(parted))


def _part(word: Word, blank: list[tuple[int, int]], least: float) -> list[Word]:
    """``word`` cut at every gap between two of its characters at least ``least`` px wide."""
    boxes = word.char_boxes
    if len(boxes) != len(word.text) or len(word.text) < 2:
        return [word]
    cuts = []
    for k in range(len(boxes) - 1):
        here, after = boxes[k], boxes[k + 1]
        if here is None or after is None:
            continue
        centre, next_centre = (here[0] + here[2]) // 2, (after[0] + after[2]) // 2
        gap = _widest(blank, centre, next_centre)
        if gap >= least:
            start = max(max(s, centre) for s, e in blank if min(e, next_centre) - max(s, centre) == gap)
            cuts.append((k + 1, start, start + gap))
    if not cuts:
        return [word]
    assert word.box is not None
    x0, y0, x1, y1 = word.box
    pieces: list[Word] = []
    begin, left = 0, x0
    for end, gap_start, gap_end in [*cuts, (len(word.text), x1, x1)]:
        pieces.append(
            replace(
                word,
                text=word.text[begin:end],
                box=(left, y0, gap_start, y1),
                choices=word.choices[begin:end] if len(word.choices) == len(word.text) else (),
                char_boxes=boxes[begin:end],
            )
        )
        begin, left = end, gap_end
    return pieces


def _blank_runs(image: Image.Image) -> list[tuple[int, int]]:
    """The runs of columns of ``image`` without ink, as (first, past the last)."""
    grey = image.convert("L")
    low, high = ImageStat.Stat(grey).extrema[0]
    if high - low < 40:
        return []
    middle = low + (high - low) * INK_SHARE
    columns = grey.point(lambda v: 255 if v < middle else 0).resize((grey.width, 1), Image.Resampling.BOX).tobytes()
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for x, value in enumerate(columns):
        if not value and start is None:
            start = x
        elif value and start is not None:
            runs.append((start, x))
            start = None
    return runs


def _widest(blank: list[tuple[int, int]], left: int, right: int) -> int:
    """The widest part of a blank run that lies between columns ``left`` and ``right``."""
    return max((min(end, right) - max(start, left) for start, end in blank), default=0)
