"""Spaces the engine missed between words, found on the paper between them.

Tesseract's LSTM reads a line as a sequence and its language model glues a short word to its
neighbour when that looks like a known token: a version after its name ("Qt 6" read as ``Qt6``),
a one-letter word ("Cero a" read as ``Ceroa``), a slash after a name (``C#/``). The ink says
otherwise: the gap between those two glyphs is as wide as the spaces the engine did find on the
same line, while the gaps between the letters of a word are much narrower. A line the engine read
as one word (a wrapped title's last line "e Qt 6" read ``eQt6``) is measured against the spaces of
the title's other lines, which are printed in the same font and size.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from PIL import Image, ImageStat

from functions.ocr.parse import Line, Word, glyph_confidence

# A gap inside a word at least this share of the narrowest space the engine found between the
# line's words is a missed space. Measured on the title and student lines of 142 generated
# full-size certificates: missed spaces 0.76-1.06, gaps between the letters of a word at most 0.59.
MISSED_SPACE_SHARE = 0.7
# A gap between two words narrower than this share of the line image's height is no space to
# measure against (the engine parted a word at a letter gap: "W eb"); real spaces measure 0.25 or more.
NARROWEST_SPACE = 0.12
MOST_PARTED = 2  # a line the engine missed more spaces on is not trusted to be parted (unless read again)
INK_SHARE = 0.5  # of the way from the darkest to the lightest grey: ink below it
EDGE_SLACK = 2  # px the engine's word boxes may fall short of or past the ink
CONFIDENCE_SLACK = 0.001  # a word's confidence is its least sure glyph's to float precision
# A one-word line parted against the title's space is read again with each space found made this many
# times as wide as the title's narrowest space. Measured on 280 certificates whose title's last line is
# short: 4 more titles right at 2 and at 1.5 than without the second reading, none at 1 (the engine
# still glued or doubted the pieces: "e Qt" for "e Qt 6").
SPACED_OUT = 2.0


def part_missed_spaces(
    image: Image.Image,
    line: Line,
    space: float | None = None,
    read: Callable[[Image.Image], list[Line]] | None = None,
) -> Line:
    """``line`` (read from ``image``, with ``Word.char_boxes``) with each word parted where the
    paper between two of its characters is a space's width. A line of one word, which has no
    space of its own to measure against, is measured against ``space``, the narrowest space (px of
    ``image``) of a line printed in the same type, when the caller knows one: a wrapped title's
    last line is often a few short words read as one (``eQt6`` for "e Qt 6"), and its other lines
    are the same font and size. Without one it is left as read; so is a line that would be parted
    more than ``MOST_PARTED`` times, unless it is a line of one word that ``read`` confirms.

    A line parted against ``space`` is then read again by ``read`` (the engine that read it) with
    those spaces widened (``SPACED_OUT``), and that reading is taken when it has the same words in
    the same places: the engine read the glyphs of a glued word in the context of one word, and its
    doubt about them then ("eQt6" read 0.48, its 6 alone 0.54) is not its reading of them as words
    of their own ("e Qt 6" read 0.92-0.96 with its spaces widened). It may also drop a letter the
    engine made up in a missed space ("C++reQt6", its r over the paper after the +, read again
    "C++ e Qt 6")."""
    words = line.words
    if not words or any(w.box is None for w in words) or (len(words) == 1 and space is None):
        return line
    blank = _blank_runs(image)
    if not blank:
        return line
    spaces = _spaces(image, line, blank)
    if spaces:
        narrowest: float | None = min(spaces)
    else:
        # Only a line of one word borrows: where the engine parted words but the paper between them
        # does not measure as a space, its boxes are not to be trusted ("to Z" with the o's box over the Z).
        narrowest = space if len(words) == 1 else None
    if narrowest is None:
        return line
    parted: list[Word] = []
    for word in words:
        parted += _part(word, blank, narrowest * MISSED_SPACE_SHARE)
    if len(parted) == len(words):
        return line
    many = len(parted) - len(words) > MOST_PARTED
    out = replace(line, words=tuple(parted))
    if spaces or read is None:
        return line if many else out
    again = _read_spaced_out(image, out, narrowest * SPACED_OUT, read)
    if again is None:
        return line if many else out
    return again


def narrowest_space(image: Image.Image, line: Line) -> float | None:
    """The narrowest space the engine found between the words of ``line`` (read from ``image``),
    in px of ``image``; ``None`` when it found none to measure (see ``NARROWEST_SPACE``)."""
    if any(w.box is None for w in line.words):
        return None
    blank = _blank_runs(image)
    spaces = _spaces(image, line, blank) if blank else []
    return float(min(spaces)) if spaces else None


def _spaces(image: Image.Image, line: Line, blank: list[tuple[int, int]]) -> list[int]:
    """The blank paper between each two words of ``line`` wide enough to be a space, in px."""
    boxes = [w.box for w in line.words if w.box is not None]
    spaces = [_widest(blank, a[2] - EDGE_SLACK, b[0] + EDGE_SLACK) for a, b in itertools.pairwise(boxes)]
    return [space for space in spaces if space >= NARROWEST_SPACE * image.height]


def _read_spaced_out(
    image: Image.Image, parted: Line, width: float, read: Callable[[Image.Image], list[Line]]
) -> Line | None:
    """``parted`` as ``read`` reads ``image`` with the paper between each two of its words widened to
    ``width`` px, its boxes put back on ``image``; ``None`` unless that reading has as many words,
    each starting where the word of ``parted`` in its place starts (nearer than the narrowest of
    the gaps between them). Only starts are compared: the engine's box of a word's last glyph
    often runs on over the space after it."""
    wide, inserts = _widened(image, parted, width)
    again = read(wide)
    if len(again) != 1 or len(again[0].words) != len(parted.words):
        return None

    def back(box: tuple[int, int, int, int] | None) -> tuple[int, int, int, int] | None:
        return None if box is None else (_unwiden(box[0], inserts), box[1], _unwiden(box[2], inserts), box[3])

    places = [w.box for w in parted.words if w.box is not None]
    reach = min(b[0] - a[2] for a, b in itertools.pairwise(places))
    words = [replace(w, box=back(w.box), char_boxes=tuple(back(b) for b in w.char_boxes)) for w in again[0].words]
    if any(w.box is None or abs(w.box[0] - place[0]) >= reach for w, place in zip(words, places, strict=True)):
        return None
    return replace(parted, words=tuple(words))


def _widened(image: Image.Image, line: Line, width: float) -> tuple[Image.Image, list[tuple[int, int]]]:
    """``image`` with the paper between each two words of ``line`` widened to ``width`` px (the
    column in the middle of the gap repeated), and where columns were added: (x in ``image``, how many)."""
    inserts: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(line.words):
        assert a.box is not None and b.box is not None
        extra = round(width - (b.box[0] - a.box[2]))
        if extra > 0:
            inserts.append(((a.box[2] + b.box[0]) // 2, extra))
    out = Image.new(image.mode, (image.width + sum(extra for _, extra in inserts), image.height))
    taken, placed = 0, 0
    for at, extra in inserts:
        out.paste(image.crop((taken, 0, at, image.height)), (placed, 0))
        placed += at - taken
        out.paste(image.crop((at, 0, at + 1, image.height)).resize((extra, image.height)), (placed, 0))
        placed, taken = placed + extra, at
    out.paste(image.crop((taken, 0, image.width, image.height)), (placed, 0))
    return out, inserts


def _unwiden(x: int, inserts: list[tuple[int, int]]) -> int:
    """Column ``x`` of an image ``_widened`` with ``inserts``, in the image it was widened from (an
    added column: where it was added)."""
    added = 0
    for at, extra in inserts:
        if x < at + added:
            break
        if x < at + added + extra:
            return at
        added += extra
    return x - added


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
    return _own_confidences(word, pieces)


def _own_confidences(word: Word, pieces: list[Word]) -> list[Word]:
    """``pieces`` of ``word``, each with the confidence the engine has in its own glyphs (when the
    word has them): the word's was its least sure glyph's, which may be in another piece ("eQt6"
    read 0.48 for its Q, its e alone 0.91). Where the word's confidence is lower than all its glyphs', the engine
    doubted a space beside the word: the first and the last piece keep that doubt."""
    whole = glyph_confidence(word)
    if whole is None:
        return pieces
    spaces_doubted = word.confidence < whole - CONFIDENCE_SLACK
    out = []
    for i, piece in enumerate(pieces):
        own = glyph_confidence(piece)
        assert own is not None
        if spaces_doubted and i in (0, len(pieces) - 1):
            own = min(own, word.confidence)
        out.append(replace(piece, confidence=own))
    return out


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
