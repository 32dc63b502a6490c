"""Telling look-alike characters apart by the shape of their glyphs on the page.

Tesseract's LSTM reads a small or tiny glyph by its context as much as by its ink: it reads 0 next
to digits and O next to letters, and on a small copy it takes an f for a 1 on every reading alike.
These helpers measure each glyph's ink box on the image (the engine's own character boxes are
loose) and decide a few look-alike pairs by shape: f or 1 by which way the top leans, J or U by
the stems at the top, S or 5 by the corners of the top, c or e by whether the right side is open,
and an S that encloses a counter (a 9, 6, 8 or B). The old design's 0/O and 1/I are decided by box aspect in
``functions.ocr.parse.glyph_shape``; an 0 or O run into a neighbour gets its box from its counter.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from PIL import Image, ImageDraw, ImageStat

from functions.ocr.parse import UC_PREFIX, UUID4, Line, Word, as_hex_char, id_start, pick_certificate_id

UC_PREFIX_RE = re.compile(UC_PREFIX)
HEX_DIGITS = frozenset("0123456789abcdef")
# A certificate number voted from a small copy with less confidence than this is not given.
MIN_SMALL_ID_CONFIDENCE = 0.8
# A reading of a header line (with measured glyph boxes), the image it was read from, and which
# line it is (0: the number, 1: the url; two printings of the same id).
IdCheck = tuple[Line, Image.Image, int]
# f and 1 told apart by the top of the glyph: the hook of an f leans right of its stem, the flag
# of a 1 left. The lean, as a share of the glyph's height, must pass these to decide.
F_LEANS_AT_LEAST = 0.012
ONE_LEANS_AT_MOST = -0.012


def with_glyph_boxes(image: Image.Image, line: Line, id_word: str = r"[A-Z0-9]{3}") -> Line:
    """``line`` with the box of every character of its id words (those matching ``id_word``)
    measured on ``image`` (the engine's own character boxes are loose: they come from the
    recogniser's time steps)."""
    words = []
    for word in line.words:
        measured = _glyph_boxes(image, word) if word.box and re.search(id_word, word.text) else ()
        words.append(replace(word, char_boxes=measured))
    return replace(line, words=tuple(words))


def _glyph_boxes(image: Image.Image, word: Word) -> tuple[tuple[int, int, int, int] | None, ...]:
    """Each character's ink box: the run of inked columns its engine box is centred on, when no
    other character's centre falls in the same run (two glyphs touching: ``None``, but for an 0 or
    O boxed by its counter, ``_ring_box``, and an S or 5 cut from its neighbours, ``_cut_box``);
    where the word has as many runs as characters, each within a glyph of its engine box, the runs
    in order."""
    if word.box is None or len(word.char_boxes) != len(word.text):
        return ()
    x0, y0, x1, y1 = word.box
    ink = _ink_of(image.crop((x0, y0, x1 + 1, y1 + 1)))
    if ink is None:
        return ()
    columns = ink.resize((ink.width, 1), Image.Resampling.BOX).tobytes()
    runs: list[list[int]] = []
    for x, value in enumerate(columns):
        if value:
            if runs and runs[-1][1] == x:
                runs[-1][1] = x + 1
            else:
                runs.append([x, x + 1])
    centres = [(b[0] + b[2]) / 2 - x0 if b else None for b in word.char_boxes]
    owner: list[int | None] = [_run_at(runs, c) if c is not None else None for c in centres]
    pitch = (x1 - x0) / len(word.text)
    if len(runs) == len(word.text) and all(
        abs(c - (run[0] + run[1]) / 2) <= pitch for c, run in zip(centres, runs, strict=True) if c is not None
    ):
        # As many runs as characters, each within a glyph of its engine box: each its own, in
        # order (the engine's boxes may be a glyph off: a dash's box over the 1 after it).
        owner = list(range(len(runs)))
    boxes: list[tuple[int, int, int, int] | None] = []
    holes: list[tuple[int, int, int, int]] | None = None
    for i, (char, k, centre) in enumerate(zip(word.text, owner, centres, strict=True)):
        if k is None or owner.count(k) != 1:
            box = None
            if char in "0O" and centre is not None:
                holes = _holes(ink) if holes is None else holes
                box = _ring_box(ink, holes, centre, pitch)
            elif char in "S5" and k is not None:
                box = _cut_box(ink, columns, runs[k], centres, i, pitch)
            boxes.append((x0 + box[0], y0 + box[1], x0 + box[2], y0 + box[3]) if box else None)
            continue
        left, right = runs[k]
        rows = ink.crop((left, 0, right, ink.height)).resize((1, ink.height), Image.Resampling.BOX).tobytes()
        filled = [y for y, value in enumerate(rows) if value]
        boxes.append((x0 + left, y0 + filled[0], x0 + right, y0 + filled[-1] + 1) if filled else None)
    return tuple(boxes)


# An S or 5 run into a neighbour is cut from it at the column of least ink between their engine
# centres when that column's ink is a touch: at most this share of the word's height (on the old
# design's numbers of seeds 7, 11 and 23, touching S and 5 were cut at 1-15 px of 30; each cut
# glyph's shape told it right or left it unsure, as it did for 2490 touching S and 5 drawn between
# 27 letters and digits in the id's Liberation Sans Bold: 1756 right, 734 unsure).
CUT_INK_AT_MOST = 0.4
# The least ink must be a touch, not a bar: at most this many columns of the span within this much
# (of 255) of it.
CUT_FLAT, CUT_FLAT_COLUMNS = 10, 3
# A cut glyph is this many engine pitches wide (else the cut is not between two glyphs).
CUT_WIDTH = (0.5, 1.5)


def _cut_box(
    ink: Image.Image, columns: bytes, run: list[int], centres: list[float | None], i: int, pitch: float
) -> tuple[int, int, int, int] | None:
    """The box of character ``i`` of the word whose ``ink`` (white on black; ``columns``: its
    mean per column) has the inked columns ``run`` shared with the characters centred in it:
    cut from each neighbour at the column of least ink between their centres, when that is a
    touch (``CUT_INK_AT_MOST``) and the glyph left is as wide as a glyph (``CUT_WIDTH``)."""
    own = centres[i]
    if own is None:
        return None
    left, right = run
    others = [c for j, c in enumerate(centres) if j != i and c is not None and left <= c < right]
    for side in ("before", "after"):
        near = [c for c in others if (c < own if side == "before" else c > own)]
        if not near:
            continue
        span = range(int(max(near)) + 1, int(own)) if side == "before" else range(int(own) + 1, int(min(near)))
        if not span:
            return None
        cut = min(span, key=lambda x: columns[x])
        if columns[cut] > CUT_INK_AT_MOST * 255:
            return None
        if sum(columns[x] <= columns[cut] + CUT_FLAT for x in span) > CUT_FLAT_COLUMNS:
            return None  # a bar (a T's reaching over an S) that the cut could fall anywhere along
        left, right = (cut + 1, right) if side == "before" else (left, cut)
    if not CUT_WIDTH[0] * pitch <= right - left <= CUT_WIDTH[1] * pitch:
        return None
    rows = ink.crop((left, 0, right, ink.height)).resize((1, ink.height), Image.Resampling.BOX).tobytes()
    filled = [y for y, value in enumerate(rows) if value]
    return (left, filled[0], right, filled[-1] + 1) if filled else None


# A counter at least this share of the word's height is the one of an 0 or O (an 8's two are
# each under half of it, a 4's or an A's smaller still).
RING_COUNTER_HEIGHT = 0.45
# A bold ring's side stroke is at most this many times its end stroke (the old id's Liberation Sans
# Bold 1.25, DejaVu Sans Bold 1.6, real old numbers 1.0-1.2); run into a glyph it is 2.2 or more.
RING_SIDE_OVER_END = 1.75


def _ring_box(
    ink: Image.Image, holes: list[tuple[int, int, int, int]], centre: float, pitch: float
) -> tuple[int, int, int, int] | None:
    """The box of an 0 or O run into its neighbours (``ink``: the word's ink, white on black),
    from its counter: the one tall counter within half a glyph of the engine's ``centre``, widened
    on each side by its ring's thinner side stroke and heightened by its thinner end stroke (the
    ring's stroke where it runs into a neighbour is that neighbour's too). ``None`` unless exactly
    one counter is there and one side stroke is the ring's own."""
    tall = [h for h in holes if h[3] - h[1] >= RING_COUNTER_HEIGHT * ink.height]
    near = [h for h in tall if abs((h[0] + h[2]) / 2 - centre) <= pitch / 2]
    if len(near) != 1:
        return None
    left, top, right, bottom = near[0]
    pixels = ink.load()
    assert pixels is not None
    middle_row, middle_column = (top + bottom) // 2, (left + right) // 2

    def stroke(x: int, y: int, dx: int, dy: int) -> int:
        length = 0
        while 0 <= x < ink.width and 0 <= y < ink.height and pixels[x, y]:
            x, y, length = x + dx, y + dy, length + 1
        return length

    side = min(stroke(left - 1, middle_row, -1, 0), stroke(right, middle_row, 1, 0))
    end = min(stroke(middle_column, top - 1, 0, -1), stroke(middle_column, bottom, 0, 1))
    if not side or not end or side > RING_SIDE_OVER_END * end:
        return None  # run into glyphs on both sides: neither side stroke is the ring's own
    return left - side, top - end, right + side, bottom + end


def _holes(ink: Image.Image) -> list[tuple[int, int, int, int]]:
    """The boxes of the areas of paper in ``ink`` (ink white on black) that no path from its edge
    reaches: the counters of its glyphs (at least ``MIN_COUNTER`` px)."""
    paper = Image.new("L", (ink.width + 2, ink.height + 2), 0)
    paper.paste(ink, (1, 1))
    ImageDraw.floodfill(paper, (0, 0), 128)  # the paper around the glyphs
    # A speck of paper between blurred strokes is no counter; boxes back in ``ink``'s pixels.
    return [(x0 - 1, y0 - 1, x1 - 1, y1 - 1) for x0, y0, x1, y1 in _areas(paper, 0, MIN_COUNTER)]


def _areas(image: Image.Image, value: int, least: int) -> list[tuple[int, int, int, int]]:
    """The boxes (exclusive right and bottom) of the areas of ``image`` (mode L) whose pixels are
    ``value``, each joined side by side, of at least ``least`` pixels."""
    pixels, (width, height) = image.load(), image.size
    assert pixels is not None
    seen: set[tuple[int, int]] = set()
    found: list[tuple[int, int, int, int]] = []
    for start in ((x, y) for y in range(height) for x in range(width)):
        if pixels[start] != value or start in seen:
            continue
        seen.add(start)
        stack, area = [start], 0
        low_x, low_y, high_x, high_y = start[0], start[1], start[0], start[1]
        while stack:
            x, y = stack.pop()
            area += 1
            low_x, low_y, high_x, high_y = min(low_x, x), min(low_y, y), max(high_x, x), max(high_y, y)
            for nxt in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if 0 <= nxt[0] < width and 0 <= nxt[1] < height and pixels[nxt] == value and nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        if area >= least:
            found.append((low_x, low_y, high_x + 1, high_y + 1))
    return found


def _ink_of(region: Image.Image) -> Image.Image | None:
    """``region``'s ink, white on black (darker than ``GLYPH_INK`` of the way from its darkest grey
    to its lightest), or ``None`` where it holds too little contrast for any."""
    grey = region.convert("L")
    low, high = ImageStat.Stat(grey).extrema[0]
    if high - low < 40:
        return None
    middle = low + (high - low) * GLYPH_INK // 100
    return grey.point(lambda v: 255 if v < middle else 0)


GLYPH_INK = 50  # percent of the way from the darkest to the lightest grey: ink below it
GLYPH_REACH = 6  # px: a character centred this close to a run of ink (a thin I beside its box) owns it


def _run_at(runs: list[list[int]], x: float) -> int | None:
    """The run of inked columns holding ``x``, else the nearest one within ``GLYPH_REACH``."""
    for k, (left, right) in enumerate(runs):
        if left <= x < right:
            return k
    near = [(min(abs(x - left), abs(x - right)), k) for k, (left, right) in enumerate(runs)]
    distance, k = min(near, default=(GLYPH_REACH + 1.0, -1))
    return k if distance <= GLYPH_REACH else None


# J and U told apart by the top of the glyph: a U has a stem on each side, a J only on the right.
# The share of the top third's ink in the glyph's left half:
J_LEFT_AT_MOST = 0.15
U_LEFT_AT_LEAST = 0.3


def j_or_u(image: Image.Image, line: Line) -> Line:
    """``line`` with each J or U of its measured glyphs (``Word.char_boxes``) set by its shape."""

    def top(image: Image.Image, box: tuple[int, int, int, int]) -> str | None:
        return _by_share(_top_left_share(image, box), ("J", J_LEFT_AT_MOST), ("U", U_LEFT_AT_LEAST))

    return _set_by_shape(image, line, "JU", top)


def _set_by_shape(
    image: Image.Image,
    line: Line,
    chars: str,
    shape_of: Callable[[Image.Image, tuple[int, int, int, int]], str | None],
) -> Line:
    """``line`` with each of ``chars`` among its measured glyphs set to ``shape_of`` its glyph
    (kept as read where that is ``None``)."""
    words = []
    for word in line.words:
        text = list(word.text)
        if len(word.char_boxes) == len(text):
            for i, (char, box) in enumerate(zip(text, word.char_boxes, strict=True)):
                if char in chars and box is not None:
                    text[i] = shape_of(image, box) or char
        words.append(replace(word, text="".join(text)))
    return replace(line, words=tuple(words))


def _by_share(share: float | None, low: tuple[str, float], high: tuple[str, float]) -> str | None:
    """``low``'s glyph where ``share`` is at most its bound, ``high``'s where at least its own."""
    if share is None:
        return None
    if share <= low[1]:
        return low[0]
    return high[0] if share >= high[1] else None


# S and 5 told apart by the top of the glyph: the bar of a 5 meets its stem in a corner at the top
# left and runs flat to the right; the arc of an S curls away from the top left corner. The share
# of ink in the top left (left quarter, top 18 %) and top right (right quarter, top 15 %) corners:
# on 120 old-design numbers' glyphs a 5 measured 0.68-0.95 and 0.55-0.85, an S 0.30-0.57 and
# 0.12-0.29; drawn in DejaVu and Liberation Sans, a 5 0.67-0.88 and 0.38-0.75, an S 0.25-0.42 and
# 0.33-0.60. A 5 needs its top left corner and the two together high, an S both low.
FIVE_TOP_LEFT_AT_LEAST = 0.62
FIVE_CORNERS_AT_LEAST = 1.05
S_TOP_LEFT_AT_MOST = 0.58
S_CORNERS_AT_MOST = 0.92


def s_or_5(image: Image.Image, line: Line) -> Line:
    """``line`` with each S or 5 of its measured glyphs (``Word.char_boxes``) set by its shape, and
    the engine's alternative that the shape rules out dropped. One whose shape is unclear, or not
    measured (glyphs that touch), becomes unsure (``?``): in the old design's small bold print
    the engine reads a 5 as an S on every reading now and then."""
    return _settle_pair(image, line, "S5", _s_or_5, unsure="?")


def b_or_8(image: Image.Image, line: Line) -> Line:
    """``line`` with each B or 8 of its measured glyphs (``Word.char_boxes``) set by its shape
    (a B's stem runs down its left side, an 8 is pinched in at its waist), and the engine's
    alternative that the shape rules out dropped; kept as read where the shape is unclear."""

    def waist(image: Image.Image, box: tuple[int, int, int, int]) -> str | None:
        share = _ink_share(image, box, (0.0, 0.4, 0.18, 0.6))
        return _by_share(share, ("8", EIGHT_WAIST_AT_MOST), ("B", B_STEM_AT_LEAST))

    return _settle_pair(image, line, "B8", waist)


# B and 8 told apart by the left side of the glyph's waist (the middle fifth of its height, its
# left 18 %): a B's stem fills it, an 8 curves in. Measured on the old design's bold print in 120
# generated certificates: 8 at most 0.39 (72 glyphs), B at least 0.75 (96).
EIGHT_WAIST_AT_MOST = 0.5
B_STEM_AT_LEAST = 0.65


def z_or_2(image: Image.Image, line: Line) -> Line:
    """``line`` with each Z or 2 of its measured glyphs set by its shape (a Z's bar meets its
    diagonal in a sharp top right corner, a 2's arc curves away from it), the ruled-out
    alternative dropped; kept as read where unclear, and where the engine did not consider the
    other."""

    def corner(image: Image.Image, box: tuple[int, int, int, int]) -> str | None:
        share = _ink_share(image, box, (0.85, 0, 1, 0.12))
        return _by_share(share, ("2", TWO_CORNER_AT_MOST), ("Z", Z_CORNER_AT_LEAST))

    return _settle_pair(image, line, "Z2", corner, rival_first=True)


def d_or_0(image: Image.Image, line: Line) -> Line:
    """``line`` with each D or 0 of its measured glyphs set by its shape (a D's stem fills its top
    left corner, a zero curves away from it), the ruled-out alternative dropped; kept as read
    where unclear, and where the engine did not consider the other."""

    def corner(image: Image.Image, box: tuple[int, int, int, int]) -> str | None:
        share = _ink_share(image, box, (0, 0, 0.2, 0.18))
        return _by_share(share, ("0", ZERO_CORNER_AT_MOST), ("D", D_CORNER_AT_LEAST))

    return _settle_pair(image, line, "D0", corner, rival_first=True)


# Z and 2 by the share of ink in the glyph's top right corner (right 15 %, top 12 %), D and 0 in
# its top left corner (left 20 %, top 18 %). Measured on the old design's bold print in 240
# generated certificates: Z at least 0.42 (123 glyphs), 2 at most 0.11 (170); D at least 0.68
# (147), 0 at most 0.30 (143). Drawn 60 px high in DejaVu Sans, Liberation Sans and Noto Sans,
# regular and bold: Z 0.6-1.0, 2 0.12-0.24; D 0.96-1.0, 0 0.11-0.21. (A 2's top left corner is
# no help: 0.1-0.3 in the old print, 0.7 in DejaVu Sans.) A glyph between the bounds stays as read.
Z_CORNER_AT_LEAST, TWO_CORNER_AT_MOST = 0.4, 0.25
D_CORNER_AT_LEAST, ZERO_CORNER_AT_MOST = 0.55, 0.4


def j_read_as_1(image: Image.Image, line: Line) -> Line:
    """``line`` with each 1 or I of its measured glyphs that is shaped as a J read as one: its
    stem down the right side with nothing at the top left, where a 1's flag would be, and its
    hook at the bottom left (an I is a bar)."""

    def shape(image: Image.Image, box: tuple[int, int, int, int]) -> str | None:
        if box[2] - box[0] < J_WIDEST_BAR * (box[3] - box[1]):
            return None  # a bar: an I
        top_left, top_right = _ink_share(image, box, (0, 0, 0.3, 0.25)), _ink_share(image, box, (0.7, 0, 1, 0.25))
        hook = _ink_share(image, box, (0, 0.75, 0.3, 1))
        if top_left is None or top_right is None or hook is None:
            return None
        return "J" if top_left <= J_TOP_LEFT_AT_MOST and top_right >= J_TOP_RIGHT_AT_LEAST and hook >= J_HOOK else None

    return _set_by_shape(image, line, "1I", shape)


# A J the engine read as a 1 or an I (its box as wide as a 1's, 0.42 of its height or more), by
# the ink in the corners of its box (left or right 30 %, top 25 %; the hook: left 30 %, bottom
# 25 %). Measured on the old design's bold print in 240 generated certificates: J top left 0.0,
# top right at least 0.83, hook at least 0.57 (205 glyphs, 17 of them read as I); 1 top left at
# least 0.34 and top right 0.0 (128).
J_WIDEST_BAR = 0.42
J_TOP_LEFT_AT_MOST, J_TOP_RIGHT_AT_LEAST, J_HOOK = 0.1, 0.6, 0.45


def settle_short_id_look_alikes(image: Image.Image, line: Line) -> Line:
    """``line`` (an old-design id line with measured glyphs) with every look-alike pair a shape
    tells apart set by it: S/5, 1/L, B/8, Z/2, D/0 and a J read as a 1 or an I."""
    line = j_read_as_1(image, s_or_5(image, line))
    return d_or_0(image, z_or_2(image, b_or_8(image, one_or_l(image, line))))


def _settle_pair(
    image: Image.Image,
    line: Line,
    pair: str,
    shape_of: Callable[[Image.Image, tuple[int, int, int, int]], str | None],
    unsure: str | None = None,
    rival_first: bool = False,
) -> Line:
    """``line`` with each of the two look-alikes ``pair`` among its measured glyphs set to
    ``shape_of`` its glyph, and the other dropped from the engine's alternatives there; a glyph
    whose shape is unclear or not measured (no box, or one much taller than the word's others)
    becomes ``unsure`` (kept as read without it), with the two as its alternatives, alike. With
    ``rival_first`` a shape is taken against the reading only where the engine had it among its
    alternatives (a glyph box that slipped onto a neighbour measures that neighbour)."""
    tallest = _tallest(line.char_boxes)
    words = []
    for word in line.words:
        text = list(word.text)
        choices = list(word.choices) if len(word.choices) == len(text) else []
        # A box that ran into another line measures nothing of the glyph.
        boxes = _within(word.char_boxes, tallest) if len(word.char_boxes) == len(text) else (None,) * len(text)
        for i, (char, box) in enumerate(zip(text, boxes, strict=True)):
            if char in pair:
                shape = shape_of(image, box) if box is not None else None
                considered = {c for c, _ in choices[i]} if choices else set()
                if rival_first and shape not in (None, char) and shape not in considered:
                    shape = None
                text[i] = shape or unsure or char
                if shape is not None and choices:
                    other = pair.replace(shape, "")
                    choices[i] = tuple((c, conf) for c, conf in choices[i] if c != other)
                elif shape is None and unsure and choices:
                    top = max((conf for _c, conf in choices[i]), default=0.0) or 1.0
                    choices[i] = tuple((c, top) for c in pair)
        words.append(replace(word, text="".join(text), choices=tuple(choices) if choices else word.choices))
    return replace(line, words=tuple(words))


# 1 and L told apart by the middle of the glyph's left side: an L's stem runs down it, a 1's stem
# stands in the middle (both may have a foot). The share of ink in the left quarter between 30 %
# and 75 % of the height: drawn in DejaVu and Liberation Sans, an L 1.0 and a 1 0.0.
L_STEM_AT_LEAST = 0.6
ONE_STEM_AT_MOST = 0.2


def one_or_l(image: Image.Image, line: Line) -> Line:
    """``line`` with each 1 or L of its measured glyphs (``Word.char_boxes``) set by its shape,
    where the shape is clear (the old design's bold print: the engine reads a 1 as an L on every
    reading now and then)."""

    def left_stem(image: Image.Image, box: tuple[int, int, int, int]) -> str | None:
        share = _ink_share(image, box, (0.0, 0.3, 0.25, 0.75))
        return _by_share(share, ("1", ONE_STEM_AT_MOST), ("L", L_STEM_AT_LEAST))

    return _set_by_shape(image, line, "1L", left_stem)


def _ink_share(
    image: Image.Image, box: tuple[int, int, int, int], part: tuple[float, float, float, float]
) -> float | None:
    """The share of ink in ``part`` (left, top, right, bottom as shares of the glyph's box)."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    if height < 9 or width < 4:
        return None
    ink = _ink_of(image.crop(box))
    if ink is None:
        return None
    left, top, right, bottom = (int(share * size + 1e-9) for share, size in zip(part, (width, height) * 2, strict=True))
    region = ink.crop((left, top, max(right, left + 1), max(bottom, top + 1)))
    return float(ImageStat.Stat(region).mean[0]) / 255


def _s_or_5(image: Image.Image, box: tuple[int, int, int, int]) -> str | None:
    top_left, top_right = _ink_share(image, box, (0, 0, 0.25, 0.18)), _ink_share(image, box, (0.75, 0, 1, 0.15))
    if top_left is None or top_right is None:
        return None
    if top_left >= FIVE_TOP_LEFT_AT_LEAST and top_left + top_right >= FIVE_CORNERS_AT_LEAST:
        return "5"
    if top_left <= S_TOP_LEFT_AT_MOST and top_left + top_right <= S_CORNERS_AT_MOST:
        return "S"
    return None


def open_s(image: Image.Image, line: Line) -> Line:
    """``line`` with each S or 5 of its measured glyphs (``Word.char_boxes``) that encloses a
    counter read again: an S and a 5 enclose none, so it is a 9 or a 6 (one counter) or an 8 or a
    B (two) that the engine read as S (the old design's tiny print, where 9 and S look alike at a
    glance). It becomes the engine's own next choice among those (``COUNTED``) when that choice is
    clear, else unsure (``?``); the counters settle how many, the engine which. A 9, 6, 8 or B
    enclosing as many counters as it has loses the S, 5 and G among the engine's alternatives."""
    words = []
    for word in line.words:
        text = list(word.text)
        choices: list[tuple[tuple[str, float], ...]] = (
            list(word.choices) if len(word.choices) == len(text) else [()] * len(text)
        )
        if len(word.char_boxes) == len(text):
            for i, (char, box) in enumerate(zip(text, word.char_boxes, strict=True)):
                if box is None:
                    continue
                found = counters(image, box) if char in "S5" else 0
                if found:
                    text[i] = _counted(choices[i], found)
                    # The counters rule out the S and the 5 the engine also considered.
                    choices[i] = tuple((c, conf) for c, conf in choices[i] if c not in "S5")
                elif (
                    char in COUNTERS_OF
                    and any(c in OPEN_LOOK_ALIKES for c, _ in choices[i])
                    and counters(image, box) == COUNTERS_OF[char]
                ):
                    # A 9, 6 or 8 the engine nearly read as S (a 6 as G), enclosing its counters:
                    # no S, 5 or G, which enclose none.
                    choices[i] = tuple((c, conf) for c, conf in choices[i] if c not in OPEN_LOOK_ALIKES)
        words.append(replace(word, text="".join(text), choices=tuple(choices) if word.choices else ()))
    return replace(line, words=tuple(words))


# The glyphs an S or 5 with closed counters may be, by how many it encloses.
COUNTED = {1: "96", 2: "8B"}
# Look-alikes of those that enclose no counter: the engine's alternatives for a 6 in the old
# design's print hold a G (on 180 old copies kept nine ways, 6 numbers read alike on every line
# were left unread for it).
OPEN_LOOK_ALIKES = "S5G"
COUNTERS_OF = {char: found for found, chars in COUNTED.items() for char in chars}
MIN_COUNTED_CHOICE = 0.3  # the engine's confidence in that glyph, from its alternatives...
COUNTED_LEAD = 0.2  # ...and how far ahead of the other glyph with as many counters


def _counted(alternatives: tuple[tuple[str, float], ...], found: int) -> str:
    scores = {c: conf for c, conf in reversed(alternatives) if c in COUNTED.get(found, "")}
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < MIN_COUNTED_CHOICE:
        return "?"
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < COUNTED_LEAD:
        return "?"
    return ranked[0][0]


def counters(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """How many closed counters (holes: 0 in S, 1 in 9, 2 in 8) the glyph in ``box`` encloses:
    areas of paper no path from outside the box reaches."""
    x0, y0, x1, y1 = box
    glyph = image.crop((x0 - 1, y0 - 1, x1 + 1, y1 + 1)).convert("L")
    low, high = ImageStat.Stat(glyph).extrema[0]
    middle = low + (high - low) * GLYPH_INK // 100
    return len(_holes(glyph.point(lambda v: 255 if v < middle else 0)))


MIN_COUNTER = 2  # px


def _top_left_share(image: Image.Image, box: tuple[int, int, int, int]) -> float | None:
    x0, y0, x1, y1 = box
    if y1 - y0 < 9 or x1 - x0 < 4:
        return None
    columns = _ink_columns(image, (x0, y0, x1, y0 + (y1 - y0) // 3))
    total = sum(columns)
    return sum(columns[: len(columns) // 2]) / total if total else None


def _ink_columns(image: Image.Image, box: tuple[int, int, int, int]) -> bytes:
    """How much ink (grey under 150) each column of ``box`` holds, 0-255."""
    ink = image.crop(box).convert("L").point(lambda v: 255 if v < 150 else 0)
    return ink.resize((ink.width, 1), Image.Resampling.BOX).tobytes()


def small_copy_id(
    voted: str | None, confidence: float, header: list[Line], checks: list[IdCheck]
) -> tuple[str | None, float]:
    """The certificate number of a small copy, where f and 1 are a few pixels each and every
    reading may take one for the other: the readings vote with f and 1 as one character, and each
    such position is then set by its glyph's shape (which way its top leans), measured alike on
    both printings of the id (the number and the url lines). Only a clear vote whose every f and
    1 is so measured is given."""
    # The vote's own f and 1 need one measurement each to confirm them...
    clear = voted is not None and confidence >= MIN_SMALL_ID_CONFIDENCE
    if clear and f_and_1_settled(str(voted), checks, both_lines=False) == voted:
        return voted, confidence
    merged, merged_confidence = pick_certificate_id([f_as_1(line) for line in header])
    if merged is None or merged_confidence < MIN_SMALL_ID_CONFIDENCE:
        return None, 0.0
    # ...where the shape alone decides, it must be measured alike on both lines.
    settled = f_and_1_settled(merged, checks, both_lines=True)
    return (settled, merged_confidence) if settled and UUID4.match(settled) else (None, 0.0)


def f_as_1(line: Line) -> Line:
    """``line`` with every f (and its look-alikes t, T and {) read as a 1."""
    table = str.maketrans({"f": "1", "t": "1", "T": "1", "{": "1"})
    return replace(line, words=tuple(replace(w, text=w.text.translate(table)) for w in line.words))


def f_and_1_settled(uuid: str, checks: list[IdCheck], both_lines: bool) -> str | None:
    """``uuid`` with each f and 1 set by its glyph's shape, or ``None`` unless every such glyph was
    measured (on both lines, the number and the url, with ``both_lines``) and every measurement
    agrees."""
    shapes: dict[int, dict[int, set[str]]] = {i: {0: set(), 1: set()} for i, c in enumerate(uuid) if c in "f1"}
    for i, which, shape in _f_and_1_shapes(uuid, checks):
        shapes[i][which].add(shape)
    settled = list(uuid)
    for i, by_line in shapes.items():
        seen = by_line[0] | by_line[1]
        if len(seen) != 1 or (both_lines and not (by_line[0] and by_line[1])):
            return None
        settled[i] = seen.pop()
    return "".join(settled)


def f_and_1_contradict(uuid: str, checks: list[IdCheck]) -> bool:
    """Whether the shape of some f or 1 of ``uuid``, measured on the page, says it is the other one."""
    return any(shape != uuid[i] for i, _, shape in _f_and_1_shapes(uuid, checks))


def _f_and_1_shapes(uuid: str, checks: list[IdCheck]) -> Iterator[tuple[int, int, str]]:
    """Each shape measured for an f or 1 of ``uuid``: its position, the line (0: number, 1: url)
    and the glyph it is, f or 1."""
    for line, image, which in checks:
        boxes = _in_line(line.char_boxes)
        for i, at in _id_in(line.text, uuid).items():
            shape = _f_or_1(image, boxes[at] if at < len(boxes) else None)
            if shape is not None:
                yield i, which, shape


# A measured glyph box this many times taller than the line's middle one ran into another line.
TALLEST_GLYPH = 1.4


def _in_line(boxes: tuple[tuple[int, int, int, int] | None, ...]) -> tuple[tuple[int, int, int, int] | None, ...]:
    """``boxes`` without those that reach into another line (a block's reading may join a glyph
    to the one under it): taller than ``TALLEST_GLYPH`` times the middle height."""
    return _within(boxes, _tallest(boxes))


def _tallest(boxes: tuple[tuple[int, int, int, int] | None, ...]) -> float:
    """The height a glyph box of ``boxes`` may have without reaching into another line."""
    heights = sorted(b[3] - b[1] for b in boxes if b is not None)
    middle = heights[len(heights) // 2] if heights else 0
    return TALLEST_GLYPH * middle if middle > 0 else math.inf


def _within(
    boxes: tuple[tuple[int, int, int, int] | None, ...], tallest: float
) -> tuple[tuple[int, int, int, int] | None, ...]:
    return tuple(b if b is not None and b[3] - b[1] <= tallest else None for b in boxes)


def _id_in(text: str, uuid: str) -> dict[int, int]:
    """For each f and 1 of ``uuid``, where ``text`` prints it: the reading (look-alikes read as
    their hex digit, l as 1; spaces skipped) is aligned with ``uuid``, and a position counts where
    the blocks around it line up one for one and the reading has an f, a 1 or an unsure ``?``
    (s, o and D read as ``?`` too: their boxes are too wide to pass as an f or a 1)."""
    return {i: at for i, (at, read) in _lined_up(text, uuid).items() if uuid[i] in "f1" and read in "f1?"}


def printed_alike(uuid: str, header: list[Line], places: list[int]) -> bool:
    """Whether every reading of the header's number and url lines that prints ``uuid``'s
    character at each of ``places`` one for one prints it as ``uuid`` has it (one reading at
    least at each)."""
    reads = _reads_by_place(uuid, header)
    return all(reads.get(i) and all(read == uuid[i] for read in reads[i]) for i in places)


def _printed_places(uuid: str, header: list[Line]) -> Iterator[tuple[int, str, tuple[tuple[str, float], ...]]]:
    """For each reading of the header's number and url lines, each character of ``uuid`` it
    prints one for one: its place in ``uuid``, what it was read as, and the engine's alternatives
    there (none when the line was read without them)."""
    for line in header:
        if not UC_PREFIX_RE.search(line.text):
            continue
        choices = line.char_choices
        for i, (at, read) in _lined_up(line.text, uuid).items():
            yield i, read, choices[at] if at < len(choices) else ()


def _reads_by_place(uuid: str, header: list[Line]) -> dict[int, list[str]]:
    """For each character of ``uuid``, what every reading of the header's number and url lines
    that prints it one for one reads there."""
    reads: dict[int, list[str]] = {}
    for i, read, _alternatives in _printed_places(uuid, header):
        reads.setdefault(i, []).append(read)
    return reads


def disputed(uuid: str, header: list[Line]) -> bool:
    """Whether some reading of the header's number and url lines prints, one for one, another hex
    digit than ``uuid`` has somewhere (a 0 before an f read as the d it looks like with the f's
    stem, say)."""
    reads = _reads_by_place(uuid, header)
    return any(read in HEX_DIGITS and read != uuid[i] for i, seen in reads.items() for read in seen)


def backed(uuid: str, other: str, header: list[Line]) -> bool:
    """Whether each digit where ``uuid`` and ``other`` (two numbers) differ is printed as in
    ``uuid`` by some reading of the header's number and url lines, one for one, or scored first
    among that reading's alternatives there (the engine printed a 0 it scored 0.81 as the d it
    scored 0.73)."""
    reads = _reads_by_place(uuid, header)
    differ = [i for i, (a, b) in enumerate(zip(uuid, other, strict=True)) if a != b]
    if not differ:
        return False
    first = _first_choices_by_place(uuid, header)
    return all(uuid[i] in reads.get(i, ()) or uuid[i] in first.get(i, ()) for i in differ)


# A reading in doubt of a digit: another hex digit among its alternatives scored at least this
# share of the printed one's score. On full-size current-design pages whose six readings agreed on
# a wrong number, a 0 at the end of the line printed as a d: "0" scored 0.53-1.1 of the "d" there.
RIVAL_DIGIT_SHARE = 0.5


def rival_digit(uuid: str, header: list[Line]) -> bool:
    """Whether some reading of the header's number and url lines that prints ``uuid`` one for one
    somewhere scored another hex digit nearly as high as the one it printed there (its
    ``choices``: ``RIVAL_DIGIT_SHARE``)."""
    for _i, read, choices in _printed_places(uuid, header):
        alternatives = [(as_hex_char(char), conf) for char, conf in choices]
        own = max((conf for digit, conf in alternatives if digit == read), default=0.0)
        rival = max((conf for digit, conf in alternatives if digit in HEX_DIGITS and digit != read), default=0.0)
        if own and rival >= RIVAL_DIGIT_SHARE * own:
            return True
    return False


def _first_choices_by_place(uuid: str, header: list[Line]) -> dict[int, list[str]]:
    """For each character of ``uuid``, the hex digit each reading that prints it one for one
    scored highest among its alternatives there."""
    first: dict[int, list[str]] = {}
    for i, _read, alternatives in _printed_places(uuid, header):
        if alternatives:
            first.setdefault(i, []).append(as_hex_char(max(alternatives, key=lambda alt: alt[1])[0]))
    return first


def f_or_1_read_otherwise(uuid: str, header: list[Line], checks: list[IdCheck]) -> bool:
    """Whether the network's reading of a small copy's f or 1 is in doubt, no measured shape
    saying it is what ``uuid`` has:

    * a 1 of ``uuid`` is read as an f by every reading of the header's number and url lines that
      prints it one for one (one reading at least);
    * an f of it just before a 7 is read as a 1 by some reading: a real certificate's 1 before a
      7, shrunk, runs into the 7's bar and looks like an f, and the network, sure of it, reads one
      (two real certificates' "17" at 600-960 px), where Tesseract reads a 1 or an i.

    Tesseract takes a small f for a 1 more often than not, so elsewhere such a reading does not put
    the network's f in doubt. Measured on copies under 1000 px (149 generated, the 12 real
    current-design certificates shrunk to 600-960 px twice over, 168), the network's sure f's that
    some reading printed as a 1: 87 generated ones right, 6 of them before a 7; 84 real ones right,
    none before a 7; 4 real ones wrong, all 1s before a 7.
    """
    backed = {(i, shape) for i, _, shape in _f_and_1_shapes(uuid, checks)}
    for i, seen in _reads_by_place(uuid, header).items():
        printed = {read for read in seen if read in "f1"}
        if (i, uuid[i]) in backed:
            continue
        if uuid[i] == "1" and printed == {"f"}:
            return True
        if uuid[i] == "f" and uuid[i + 1 : i + 2] == "7" and "1" in printed:
            return True
    return False


def read_otherwise(
    uuid: str,
    header: list[Line],
    digit: str,
    read_as: str,
    at_least: int = 2,
    among: frozenset[str] | str = HEX_DIGITS,
    backed: set[int] | None = None,
) -> bool:
    """Whether some ``digit`` of ``uuid`` is read as ``read_as`` by every reading of the header's
    number and url lines that prints it one for one as one of ``among`` (``at_least`` readings),
    leaving out the places in ``backed`` (a measured shape says they are ``digit``)."""
    reads = _reads_by_place(uuid, header)
    skip = backed or set()
    digits = (
        [read for read in seen if read in among] for i, seen in reads.items() if uuid[i] == digit and i not in skip
    )
    return any(len(seen) >= at_least and set(seen) == {read_as} for seen in digits)


def _lined_up(text: str, uuid: str) -> dict[int, tuple[int, str]]:
    """For each character of ``uuid`` that a reading ``text`` of the id prints one for one, where
    in ``text`` it is and what it was read as (a hex digit, ``?`` or another character): the
    reading, look-alikes read as their digit and spaces skipped, is aligned with ``uuid`` by
    their common blocks."""
    start = id_start(text)  # the label's letters ("Certificate": cerf1f1cafe) are not the id's
    kept = [i for i, char in enumerate(text) if i >= start and not char.isspace()]
    hexed = "".join(as_hex_char(text[i])[:1] or text[i] for i in kept)
    found: dict[int, tuple[int, str]] = {}
    matcher = difflib.SequenceMatcher(None, uuid, hexed, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                found[i] = (kept[j], hexed[j])
    return found


def c_and_e_contradict(uuid: str, checks: list[IdCheck]) -> bool:
    """Whether some c or e of ``uuid`` has, on the page, the other one's shape (``c_or_e``)."""
    for line, image, _ in checks:
        boxes = _in_line(line.char_boxes)
        for i, (at, read) in _lined_up(line.text, uuid).items():
            box = boxes[at] if at < len(boxes) else None
            shape = c_or_e(image, box) if uuid[i] in "ce" and read in "ce?" else None
            if shape is not None and shape != uuid[i]:
                return True
    return False


# c and e told apart by the middle of the glyph's right side: a c opens there, the bar of an e
# meets its bowl (its eye, a counter, may be blurred shut). The share of ink in the right third
# between 35 % and 60 % of the height; measured on 282 old-design glyphs: c 0.0-0.1, e 0.4-1.0.
C_OPEN_AT_MOST = 0.25
E_CLOSED_AT_LEAST = 0.35
CE_ASPECT = (0.6, 1.0)  # width over height of a c or an e (0.8 in sans print)


def c_or_e(image: Image.Image, box: tuple[int, int, int, int] | None) -> str | None:
    """Whether the glyph in ``box`` is shaped as a c or an e (``None``: it cannot tell)."""
    if box is None or not CE_ASPECT[0] <= (box[2] - box[0]) / max(1, box[3] - box[1]) <= CE_ASPECT[1]:
        return None  # a part of a glyph, or two glyphs
    share = _ink_share(image, box, (2 / 3, 0.35, 1, 0.6))
    if share is None:
        return None
    if share <= C_OPEN_AT_MOST:
        return "c"
    return "e" if share >= E_CLOSED_AT_LEAST else None


# An f or a 1 is narrow: a box wider than this share of its height holds two glyphs that touch.
F_OR_1_WIDEST = 0.65


def _f_or_1(image: Image.Image, box: tuple[int, int, int, int] | None) -> str | None:
    if box is None or box[2] - box[0] > F_OR_1_WIDEST * (box[3] - box[1]):
        return None
    lean = top_lean(image, box)
    if lean is None:
        return None
    if lean >= F_LEANS_AT_LEAST:
        return "f"
    return "1" if lean <= ONE_LEANS_AT_MOST else None


def top_lean(image: Image.Image, box: tuple[int, int, int, int]) -> float | None:
    """How far the ink of a glyph's top third lies right of the ink of its lower half, as a share
    of the glyph's height (negative: left)."""
    x0, y0, x1, y1 = box
    height = y1 - y0
    if height < 9 or x1 <= x0:
        return None

    def centre(top: int, bottom: int) -> float | None:
        columns = _ink_columns(image, (x0, y0 + top, x1, y0 + bottom))
        total = sum(columns)
        return sum(x * v for x, v in enumerate(columns)) / total if total else None

    upper, lower = centre(0, height // 3), centre(height * 45 // 100, height)
    return None if upper is None or lower is None else (upper - lower) / height


# A trade mark sign is raised: its foot at most halfway down the capitals beside it. The engine
# reads the M of "by TM" as "™" now and then (the old design's italic sentence kept with margins or
# at a lower JPEG quality); a trailing glyph whose foot is this close to the baseline of the glyphs
# before it (a share of their height) stands on the line, and is an M.
ON_THE_LINE = 0.2
MIN_GLYPH_PIXELS = 10  # a smaller blot of ink is a speck, not a glyph
TRAILING_TRADE_MARK = re.compile(r"™([:,.;]?)$")  # "A-Z™:"
# Marks lower than this share of the tallest glyph (a colon's dots, a comma) are not the glyph.
PUNCTUATION_AT_MOST = 0.35


def raised_trade_mark(image: Image.Image, line: Line) -> Line:
    """``line`` with the "™" ending a word (before its punctuation) put back to "M" where the
    word's last glyph, measured on ``image`` (the crop the line was read from), stands on the
    baseline of the glyphs before it instead of being raised above it. The engine's word box is
    loose (it may end inside the word's last glyph): the word is measured up to where the next
    word begins."""
    if "™" not in line.text:
        return line
    words = list(line.words)
    for i, word in enumerate(words):
        if not TRAILING_TRADE_MARK.search(word.text) or word.box is None:
            continue
        following = words[i + 1].box if i + 1 < len(words) else None
        right = following[0] if following is not None and following[0] > word.box[2] else image.width
        if _stands_on_the_line(image.crop((word.box[0], 0, right, image.height))):
            words[i] = replace(word, text=TRAILING_TRADE_MARK.sub(r"M\1", word.text))
    return replace(line, words=tuple(words))


def _stands_on_the_line(region: Image.Image) -> bool:
    """Whether the rightmost glyph (connected ink) of ``region`` reaches down to the baseline of
    the glyphs before it (their lowest ink, by the median)."""
    ink = _ink_of(region)
    if ink is None:
        return False
    blots = _areas(ink, 255, MIN_GLYPH_PIXELS)
    highest = max((bottom - top for _, top, _, bottom in blots), default=0)
    glyphs = sorted((b for b in blots if b[3] - b[1] > PUNCTUATION_AT_MOST * highest), key=lambda box: box[2])
    if len(glyphs) < 2:
        return False
    *before, last = glyphs
    tallest = max(bottom - top for _, top, _, bottom in before)
    letters = [box for box in before if box[3] - box[1] >= 0.6 * tallest]  # not a dash or a comma
    bottoms = sorted(box[3] for box in letters)
    baseline = bottoms[len(bottoms) // 2]
    return baseline - last[3] <= ON_THE_LINE * tallest


# The bullet that decorates an instructor's name ("Diego Davila • 1.000.000+ Students") is read as
# "+", "*" or "«" on small copies. A bullet is a filled disc, a plus two bars: the share of its ink
# box its ink fills, measured on 600x448 copies and 720-900 px screenshots (the page enlarged to
# 1600 px, and read again enlarged 1.5-2.5 times): a bullet 0.69-0.89 (49 readings), a plus drawn
# in its place 0.34-0.56 (30).
BULLET_FILLS_AT_LEAST = 0.63
BULLET_LOOK_ALIKES = frozenset("+*«»·¢•")


def bullet_or_plus(image: Image.Image, line: Line) -> Line:
    """``line`` with each lone mark (or two) between two words that the engine may have made of a
    bullet (``BULLET_LOOK_ALIKES``) set to "•" where its glyph, measured on ``image`` (the crop
    the line was read from) between its neighbours, is a filled disc."""
    words = list(line.words)
    for i in range(1, len(words) - 1):
        word, before, after = words[i], words[i - 1], words[i + 1]
        marks = set(word.text)
        if not marks <= BULLET_LOOK_ALIKES or len(word.text) > 2 or word.text == "•":
            continue  # a mark or two ("*«": one glyph's two halves), not a word
        if before.box is None or after.box is None:
            continue
        if after.box[0] <= before.box[2]:
            continue
        fill = _largest_blot_fill(image.crop((before.box[2], 0, after.box[0], image.height)))
        if fill is not None and fill >= BULLET_FILLS_AT_LEAST:
            confidence = max((c for _, c in (word.choices[0] if word.choices else ())), default=word.confidence)
            choices = ((("•", confidence),),) if word.choices else ()
            words[i] = replace(word, text="•", choices=choices)
    return replace(line, words=tuple(words))


def _largest_blot_fill(region: Image.Image) -> float | None:
    """The share of its box that the largest connected area of ink in ``region`` fills."""
    ink = _ink_of(region)
    blots = _areas(ink, 255, MIN_GLYPH_PIXELS) if ink is not None else []
    if ink is None or not blots:
        return None
    box = max(blots, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    return float(ImageStat.Stat(ink.crop(box)).mean[0]) / 255
