"""Read a Udemy certificate (JPEG, PNG or image-only PDF) into fields with confidences.

The current design is read by regions rather than as one page: the small grey header at the
top right (cropped and enlarged, where the certificate number lives) and the body on the left
(heading, title, instructors, student, date, length).
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PIL import Image, ImageChops, ImageOps, ImageStat

from contracts.records import CertificateFields
from functions.ocr.engine import ENGINE_NAME, TesseractEngine, has_language, tesserocr
from functions.ocr.glyphs import (
    MIN_SMALL_ID_CONFIDENCE,
    IdCheck,
    backed,
    bullet_or_plus,
    c_and_e_contradict,
    disputed,
    f_and_1_contradict,
    f_or_1_read_otherwise,
    j_or_u,
    open_s,
    printed_alike,
    raised_trade_mark,
    read_otherwise,
    rival_digit,
    settle_short_id_look_alikes,
    small_copy_id,
    with_glyph_boxes,
)
from functions.ocr.parse import (
    FULL_NUMBER,
    MIN_ID_CONFIDENCE,
    UC_MARK,
    BodyFields,
    Line,
    OldSentence,
    Word,
    caption_instructors,
    detect_language,
    fold,
    id_in_file_name,
    id_support,
    instructor_lines,
    instructor_words,
    is_dash,
    is_reference_line,
    is_url_line,
    labelled_value,
    mean_confidence,
    names_of,
    parse_body,
    parse_old_sentence,
    pick_certificate_id,
    pick_short_id,
    split_instructors,
    student_of,
    title_of,
    value_misread,
)
from functions.ocr.smallprint import (
    CaptionName,
    agreed_words,
    caption_names,
    caption_segments,
    doubtful_letter,
    mixed_script,
    name_words,
    rival_variants,
)
from functions.ocr.spacing import narrowest_space, part_missed_spaces
from functions.shared.errors import ConfigurationError, PermanentError

if TYPE_CHECKING:  # numpy is imported where first used, not with this module
    import numpy as np

    from functions.ocr.idline import IdLineReading

# ``functions.ocr.idline.MODEL_PATH`` (and the names network's), known here without importing numpy
# (a test keeps them one).
ID_LINE_WEIGHTS = Path(__file__).with_name("models") / "id_line.npz"
NAME_LINE_WEIGHTS = Path(__file__).with_name("models") / "name_lines.npz"  # ``namelines.MODEL_PATH``
PAGE_WIDTH = 1600
MAX_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 60_000_000
# The header's first reading: x-height about 15 px. (At 1.5x, 15 % faster, both lines of a real
# certificate saved at JPEG quality 60 agreed on a 6 for its 5.)
QUICK_HEADER_SCALE = 2
# The url line's first reading: a smaller line is read faster (32 against 38 ms a line). On 304
# full-size pages (the evaluation sets of seeds 7 and 31, the real set and five of its handlings) the
# two lines agreed on 274 numbers, none wrong (at 2x: 282; the others are read again at 3x).
QUICK_URL_SCALE = 1.25
HEADER_SCALE = 3  # the header's second reading, when the first left doubt
HEADER_ALPHABET = "0123456789abcdefCURNeilmnortuy:./- "
ID_ALPHABET = "UC-0123456789abcdef"
ID_MARGIN = 2  # header pixels kept left of the id
OLD_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefilnortuy:./- "
INK_LEVEL = 170  # grey levels darker than this are ink (the grey header text is about 106)
# A certificate-number character Tesseract is less sure of than this counts as unread ("?").
ID_DOUBT_BELOW = 0.7
SERIF_UNTIL = date(2024, 4, 1)
# Copies narrower than this (screenshots, website thumbnails) print the certificate number under
# 6 px high; an id voted from them with less confidence than ``MIN_SMALL_ID_CONFIDENCE`` is not given.
SMALL_SOURCE_WIDTH = 1000
# On copies under 1300 px wide both quick readings of the number agree on a misread now and then
# (an 8 read as 5 at the end of the line): the header is always read a second time, enlarged more.
MID_SOURCE_WIDTH = 1300
# Under 1100 px both printings may also agree on an f read as 1 (or the reverse): a number whose f
# or 1 the glyph's measured shape contradicts is not given. Wider, the glyphs are read right and a
# measurement misplaced by one character (next to an unsure one) would only lose good numbers.
F_AND_1_CHECK_WIDTH = 1100
SMALL_ID_CONFIDENCE_CAP = 0.7
# How closely the header must match the number a file is named after for the name to be taken.
# Measured on 99 small copies and screenshots: the true number matched at 0.84-1.0 on 720-900 px
# screenshots and 0.41-0.81 on 600 px copies; 1880 random numbers matched at most 0.55.
NAMED_ID_MIN_SUPPORT = 0.6
NAMED_ID_OVER_VOTE = 0.9  # against a confident reading: two glyphs off of 32 match at 0.94
NAMED_ID_CONFIDENCE = 0.9

log = logging.getLogger(__name__)

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
CONFIDENCE_FIELDS = ("certificate_id", "title", "instructors", "student", "completed_on", "length_hours")


@dataclass(frozen=True)
class ReadResult:
    media_type: str
    design: str
    language: str | None
    fields: CertificateFields
    confidence: dict[str, float]
    raw_text: str
    engine: str
    engine_version: str


def sniff_media_type(data: bytes) -> str | None:
    """The media type from the magic number, whatever the file is called."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if b"%PDF-" in data[:1024]:
        return PDF
    return None


def _unreadable(file_name: str, what: str, exc: BaseException | None = None) -> PermanentError:
    detail = f": {exc}" if exc else ""
    return PermanentError("unreadable_image", f"{file_name} is {what} and cannot be decoded{detail}")


def decode(data: bytes, file_name: str) -> tuple[str, Image.Image]:
    """Bytes -> (media type, RGB page image). Raises ``PermanentError`` for every bad input."""
    if not data:
        raise PermanentError("empty_file", f"{file_name} is empty (0 bytes)")
    if len(data) > MAX_BYTES:
        raise PermanentError("too_large", f"{file_name} is {len(data)} bytes, more than the {MAX_BYTES} byte limit")
    media_type = sniff_media_type(data)
    if media_type is None:
        raise PermanentError(
            "unsupported_type", f"{file_name} is not a JPEG, PNG or PDF file (its content does not start like one)"
        )
    if media_type == PDF:
        return media_type, _render_pdf(data, file_name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise PermanentError("too_large", f"{file_name} is {image.width}x{image.height} pixels, too large")
            image.load()  # raises on truncated data (LOAD_TRUNCATED_IMAGES stays False)
    except PermanentError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PermanentError("too_large", f"{file_name} has too many pixels to read safely") from exc
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError, ... for corrupt data
        raise _unreadable(file_name, "a truncated or corrupt image", exc) from exc
    # An RGB JPEG is used as decoded (a copy costs about 4 ms at 1600x1190).
    return media_type, image if image.mode == "RGB" else _to_rgb(image)


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, image).convert("RGB")
    return image.convert("RGB")


def _render_pdf(data: bytes, file_name: str) -> Image.Image:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # PdfiumError and friends
        raise _unreadable(file_name, "a damaged PDF", exc) from exc
    try:
        if len(pdf) == 0:
            raise _unreadable(file_name, "a PDF without pages")
        page = pdf[0]
        width, _height = page.get_size()
        if width <= 0:
            raise _unreadable(file_name, "a PDF with an empty page")
        bitmap = page.render(scale=PAGE_WIDTH / width)
        return _to_rgb(bitmap.to_pil())
    except PermanentError:
        raise
    except Exception as exc:
        raise _unreadable(file_name, "a PDF whose first page cannot be rendered", exc) from exc
    finally:
        pdf.close()


# A phone screenshot has the phone's dark status and navigation bars above and below the page; a
# dark viewer or browser frames it. The certificates' own edge rows and columns average 94 or more
# (the old design's border, the light page): darker ones are the frame's.
DARK_EDGE = 64
MOST_TRIMMED = 0.3  # of the width or height, per side: more is not a frame around a certificate


def trim_dark_edges(image: Image.Image) -> Image.Image:
    """``image`` without the dark rows and columns along its edges (a phone's bars, a dark frame)."""
    width, height = image.size
    edges = ((0, 0, width, 1), (0, height - 1, width, height), (0, 0, 1, height), (width - 1, 0, width, height))
    if all(ImageStat.Stat(image.crop(edge).convert("L")).mean[0] >= DARK_EDGE for edge in edges):
        return image  # no dark edge: nothing to look for (most images, at a fraction of the cost)
    grey = image.convert("L")
    rows = grey.resize((1, height), Image.Resampling.BOX).tobytes()
    columns = grey.resize((width, 1), Image.Resampling.BOX).tobytes()

    def dark_run(means: bytes) -> int:
        most = int(len(means) * MOST_TRIMMED)
        run = next((i for i, mean in enumerate(means) if mean >= DARK_EDGE), len(means))
        return run if run <= most else 0

    top, bottom = dark_run(rows), dark_run(rows[::-1])
    left, right = dark_run(columns), dark_run(columns[::-1])
    if not top + bottom + left + right:
        return image
    return image.crop((left, top, width - right, height - bottom))


def normalise(image: Image.Image) -> Image.Image:
    """Greyscale at the design's native 1600 px width (small copies are enlarged first)."""
    grey = image.convert("L")
    if abs(grey.width - PAGE_WIDTH) > 40:
        height = max(1, round(grey.height * PAGE_WIDTH / grey.width))
        grey = grey.resize((PAGE_WIDTH, height), Image.Resampling.LANCZOS)
    return grey


# A date or length line whose value does not parse is read again at these sizes, which must agree.
REREAD_SCALES = (1.5, 2.0, 2.5, 3.0)
REREAD_PAD = 6  # px above and below the line's band
SMALL_PRINT = 30  # px: an old-design band lower than this (a caption) is read enlarged twice
BODY_LINE_HEIGHT = 44  # px: taller body lines are shrunk to this before OCR (twice as fast, as accurate)
# Two large lines at most this share of the taller one's height apart are lines of one title. Measured
# on seeds 7 and 11 and the real set: 0.13-0.97 between a title's lines (471 pairs); the student's name
# is the only other large line, four lines or more below the title, past the instructors.
TITLE_LINE_GAP = 1.5
SKEW_WIDTH = 400  # the width skew is estimated at
MIN_SKEW = 0.2  # degrees: a smaller tilt does not hurt Tesseract


def _row_score(binary: Image.Image, angle: float) -> float:
    """How sharply the rows of ink separate when ``binary`` is sheared by ``angle`` degrees (for
    angles this small, a shear is a rotation): the sum of squared row sums, largest when the text
    lines are horizontal."""
    slope = math.tan(math.radians(angle))
    centre = binary.width / 2
    sheared = binary.transform(
        binary.size, Image.Transform.AFFINE, (1, 0, 0, slope, 1, -slope * centre), Image.Resampling.NEAREST
    )
    profile = sheared.resize((1, sheared.height), Image.Resampling.BOX).tobytes()
    return float(sum(v * v for v in profile))


def skew_angle(page: Image.Image, limit: float = 1.35) -> float:
    """The counter-clockwise turn in degrees (within ``limit``) that makes the text lines of a
    slightly tilted scan or photo horizontal: a coarse then a fine search for the angle maximising
    the variance of the horizontal ink profile on a small binary copy."""
    height = max(1, round(page.height * SKEW_WIDTH / page.width))
    small = page.resize((SKEW_WIDTH, height), Image.Resampling.BOX)
    # Margins stay out: the white corners of a turned scan are not text.
    inner = small.crop((SKEW_WIDTH // 20, height // 20, SKEW_WIDTH - SKEW_WIDTH // 20, height - height // 20))
    binary = inner.point(lambda v: 255 if v < INK_LEVEL else 0)
    score = _row_scorer(binary)
    steps = round(limit / 0.15)
    best = max((i * 0.15 for i in range(-steps, steps + 1)), key=score)
    return max((best - 0.05, best, best + 0.05), key=score)


def _row_scorer(binary: Image.Image) -> Callable[[float], float]:
    """``_row_score`` of ``binary`` as a function of the angle, the same numbers in a fraction of
    the time (2 against 7 ms for the 22 angles of a page): Pillow shears a binary image by a whole
    number of rows per column, in 16.16 fixed point, and its box filter averages a row with one
    rounded weight, so both are done here on the rows' counts of ink in runs of columns."""
    import numpy as np

    width, height = binary.size
    ink = np.frombuffer(binary.tobytes(), dtype=np.uint8).reshape(height, width) != 0
    before = np.zeros((height, width + 1), dtype=np.int64)  # ink left of each column, per row
    np.cumsum(ink, axis=1, out=before[:, 1:])
    columns = np.arange(width, dtype=np.int64)

    def score(angle: float) -> float:
        slope = math.tan(math.radians(angle))
        step = math.floor(slope * 65536.0 + 0.5)
        start = math.floor((-slope * width / 2 + slope * 0.5 + 0.5) * 65536.0 + 0.5)
        corners = ((x, y) for x in (0, width) for y in (0, height))
        if width >= 32768 or any(abs(x * slope + y - slope * width / 2) >= 32768 for x, y in corners):
            return _row_score(binary, angle)  # beyond Pillow's fixed point: shear it as Pillow does
        shift = (start + columns * step) >> 16  # output row y shows input row y + shift, per column
        counts = np.zeros(height, dtype=np.int64)
        edges = np.concatenate(([0], np.flatnonzero(np.diff(shift)) + 1, [width]))
        for left, right in itertools.pairwise(edges):
            rows = before[:, right] - before[:, left]
            by = int(shift[left])
            top, bottom = max(0, -by), min(height, height - by)
            if top < bottom:
                counts[top:bottom] += rows[top + by : bottom + by]
        profile = _pillow_means(255 * counts, width)
        return float(np.dot(profile, profile))

    return score


def _levelled(page: Image.Image) -> tuple[Image.Image, float]:
    """``page`` turned level (``deskew``), and the turn it took in degrees (0.0: none)."""
    angle = skew_angle(page)
    if abs(angle) <= MIN_SKEW:
        return page, 0.0
    return deskew(page, angle), angle


def deskew(page: Image.Image, angle: float | None = None) -> Image.Image:
    """``page`` turned level when its text lines are tilted by more than ``MIN_SKEW`` degrees
    (``angle``: the turn, when already measured)."""
    angle = skew_angle(page) if angle is None else angle
    if abs(angle) <= MIN_SKEW:
        return page
    background = int(ImageStat.Stat(page).median[0])
    return page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=background)


def text_bands(
    page: Image.Image,
    box: tuple[int, int, int, int],
    ink_level: int = INK_LEVEL,
    min_height: int = 8,
    join_gap: int | None = None,
) -> list[tuple[int, int]]:
    """Top and bottom of each text line in ``box``, from the horizontal ink profile.

    Rows with ink are grouped; groups closer than a few pixels (accents, i dots; ``join_gap`` when
    given) are merged and specks are dropped. Returns page coordinates.
    """
    profile = row_means(page.crop(box).point(lambda v: 255 if v < ink_level else 0))
    bands: list[list[int]] = []
    for y, value in enumerate(profile):
        if value > 0:
            gap = join_gap if join_gap is not None else max(4, (bands[-1][1] - bands[-1][0]) // 8) if bands else 0
            if bands and y - bands[-1][1] <= gap:
                bands[-1][1] = y + 1
            else:
                bands.append([y, y + 1])
    merged: list[list[int]] = []
    for band in bands:
        # A short band just above a line is an accent row: join it to the line below.
        if merged and merged[-1][1] - merged[-1][0] < 10 and band[0] - merged[-1][1] < 12:
            merged[-1][1] = band[1]
        else:
            merged.append(band)
    split: list[list[int]] = []
    for top, bottom in merged:
        split += _split_band(profile, top, bottom)
    return [(top + box[1], bottom + box[1]) for top, bottom in split if bottom - top >= min_height]


MAX_LINE_BAND = 140  # px at the 1600 px page width: a taller band is two or more lines touching
LINE_PITCH = 95  # px: the usual distance between the lines of a wrapped title


def _split_band(profile: bytes, top: int, bottom: int) -> list[list[int]]:
    """A band taller than one line (a title whose lines nearly touch: "y" over "K") cut into lines
    at the emptiest row near each expected line boundary."""
    height = bottom - top
    if height <= MAX_LINE_BAND:
        return [[top, bottom]]
    parts = max(2, round(height / LINE_PITCH))
    cuts = [top]
    for k in range(1, parts):
        centre = top + k * height // parts
        reach = height // (3 * parts)
        cuts.append(min(range(centre - reach, centre + reach + 1), key=lambda y: (profile[y], abs(y - centre))))
    cuts.append(bottom)
    return [[a, b] for a, b in itertools.pairwise(cuts)]


# The current design's heading ("Certificate of Completion") on a registered page: the body's first
# band, small print (16-23 px high on 380 pages: generated, real, and real ones shrunk to 600-960
# px) starting 24-27 % down the page, right above the title's large print.
HEADING_BAND = (0.2, 0.31)  # of the page's height, where the heading's band starts
HEADING_HEIGHT = 30  # px, at most


def is_heading_band(bands: list[tuple[int, int]], height: int) -> bool:
    """Whether the first of the body's ``bands`` (page px, top to bottom) is where and how the
    design prints its heading, on a page ``height`` px high."""
    if len(bands) < 2:
        return False
    (top, bottom), (next_top, next_bottom) = bands[0], bands[1]
    return (
        HEADING_BAND[0] * height <= top <= HEADING_BAND[1] * height
        and bottom - top <= HEADING_HEIGHT
        and next_bottom - next_top > BODY_LINE_HEIGHT
    )


def _band_crop(
    page: Image.Image, box: tuple[int, int, int, int], bands: list[tuple[int, int]], index: int
) -> Image.Image:
    """``box`` (band ``index`` with padding) from ``page``, with the rows of the other bands that the
    padding reaches into blanked: the tops and bottoms of neighbouring lines are otherwise read as
    specks or letters (a title line's descenders above, the next line's capitals below)."""
    crop = page.crop(box)
    for i, (top, bottom) in enumerate(bands):
        if i == index or bottom <= box[1] or top >= box[3]:
            continue
        y0, y1 = max(0, top - 1 - box[1]), min(crop.height, bottom + 1 - box[1])
        if y1 > y0:
            crop.paste(255, (0, y0, crop.width, y1))
    return crop


LANGUAGE_MODELS = {"en": "eng", "es": "spa", "pt": "por", "tr": "tur", "id": "ind", "ru": "rus+eng"}
# Scripts other than Latin that Tesseract's script detection names, and the certificate language
# printed in them (Udemy's Russian pages are the ones seen in the wild).
SCRIPT_LANGUAGES = {"Cyrillic": "ru"}
# A Russian name the two models together read partly in Latin look-alikes ("Илья Kum") is read again
# by the Russian model alone.
CYRILLIC_MODEL = "rus"
MIN_SCRIPT_CONFIDENCE = 4.0  # summed over three sizes: a Spanish page scores Cyrillic 0.6, Russian ones 5-30
BLANK_STDDEV = 3.0  # a page whose grey levels spread less than this has no text at all
ORNATE_STDDEV = 20.0  # the old design's guilloche border: the current design's margin is flat
MIN_ORIENTATION_CONFIDENCE = 1.0


def is_blank(page: Image.Image) -> bool:
    stat = ImageStat.Stat(page)
    low, high = stat.extrema[0]
    return bool(stat.stddev[0] < BLANK_STDDEV or high - low < 40)


BLUE_FRAME_SHARE = 0.01  # the old design's frame is 5-40 % blue lines (cropped or padded); the current one's 0 %
BLUE_OVER_RED = 25  # blue this much over red is the old design's border
FRAME_INK = 5  # 0-255: a row or column with blue along 2 % of it is the border's
# ...when it is in the longest run of such rows (or columns), rows this share of the height apart
# taken as one: the light blue paper of a tilted copy, brought to the image's edge, puts blue along
# a few percent of rows there, 40-50 px clear of the border.
FRAME_GAP = 0.02
GREY_SPREAD = 20  # an image whose channels never differ by more than this is a grey copy


def is_ornate(image: Image.Image, page: Image.Image) -> bool:
    """The old design: a blue guilloche border all round where the current design has a flat
    grey margin. Told by colour, which survives crops and white margins (blue, not purple like
    the current design's logo, near at least three edges: a blue app bar lines one); else, for a
    grey copy, by a busy strip near every edge along its whole length. ``image`` may be its
    ``thumbnail``: the colour test gives the same."""
    sides = blue_sides(image)
    if sides is not None and sum(share > BLUE_FRAME_SHARE for share in sides) >= 3:
        return True
    return busy_all_round(page)


FRAME_MARGIN = 0.03  # of the frame's width, kept around an old design found inside a larger image
# A download's border spans 92-94 % of its width and height (87 % with white margins): a border
# spanning less of either is a page shown inside a larger screenshot.
FRAMED_AT_MOST = 0.8


def thumbnail(image: Image.Image) -> Image.Image:
    """``image`` shrunk by a whole factor (``thumbnail_factor``) to about 400 px wide (a box filter:
    about 1 ms), in RGB, for the tests on colour and layout; ``blue_sides`` gives the same on it as
    on ``image``."""
    image = image if image.mode == "RGB" else image.convert("RGB")
    return image.reduce(thumbnail_factor(image))


def thumbnail_factor(image: Image.Image) -> int:
    return max(1, image.width // 400)


def page_grey_mask(image: Image.Image) -> Image.Image:
    """Where greyscale ``image`` has the current design's page grey (255), and where not (0)."""
    return image.point(lambda v: 255 if PAGE_GREY[0] <= v <= PAGE_GREY[1] else 0)


def framed_old_design(image: Image.Image, small: Image.Image | None = None) -> Image.Image | None:
    """The old design's certificate cut out of a larger image that shows it (a desktop
    screenshot: the site's bars and panels around it), or ``None``. It is told by a landscape blue
    border that spans less of the image than a download's and runs all along at least three of
    its own sides (the fourth may be cut off). ``small``: the image's ``thumbnail``, when made."""
    image = image if image.mode == "RGB" else image.convert("RGB")
    factor = thumbnail_factor(image)
    found = _span(_blue(small if small is not None else thumbnail(image)), FRAME_INK)
    if found is None:
        return None
    x0, y0, x1, y1 = found.box
    framed = _cut_out(image, (x0 * factor, y0 * factor, x1 * factor, y1 * factor))
    return framed if framed is not None and _blue_all_along(framed) >= 3 else None


def framed_current_design(image: Image.Image, small: Image.Image | None = None) -> Image.Image | None:
    """The current design's certificate cut out of a larger image that shows it (a post on a site
    with text and links beside it), or ``None``: a landscape block of its light grey page that
    spans less of the image than a download's page does. ``small``: its ``thumbnail``, when made."""
    factor = thumbnail_factor(image)
    grey = page_grey_mask((small if small is not None else thumbnail(image)).convert("L"))
    # The page's rows hold its grey on its whole width but where text crosses it: a share of the
    # fullest row's grey, with the gaps of a line of large print bridged.
    row_means = grey.resize((1, grey.height), Image.Resampling.BOX).tobytes()
    rows = _longest_run(row_means, max(row_means) * PAGE_ROW_SHARE, round(WINDOW_GAP * 4 * grey.height))
    if rows is None:
        return None
    band = grey.crop((0, rows[0], grey.width, rows[1]))
    column_means = band.resize((band.width, 1), Image.Resampling.BOX).tobytes()
    columns = _longest_run(column_means, 128, 0)
    if columns is None:
        return None
    return _cut_out(image, (columns[0] * factor, rows[0] * factor, columns[1] * factor, rows[1] * factor))


PAGE_ROW_SHARE = 0.3


def _cut_out(image: Image.Image, box: tuple[int, int, int, int]) -> Image.Image | None:
    """``image`` cut to ``box`` (a certificate found on it) with a margin, when the box is
    landscape, a third of the width or more, and spans less of the image than a download's page
    does; else ``None`` (the image is the certificate, or what was found is not one)."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    inside = width < FRAMED_AT_MOST * image.width or height < FRAMED_AT_MOST * image.height
    if not inside or width < image.width / 3 or not WINDOW_ASPECT[0] <= width / max(1, height) <= WINDOW_ASPECT[1]:
        return None
    margin = round(FRAME_MARGIN * width)
    return image.crop(
        (max(0, x0 - margin), max(0, y0 - margin), min(image.width, x1 + margin), min(image.height, y1 + margin))
    )


def _longest_run(means: bytes, least: float, gap: int) -> tuple[int, int] | None:
    """The first and past-the-last index of the longest run of ``means`` over ``least``, runs
    ``gap`` apart or less taken as one."""
    runs: list[list[int]] = []
    for i, mean in enumerate(means):
        if mean <= least:
            continue
        if runs and i - runs[-1][1] <= gap:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    if not runs:
        return None
    first, last = max(runs, key=lambda run: run[1] - run[0])
    return first, last


def _blue_all_along(image: Image.Image) -> int:
    """On how many sides of ``image`` its outer tenth holds blue in each third of its length (a
    border runs all along; a site's blue links and buttons beside a page do not)."""
    mask = _blue(thumbnail(image))
    width, height = mask.size
    fw, fh = max(1, width // 10), max(1, height // 10)
    sides = 0
    for horizontal, (x0, y0, x1, y1) in (
        (True, (0, 0, width, fh)),
        (True, (0, height - fh, width, height)),
        (False, (0, 0, fw, height)),
        (False, (width - fw, 0, width, height)),
    ):
        length = (x1 - x0) if horizontal else (y1 - y0)
        thirds = [
            (x0 + length * k // 3, y0, x0 + length * (k + 1) // 3, y1)
            if horizontal
            else (x0, y0 + length * k // 3, x1, y0 + length * (k + 1) // 3)
            for k in range(3)
        ]
        sides += all(ImageStat.Stat(mask.crop(third)).mean[0] / 255 > BLUE_FRAME_SHARE for third in thirds)
    return sides


BORDER_REACH = 8  # percent of the page from each edge where the old design's border is looked for


def busy_all_round(page: Image.Image) -> bool:
    """Whether, on every side of ``page`` and in each third of its middle, some strip 1 % thick
    within ``BORDER_REACH`` % of the edge is busy (the guilloche); the current design has nothing
    along its bottom edge, so it is ruled out at the first side looked at."""
    width, height = page.size
    for side in ("bottom", "right", "top", "left"):
        across = height if side in ("left", "right") else width
        edge = width if side in ("left", "right") else height
        for third in range(3):
            lo, hi = round(across * (0.2 + 0.2 * third)), round(across * (0.4 + 0.2 * third))
            busiest = 0.0
            for k in range(BORDER_REACH):
                near, far = round(edge * k / 100), round(edge * (k + 1) / 100)
                if side in ("bottom", "right"):
                    near, far = edge - far, edge - near
                box = (near, lo, far, hi) if side in ("left", "right") else (lo, near, hi, far)
                busiest = max(busiest, ImageStat.Stat(page.crop(box)).stddev[0])
            if busiest <= ORNATE_STDDEV:
                return False
    return True


# Where a download has its page: the current design's light grey page on its white margin, and
# the old design's blue border, in page pixels (measured on real certificates).
PAGE_SIZE = (PAGE_WIDTH, 1190)
PAGE_RECT = (32, 32, 1568, 1162)
OLD_PAGE_SIZE = (PAGE_WIDTH, 1194)
OLD_FRAME = (45, 54, 1555, 1156)
PAGE_GREY = (243, 252)  # the current design's page (#F7F8FA), between white and the grey text
# A page found this close (share of the width) to where it belongs stays as it is. The old
# design's border is drawn differently from copy to copy (the generator's lies 13 px inside).
REGISTER_TOLERANCE = 0.015
OLD_REGISTER_TOLERANCE = 0.03


class HeaderCrop(NamedTuple):
    """A line of the header cut out: where it starts (header px), how much it was enlarged, and the
    enlarged image."""

    left: int
    scale: float
    image: Image.Image


class Found(NamedTuple):
    """A page (or frame) found on an image: its box, and which of its edges are really its edges
    (False: the image was cropped inside it there)."""

    box: tuple[int, int, int, int]
    edges: tuple[bool, bool, bool, bool]


def grey_page(page: Image.Image) -> Found | None:
    """The current design's light grey page on ``page``: the rows and columns mostly of its grey."""
    return _span(page_grey_mask(page), 128)


def blue_frame(image: Image.Image, scale: float) -> Found | None:
    """The old design's blue border on ``image``, in the coordinates of the page made from it
    (``scale``): the outermost rows and columns with blue along a fiftieth of them at least (a
    stray blue pixel does not move it)."""
    found = _span(_blue(image), FRAME_INK, FRAME_GAP)
    if found is None:
        return None
    x0, y0, x1, y1 = (round(v * scale) for v in found.box)
    return Found((x0, y0, x1, y1), found.edges)


def _span(mask: Image.Image, least: int, gap: float | None = None) -> Found | None:
    """The box of the rows and columns of ``mask`` whose mean is over ``least`` (0-255), and
    which of its edges lie inside the image. With ``gap`` (a share of the width or height), only
    the longest run of such rows and of such columns, runs that close taken as one."""
    columns, rows = column_means(mask), row_means(mask)
    if gap is None:
        xs = [x for x, v in enumerate(columns) if v > least]
        ys = [y for y, v in enumerate(rows) if v > least]
        across = (xs[0], xs[-1] + 1) if xs else None
        down = (ys[0], ys[-1] + 1) if ys else None
    else:
        across = _longest_run(columns, least, round(gap * mask.width))
        down = _longest_run(rows, least, round(gap * mask.height))
    if across is None or down is None:
        return None
    box = (across[0], down[0], across[1], down[1])
    return Found(box, (box[0] > 2, box[1] > 2, box[2] < mask.width - 2, box[3] < mask.height - 2))


def row_means(image: Image.Image) -> bytes:
    """The mean of each row of greyscale ``image``: the bytes of Pillow's box filter shrinking it to
    one column (``image.resize((1, height), BOX)``), in about half the time (finding the current
    design's page on a page: 2.9 against 4.4 ms)."""
    return _box_means(image, 1)


def column_means(image: Image.Image) -> bytes:
    """The mean of each column of greyscale ``image``, as ``row_means`` gives the rows'."""
    return _box_means(image, 0)


def _box_means(image: Image.Image, axis: int) -> bytes:
    import numpy as np

    width, height = image.size
    pixels = np.frombuffer(image.tobytes(), dtype=np.uint8).reshape(height, width)
    wide = np.int32 if max(width, height) < (1 << 31) // 255 else np.int64  # the narrower sums are faster
    sums = pixels.sum(axis=axis, dtype=wide).astype(np.int64)
    return _pillow_means(sums, height if axis == 0 else width).astype(np.uint8).tobytes()


def _pillow_means(sums: np.ndarray, count: int) -> np.ndarray:
    """The 8-bit means Pillow's box filter gives for runs of ``count`` pixels with these ``sums``
    (int64): it gives every pixel the same weight, rounded to 22 fraction bits, and rounds the
    weighted sum, so each mean is the sum times that weight."""
    import numpy as np

    weight = int(0.5 + (1.0 / count) * (1 << 22))
    return np.minimum((sums * weight + (1 << 21)) >> 22, 255)


def register(
    page: Image.Image,
    found: Found | None,
    reference: tuple[int, int, int, int],
    size: tuple[int, int],
    tolerance: float = REGISTER_TOLERANCE,
    source: Image.Image | None = None,
    tilt: float = 0.0,
) -> tuple[Image.Image, float]:
    """``page`` scaled and shifted so that what was ``found`` lands on ``reference``, where a
    downloaded certificate has it, on a white canvas of ``size``; and the scale applied. A page
    with white or dark margins around it, or cropped on some sides, is read with the layout of a
    download. The scale comes from two opposite edges that are both real (left and right, else
    top and bottom); each side is placed by an edge that is real. Unchanged when nothing was
    found, nothing gives the scale, or the page's size, scale and place are all within
    ``tolerance`` (a share of the width) of the download's: a page cut short at its foot still
    gets the download's full canvas, and whatever lies below a page that runs on is cut off.

    ``source``: the image ``page`` was made from by ``normalise`` and turned level by ``tilt``
    degrees. When ``normalise`` resized it, the scaled page is made from ``source`` in one
    resampling instead of two: a page with margins was shrunk to the page width and enlarged back,
    and small print (the certificate number) lost its shape on the way."""
    if found is None:
        return page, 1.0
    (x0, y0, x1, y1), (left, top, right, bottom) = found
    rx0, ry0, rx1, ry1 = reference
    if left and right and x1 - x0 > page.width / 3:
        scale = (rx1 - rx0) / (x1 - x0)
    elif top and bottom and y1 - y0 > page.height / 3:
        scale = (ry1 - ry0) / (y1 - y0)
    else:
        return page, 1.0
    dx = rx0 - x0 * scale if left else rx1 - x1 * scale if right else (size[0] - page.width * scale) / 2
    dy = ry0 - y0 * scale if top else ry1 - y1 * scale if bottom else (size[1] - page.height * scale) / 2
    limit = tolerance * size[0]
    # A page cut short (a screenshot that ends above the page's foot) still needs its full canvas.
    fits = abs(page.width - size[0]) <= limit and abs(page.height - size[1]) <= limit
    if fits and abs(scale - 1) * size[0] <= limit and abs(dx) <= limit and abs(dy) <= limit:
        return page, 1.0
    scaled_size = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
    if source is not None and source.size != page.size:
        grey = deskew(source.convert("L"), tilt) if tilt else source.convert("L")
        scaled = grey.resize(scaled_size, Image.Resampling.LANCZOS)
    else:
        scaled = page.resize(scaled_size, Image.Resampling.LANCZOS)
    canvas = Image.new("L", size, 255)
    canvas.paste(scaled, (round(dx), round(dy)))
    return canvas, scale


WINDOW_GAP = 0.01  # of the height: rows this close together belong to one run
WINDOW_MARGIN = 0.03  # of the width, kept above and below the certificate found in a window
WINDOW_ASPECT = (1.1, 1.7)  # width over height of a landscape certificate (1600x1190 is 1.34)


def landscape_window(image: Image.Image) -> tuple[int, int] | None:
    """The top and bottom rows of a landscape certificate shown across a portrait ``image`` (a
    phone screenshot): the longest run of rows that are partly the current design's page grey, or
    that carry the old design's blue border, when that run is landscape; ``None`` otherwise (a
    certificate turned by 90 degrees runs the whole height)."""
    width, height = image.size
    grey = page_grey_mask(image.convert("L"))
    # A row through a large bold title is half ink: a quarter of page grey makes a page row.
    for mask, least in ((grey, 64), (_blue(image), FRAME_INK)):
        rows = mask.resize((1, height), Image.Resampling.BOX).tobytes()
        run = _longest_run(rows, least, int(WINDOW_GAP * height))
        if run is None:
            continue
        top, bottom = run
        if WINDOW_ASPECT[0] <= width / (bottom - top) <= WINDOW_ASPECT[1]:
            margin = round(WINDOW_MARGIN * width)
            return max(0, top - margin), min(height, bottom + margin)
    return None


def _blue(image: Image.Image) -> Image.Image:
    """Where ``image`` is blue (the old design's border), not purple (the current design's logo)."""
    red, green, blue = (image if image.mode == "RGB" else image.convert("RGB")).split()
    bluish = ImageChops.subtract(blue, red).point(lambda v: 255 if v > BLUE_OVER_RED else 0)
    return ImageChops.subtract(bluish, ImageChops.subtract(red, green).point(lambda v: 255 if v > 0 else 0))


def blue_sides(image: Image.Image) -> tuple[float, float, float, float] | None:
    """The share of blue in the outer tenth of ``image`` on each side (top, bottom, left, right),
    or ``None`` for a grey copy (no channel ever differs by more than ``GREY_SPREAD``)."""
    small = thumbnail(image)
    channels = small.split()
    pairs = ((channels[0], channels[1]), (channels[1], channels[2]), (channels[0], channels[2]))
    if max(float(ImageStat.Stat(ImageChops.difference(a, b)).extrema[0][1]) for a, b in pairs) <= GREY_SPREAD:
        return None
    mask = _blue(small)
    width, height = mask.size
    fw, fh = max(1, width // 10), max(1, height // 10)
    boxes = (
        (0, 0, width, fh),
        (0, height - fh, width, height),
        (0, fh, fw, height - fh),
        (width - fw, fh, width, height - fh),
    )
    top, bottom, left, right = (ImageStat.Stat(mask.crop(box)).mean[0] / 255 for box in boxes)
    return top, bottom, left, right


class CertificateReader:
    """Reads certificates with one Tesseract instance per language model, reused for every call.

    English is loaded at once; Spanish, Portuguese, Turkish and Indonesian models are loaded when
    a certificate in that language is first seen. A missing model is not fatal: the certificate
    is read with the English model and its text fields get a low confidence (accents may be lost).
    """

    def __init__(self, tessdata_dir: str = "/usr/share/tesseract-ocr/5/tessdata") -> None:
        for weights, network in ((ID_LINE_WEIGHTS, "id-line"), (NAME_LINE_WEIGHTS, "names")):
            if not weights.is_file():
                raise ConfigurationError(
                    f"the {network} network's weights {weights} are missing: "
                    f"they ship with the code (git checkout functions/ocr/models/{weights.name})"
                )
        self._tessdata_dir = tessdata_dir
        self._engine = TesseractEngine(tessdata_dir)
        self._engines: dict[str, TesseractEngine] = {"eng": self._engine}
        self.missing_models: set[str] = set()

    @property
    def engine_version(self) -> str:
        return self._engine.version

    def _engine_for(self, language: str | None) -> tuple[TesseractEngine, bool]:
        """The engine for ``language`` and whether it is that language's own model."""
        model = LANGUAGE_MODELS.get(language or "en")
        if model is None:
            return self._engine, False
        return self._engine_of(model, language)

    def _engine_of(self, model: str, language: str | None) -> tuple[TesseractEngine, bool]:
        """The engine with Tesseract ``model`` (for ``language``) and whether it was found."""
        if model not in self._engines:
            if not has_language(self._tessdata_dir, model):
                if model not in self.missing_models:
                    self.missing_models.add(model)
                    log.warning(
                        "Tesseract model %s.traineddata is missing from %s: %s certificates are read with the "
                        "English model (install tesseract-ocr-%s)",
                        model,
                        self._tessdata_dir,
                        language,
                        model,
                    )
                return self._engine, False
            self._engines[model] = TesseractEngine(self._tessdata_dir, model)
        return self._engines[model], True

    def read(self, data: bytes, file_name: str) -> ReadResult:
        media_type, image = decode(data, file_name)
        try:
            return self._read_image(image, media_type, file_name)
        except PermanentError as exc:
            # Upside down, a certificate shows none of what tells one: turned around, it may.
            if exc.reason_code != "not_a_certificate" or not self._upside_down(image):
                raise
            log.info("%s is upside down: turned around", file_name)
            try:
                return self._read_image(image.rotate(180), media_type, file_name)
            except PermanentError:
                raise exc from None

    def _read_image(self, image: Image.Image, media_type: str, file_name: str) -> ReadResult:
        image = trim_dark_edges(image)
        page = normalise(image)
        if is_blank(page):
            raise PermanentError("not_a_certificate", f"{file_name} is a blank page: there is no text on it")
        turned = page.height > page.width * 1.05
        window = landscape_window(image) if turned else None
        if window is not None:
            # A phone held upright: the certificate across the screen, the browser above and below
            image = trim_dark_edges(image.crop((0, window[0], image.width, window[1])))
            page, turned = normalise(image), False
        if turned:
            page = self._upright(page, file_name)
        small = thumbnail(image)  # one small copy for the tests on colour and layout below
        framed = None if turned else framed_old_design(image, small)
        if framed is not None:
            # The old design shown inside a larger screenshot: read the certificate alone; when
            # that finds no old-design certificate (the blue was the site's), read the whole image
            try:
                return self._read_old_page(framed, *_levelled(normalise(framed)), media_type, file_name, turned)
            except PermanentError as exc:
                if exc.reason_code != "not_a_certificate":
                    raise
        page, tilt = _levelled(page)
        if framed is None and is_ornate(small, page):
            return self._read_old_page(image, page, tilt, media_type, file_name, turned)
        shown = None if turned else framed_current_design(image, small)
        if shown is not None:
            # The current design shown inside a larger image: its page alone, without what is beside it
            image, (page, tilt) = shown, _levelled(normalise(shown))
        source_width = max(image.size)
        found = grey_page(page)
        page, scale = register(page, found, PAGE_RECT, PAGE_SIZE, source=None if turned else image, tilt=tilt)
        return self._read_current(page, media_type, file_name, round(source_width / scale), bool(tilt))

    def _read_old_page(
        self, image: Image.Image, page: Image.Image, tilt: float, media_type: str, file_name: str, turned: bool
    ) -> ReadResult:
        """The old design's ``page`` (made from ``image``, turned level by ``tilt`` degrees) placed
        where a download has its border, and read. The border is found on ``image`` turned as the
        page was: on a tilted copy its box is taller by the tilt (28 px at 1600 px for 1 degree),
        and placed by that box the sentence's lines ran into the heading."""
        source, source_width = image, max(image.size)
        if tilt and not turned:
            image = image.rotate(tilt, resample=Image.Resampling.NEAREST, fillcolor="white")
        frame = None if turned else blue_frame(image, page.width / image.width)
        page, scale = register(
            page, frame, OLD_FRAME, OLD_PAGE_SIZE, OLD_REGISTER_TOLERANCE, source=None if turned else source, tilt=tilt
        )
        return self._read_old(page, media_type, file_name, round(source_width / scale))

    def _upside_down(self, image: Image.Image) -> bool:
        """Whether the text of ``image`` (landscape, not blank) is upside down, as Tesseract's
        orientation detection sees it."""
        page = normalise(trim_dark_edges(image))
        if page.height > page.width or is_blank(page):
            return False
        found = self._engine.orientation(page.resize((page.width // 2, page.height // 2), Image.Resampling.BOX))
        return found is not None and found[0] == 180 and found[1] >= MIN_ORIENTATION_CONFIDENCE

    def _upright(self, page: Image.Image, file_name: str) -> Image.Image:
        """A portrait page is a landscape certificate turned by 90 degrees: turn it back."""
        small = page.resize((page.width // 2, max(1, page.height // 2)), Image.Resampling.BOX)
        found = self._engine.orientation(small)
        if found is None or found[0] not in (90, 270) or found[1] < MIN_ORIENTATION_CONFIDENCE:
            raise PermanentError(
                "unreadable_image",
                f"{file_name} is a portrait page ({page.width}x{page.height}) whose text orientation could not be "
                "detected: certificates are landscape; rotate it upright and upload it again",
            )
        return normalise(page.rotate(found[0], expand=True))

    def _body(self, page: Image.Image, engine: TesseractEngine) -> list[Line]:
        """The body's text lines, its heading left unread (a 14th of a page's time) unless the
        "Instructors" label is not found among the others: the labels tell a certificate and its
        language, and that one where its title ends; without it the heading tells them."""
        lines = self._body_lines(page, engine)
        if parse_body(lines, page.width).has_instructors_label:
            return lines
        return [*self._body_lines(page, engine, heading=True), *lines]

    def _body_lines(self, page: Image.Image, engine: TesseractEngine, heading: bool = False) -> list[Line]:
        """The body's text lines but its heading (``heading``: the heading alone, when the page
        shows one where the design prints it). With a language's own model each line is read by it
        and by the English model: the same letters but for accents -> the language's reading (it
        keeps the accents); different readings -> the more confident one (English words in a
        localised title: "APIs", "NodeJS")."""
        width, height = page.size
        body_lines: list[Line] = []
        left, right = int(width * 0.04), int(width * 0.97)
        bands = text_bands(page, (left, int(height * 0.2), right, height - 8))
        shows_heading = is_heading_band(bands, height)
        # The narrowest space of the title's lines read so far, in page px, for a line of the same
        # title that has none of its own (a last line "e Qt 6" read as one word).
        title_space: float | None = None
        for index, (top, bottom) in enumerate(bands):
            if heading != (shows_heading and index == 0):
                continue
            pad = max(6, (bottom - top) // 4)
            full = _band_crop(page, (left - 20, max(0, top - pad), right, min(height, bottom + pad)), bands, index)
            large = bottom - top > BODY_LINE_HEIGHT
            if not large:
                # Small print (labels, names, date, length) ends well before the body's right edge:
                # the paper after it costs the engine time (about 1 ms a line) and adds nothing.
                full = _without_paper_after(full, 2 * (bottom - top))
            crop, scale = full, 1.0
            if large:
                # Large print (title, student) is shrunk: Tesseract scales every line to a small
                # fixed height anyway, and a smaller crop is faster to binarise and segment.
                scale = BODY_LINE_HEIGHT / (bottom - top)
                size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
                crop = crop.resize(size, Image.Resampling.BOX)
            if not (large and index and _same_title(bands[index - 1], (top, bottom))):
                title_space = None
            space = title_space * scale if title_space is not None else None
            read, own = _read_body_line(engine, crop, large, space)
            if crop is not full and any(is_dash(w.text) for ln in read for w in ln.words):
                # A lone dash is a hyphen or an en dash by its width, which shrinking blurs.
                crop, scale, space = full, 1.0, title_space
                read, own = _read_body_line(engine, crop, large, space)
            if engine is not self._engine and "eng" not in engine.lang.split("+"):
                read = _better_reading(read, _read_body_line(self._engine, crop, large, space)[0])
            if own is not None:
                title_space = own / scale
            for line in read:
                body_lines.append(Line(line.words, (left, top, right, bottom), line.x_height))
        return body_lines

    def _script_of(self, page: Image.Image) -> str | None:
        """The language of ``SCRIPT_LANGUAGES`` whose script Tesseract's script detection sees in the
        body, or ``None``. Detection on one size is unsteady: the body at full, half and third size
        votes, each with its confidence."""
        width, height = page.size
        body = page.crop((int(width * 0.04), int(height * 0.2), int(width * 0.97), height - 8))
        votes: dict[str, float] = {}
        for divisor in (1, 2, 3):
            size = (body.width // divisor, body.height // divisor)
            found = self._engine.script(body if divisor == 1 else body.resize(size, Image.Resampling.BOX))
            if found is not None:
                votes[found[0]] = votes.get(found[0], 0.0) + found[1]
        if not votes:
            return None
        script, confidence = max(votes.items(), key=lambda kv: kv[1])
        return SCRIPT_LANGUAGES.get(script) if confidence >= MIN_SCRIPT_CONFIDENCE else None

    def _header_lines(
        self, page: Image.Image, thorough: bool = False, number_alone: bool = True
    ) -> tuple[list[Line], list[IdCheck], float | None]:
        """The grey header's "Certificate no" and "Certificate url" lines, each cropped tightly,
        enlarged (``QUICK_HEADER_SCALE``, ``QUICK_URL_SCALE``) and read whole. Where the number
        line alone reads as a number nothing in its reading doubts (``number_alone``, and not
        ``thorough``), the url line is not read. When the two readings do not give the
        same valid id (or when ``thorough``), both lines are read again enlarged ``HEADER_SCALE``
        times, whole and their id part alone (right-aligned, so it spans the same columns on both)
        restricted to ``UC-`` and hex digits; every reading votes. Also returns the id-part
        readings with their images and measured glyph boxes, for checks on the glyphs' shapes, and
        where the id begins on the number line (header pixels), when a reading found it."""

        def read(crop: Image.Image, whitelist: str = "") -> list[Line]:
            return self._engine.lines(
                crop, tesserocr.PSM.SINGLE_LINE, whitelist=whitelist, doubt_below=ID_DOUBT_BELOW, choices=True
            )

        quick: list[tuple[HeaderCrop, list[Line]]] = []
        for crop in self._header_crops(page, QUICK_HEADER_SCALE, QUICK_URL_SCALE):
            quick.append((crop, read(crop.image)))
            if number_alone and not thorough and len(quick) == 1 and _number_line_settles(quick[0][1]):
                return quick[0][1], [], _id_left(quick)
        lines = [line for _, read_here in quick for line in read_here]
        if _ids_agree(lines) and not thorough:
            return lines, [], _id_left(quick)
        crops = list(self._header_crops(page, HEADER_SCALE, HEADER_SCALE))
        per_crop: list[tuple[HeaderCrop, list[Line]]] = []
        checks: list[IdCheck] = []
        for which, crop in enumerate(crops):
            read_here = read(crop.image)
            per_crop.append((crop, read_here))
            lines += read_here
            checks += [(with_glyph_boxes(crop.image, line, r"\S"), crop.image, which) for line in read_here]
        id_left = _id_left(per_crop)
        if id_left is None:
            return lines + [line for crop in crops for line in read(crop.image, HEADER_ALPHABET)], checks, None
        for which, (left, scale, image) in enumerate(crops):
            start = max(0, round((id_left - left - ID_MARGIN) * scale))
            if start < image.width - 20:
                part = image.crop((start, 0, image.width, image.height))
                for line in read(part, ID_ALPHABET):
                    lines.append(line)
                    checks.append((with_glyph_boxes(part, line, r"\S"), part, which))
        return lines, checks, id_left

    def _header(self, page: Image.Image) -> tuple[Image.Image, list[tuple[int, int]]]:
        """The header's region of ``page`` with its contrast stretched, and its text lines' bands
        (the number, the url, the reference number)."""
        width, height = page.size
        box = (int(width * 0.42), int(height * 0.045), int(width * 0.97), int(height * 0.175))
        header = ImageOps.autocontrast(page.crop(box), cutoff=0.5)
        # The header is grey text on a light page: after the stretch, ink is well under the middle.
        bands = [b for b in text_bands(header, (0, 0, header.width, header.height), 150, 3) if b[1] - b[0] >= 6]
        return header, bands

    def _header_crops(self, page: Image.Image, number_scale: float, url_scale: float) -> Iterator[HeaderCrop]:
        """The number and url lines of the header, each trimmed to its ink and enlarged by its
        scale, one at a time (the url line is not cut where the number line alone settles the
        number)."""
        header, bands = self._header(page)
        # the third line is the constant reference number
        for (top, bottom), scale in zip(bands[:2], (number_scale, url_scale), strict=False):
            pad = max(4, (bottom - top) // 2)
            crop = header.crop((0, max(0, top - pad), header.width, min(header.height, bottom + pad)))
            ink = _ink_span(crop)
            if ink is None:
                continue
            left = max(0, ink[0] - 2 * pad)
            crop = crop.crop((left, 0, min(crop.width, ink[1] + 2 * pad), crop.height))
            size = (round(crop.width * scale), round(crop.height * scale))
            yield HeaderCrop(left, scale, crop.resize(size, Image.Resampling.LANCZOS))

    def _id_line_reading(self, page: Image.Image, id_left: float | None) -> IdLineReading | None:
        """The id-line network's reading of the number from both its printings, cut from where
        Tesseract saw the id begin (``id_left``, header pixels); ``None`` without that place."""
        if id_left is None:
            return None
        header, bands = self._header(page)
        if len(bands) < 2:
            return None
        ink = _ink_span(header.crop((0, bands[0][0], header.width, bands[1][1])))
        if ink is None:
            return None
        from functions.ocr.idline import cut_id_lines, id_line_net

        return id_line_net().read(cut_id_lines(header, bands, id_left, ink[1]))

    def _read_current(
        self, page: Image.Image, media_type: str, file_name: str, source_width: int, levelled: bool = False
    ) -> ReadResult:
        """The current design's ``page`` (registered at 1600 px; ``levelled``: turned level from a
        tilt first)."""
        width = page.width
        small = source_width < SMALL_SOURCE_WIDTH
        mid_size = source_width < MID_SOURCE_WIDTH
        header_lines, id_checks, id_left = self._header_lines(page, thorough=mid_size, number_alone=not levelled)
        header_language = detect_language(lines_text(header_lines))
        certificate_id, id_confidence = pick_certificate_id(header_lines)
        if (
            source_width < F_AND_1_CHECK_WIDTH
            and not small
            and certificate_id
            and f_and_1_contradict(certificate_id, id_checks)
        ):
            certificate_id, id_confidence = None, 0.0
        if small:
            certificate_id, id_confidence = small_copy_id(certificate_id, id_confidence, header_lines, id_checks)
            # Even agreeing readings misread about one small copy's number in fifty (e for 6): the
            # confidence says so.
            id_confidence = min(id_confidence, SMALL_ID_CONFIDENCE_CAP)
        # A tilted copy's number is checked like a mid-size one's: turned level, its glyphs are
        # resampled, and both printings may agree on an f read as 1.
        if (
            mid_size
            or levelled
            or certificate_id is None
            or disputed(certificate_id, header_lines)
            or rival_digit(certificate_id, header_lines)
        ):
            reading = self._id_line_reading(page, id_left)
            certificate_id, id_confidence = settle_id(
                certificate_id,
                id_confidence,
                reading,
                file_name,
                header_lines,
                id_checks,
                small=small,
                full_size=not mid_size,
            )
        certificate_id, id_confidence = _named_id(certificate_id, id_confidence, file_name, header_lines)

        engine, own_model = self._engine_for(header_language)
        body_lines = self._body(page, engine)
        language = detect_language(lines_text([*header_lines, *body_lines]))
        if language != header_language and language in LANGUAGE_MODELS:
            better, better_own = self._engine_for(language)
            if better is not engine:
                engine, own_model = better, better_own
                body_lines = self._body(page, engine)
        parsed = parse_body(body_lines, width, language)
        if parsed.completed_on is None or parsed.length_hours is None:
            reread = reread_values(page, body_lines, engine)
            if reread is not body_lines:
                body_lines, parsed = reread, parse_body(reread, width, language)
        if not parsed.has_heading and not parsed.has_labels:
            # No heading or label of a known language: a page in another script (Russian) read
            # with a Latin model. Its own model finds its labels; without the model, the script
            # is detected and only what is printed in Latin is kept.
            for script_language in SCRIPT_LANGUAGES.values():
                other, other_own = self._engine_for(script_language)
                if other_own:
                    other_lines = self._body(page, other)
                    other_parsed = parse_body(other_lines, width, script_language)
                    if other_parsed.has_heading or other_parsed.has_labels:
                        language, own_model, body_lines, parsed = script_language, True, other_lines, other_parsed
                        engine = other  # the engine that read ``body_lines``
                        break
                elif self._script_of(page) == script_language:
                    language, own_model = script_language, False
                    # Latin look-alikes of the letters ("UsaH Metpos") are not the names.
                    _drop_text(parsed)
                    break

        if language is None and (parsed.has_heading or parsed.has_labels):
            # A heading and labels in no language known here ("CERTIFICAT DE RÉUSSITE",
            # "Formateurs", "Date"): the English model reads its title and names without their
            # accents ("de Zero" for "de zéro"), so only the number and the values parsed are given.
            _drop_text(parsed)

        group = instructor_lines(body_lines, width)
        if language == "ru" and own_model and mixed_script([", ".join(parsed.instructors)]):
            parsed.instructors = self._cyrillic_names(page, body_lines, group, parsed.instructors)
        distrusted = language not in (None, "en") and not own_model  # its text fields are dropped anyway
        sure = parsed.confidence.get("instructors", 0.0) >= MIN_SMALL_TEXT_CONFIDENCE
        # A small copy's names are given only as readings at more sizes agree on them (every one,
        # where the first reading was unsure: ``UNANIMOUS_NAMES_CONFIDENCE``), and so are a larger
        # page's when the engine doubts one of their words.
        doubted = min((w.confidence for w in instructor_words(group)), default=1.0) < DOUBTED_NAME_WORD
        if parsed.instructors and not distrusted and ((small and (sure or not doubted)) or (not small and doubted)):
            unanimous = small and not sure
            agreed, ruled = self._agreed_instructors(page, body_lines, group, engine, small, unanimous=unanimous)
            if agreed is None:
                parsed.instructors = []
                parsed.confidence.pop("instructors", None)
            else:
                parsed.instructors = split_instructors(" ".join(agreed))
                if ruled:
                    parsed.confidence["instructors"] = RULED_NAMES_CONFIDENCE
                elif unanimous:
                    parsed.confidence["instructors"] = UNANIMOUS_NAMES_CONFIDENCE
        if small and not distrusted:
            self._confirm_small_text(page, body_lines, parsed, engine, language)
        raw_text = "\n".join(ln.text for ln in [*header_lines, *body_lines])
        has_header = any(re.search(r"certifica|sertifika", fold(ln.text)) for ln in header_lines)
        if certificate_id is None and not parsed.has_heading and not parsed.has_labels and not has_header:
            raise PermanentError(
                "not_a_certificate",
                f"{file_name} does not look like a Udemy certificate: no 'Certificate of Completion' heading, "
                "no UC- certificate number and no Date or Length labels were found",
            )

        fields = CertificateFields(
            certificate_id=f"UC-{certificate_id}" if certificate_id else None,
            title=parsed.title,
            instructors=parsed.instructors,
            student=parsed.student,
            completed_on=parsed.completed_on,
            length_hours=parsed.length_hours,
            length_text=parsed.length_text,
        )
        confidence = {name: 0.0 for name in CONFIDENCE_FIELDS}
        confidence.update(parsed.confidence)
        confidence["certificate_id"] = id_confidence if certificate_id else 0.0
        if language not in (None, "en") and not own_model:
            _distrust_text(confidence)
        fields = _drop_mixed_script(_drop_unsure_text(fields, confidence, source_width), confidence)
        if language not in (None, "en"):
            design = f"localised-{language}"
        else:
            design = title_style(page, body_lines, parsed.completed_on)
        return ReadResult(
            media_type=media_type,
            design=design,
            language=language,
            fields=fields,
            confidence={k: round(v, 3) for k, v in confidence.items()},
            raw_text=raw_text,
            engine=ENGINE_NAME,
            engine_version=self._engine.version,
        )

    def _small_captions(
        self,
        page: Image.Image,
        box: tuple[int, int, int, int],
        engine: TesseractEngine,
        caption_lines: list[Line],
        bands: list[tuple[int, int]],
        names: list[str],
        confidence: float,
    ) -> tuple[list[str], float]:
        """The old design's instructors on a small copy, and their confidence, from the captions
        read one by one (``smallprint``): the band's reading (``names``, read from
        ``caption_lines``) when it is sure and each caption read on its own enlarged
        ``CAPTION_SCALES[0]`` times gives its name, without a letter the engine scored below
        another; else the names each caption gives read at both ``CAPTION_SCALES``, when they
        agree without a near tie; else the names network's ruling (``_ruled_captions``); else
        none. Names with a word in lower case but for a particle are none (``_capitalised``)."""
        caption_bands = sorted({(ln.box[1], ln.box[3]) for ln in caption_lines})
        if not caption_bands:
            # No band read as captions: the first small band whose print, cut into captions, does.
            for join_gap in (None, 1):
                bands = text_bands(page, box, join_gap=join_gap)
                small = [b for b in bands if b[1] - b[0] < SMALL_PRINT]
                found = next((b for b in small if self._captions_in(page, box, b, bands, engine)), None)
                if found:
                    caption_bands = [found]
                    break
        crops = [crop for band in caption_bands for crop in self._caption_crops(page, box, band, bands)]
        if not crops:
            return [], 0.0
        read = [[self._read_enlarged(engine, crop, CAPTION_SCALES[0])] for crop in crops]
        first = [caption_names(lines[0]) for lines in read]
        doubted = any(c.near_tie >= CONFIRM_NEAR_TIE for cut in first for c in cut or ())
        if (
            confidence >= MIN_SMALL_TEXT_CONFIDENCE
            and _names_of(first) == names
            and not doubted
            and _capitalised(names)
        ):
            return names, confidence
        for crop, lines in zip(crops, read, strict=True):
            lines.append(self._read_enlarged(engine, crop, CAPTION_SCALES[1]))
        second = [caption_names(lines[1]) for lines in read]
        agreed = _names_of(first)
        tied = any(c.near_tie >= CAPTION_NEAR_TIE for cut in (*first, *second) for c in cut or ())
        if agreed is not None and agreed == _names_of(second) and not tied and _capitalised(agreed):
            return agreed, AGREED_CAPTION_CONFIDENCE
        ruled = self._ruled_captions(engine, crops, read)
        return (ruled, RULED_NAMES_CONFIDENCE) if ruled and _capitalised(ruled) else ([], 0.0)

    def _ruled_captions(
        self, engine: TesseractEngine, crops: list[Image.Image], read: list[list[list[Line]]]
    ) -> list[str] | None:
        """The names of captions whose readings disagree or doubt a letter, as the names network
        rules between them (``namelines``): each caption, already read at ``CAPTION_SCALES``
        (``read``, per crop), is read at ``RULING_CAPTION_SCALES`` too; each reading's name, and
        each with one letter the engine doubted swapped for its rival (``rival_variants``), is a
        candidate; the name is the one the network finds by far the likeliest print of the
        caption, where its own reading spells it.
        ``None`` where any caption gets no ruling (or a cut holds more than one caption)."""
        from functions.ocr.namelines import name_line_net

        def texts_of(name: str) -> list[str]:
            return [f"{name}, {word}" for word in PRINTED_CAPTION_WORDS]

        def value_of(text: str) -> str | None:
            cut = caption_names([Line(tuple(Word(w, 1.0) for w in text.split()), (0, 0, 0, 0))])
            return cut[0].name if cut and len(cut) == 1 else None

        names: list[str] = []
        for crop, readings in zip(crops, read, strict=True):
            candidates: list[str] = []
            more = [self._read_enlarged(engine, crop, scale) for scale in RULING_CAPTION_SCALES]
            for lines in (*readings, *more):
                words = [w for ln in lines for w in ln.words]
                for variant in rival_variants(words):
                    cut = caption_names([Line(tuple(variant), (0, 0, 0, 0))])
                    if cut is not None and len(cut) == 1:
                        candidates.append(cut[0].name)
            ruling = name_line_net().ruling(crop, candidates, texts_of, value_of) if candidates else None
            if ruling is None or ruling.text is None:
                return None
            names.append(ruling.text)
        return names

    def _captions_in(
        self,
        page: Image.Image,
        box: tuple[int, int, int, int],
        band: tuple[int, int],
        bands: list[tuple[int, int]],
        engine: TesseractEngine,
    ) -> bool:
        return any(
            caption_names(self._read_enlarged(engine, crop, CAPTION_SCALES[0]))
            for crop in self._caption_crops(page, box, band, bands)
        )

    @staticmethod
    def _caption_crops(
        page: Image.Image, box: tuple[int, int, int, int], band: tuple[int, int], bands: list[tuple[int, int]]
    ) -> list[Image.Image]:
        """Each caption of ``band`` cut out with a margin, left to right (the rows of the other
        bands blanked, as for a band's own reading)."""
        top, bottom = band
        pad = max(6, (bottom - top) // 5)
        index = bands.index(band)
        return [
            _band_crop(page, (x0 - CAPTION_MARGIN, max(0, top - pad), x1 + CAPTION_MARGIN, bottom + pad), bands, index)
            for x0, x1 in caption_segments(page, (box[0], top, box[2], bottom), INK_LEVEL)
        ]

    @staticmethod
    def _read_enlarged(engine: TesseractEngine, crop: Image.Image, scale: float) -> list[Line]:
        size = (round(crop.width * scale), round(crop.height * scale))
        enlarged = crop.resize(size, Image.Resampling.LANCZOS)
        return [
            bullet_or_plus(enlarged, line) for line in engine.lines(enlarged, tesserocr.PSM.SINGLE_LINE, choices=True)
        ]

    def _agreed_instructors(
        self,
        page: Image.Image,
        body_lines: list[Line],
        group: list[Line],
        engine: TesseractEngine,
        small: bool,
        unanimous: bool = False,
    ) -> tuple[list[str] | None, bool]:
        """The words of the instructors line (and its continuation lines, ``group``) as readings at other
        sizes agree on them, or ``None``: enlarged by each of ``INSTRUCTOR_REREAD_SCALES`` it
        gives the first reading's words; where one of them does not, it is read enlarged
        ``INSTRUCTOR_TIEBREAK_SCALE`` times too and each word is the one all readings but one give
        (``agreed_words``). A first reading whose names mix Latin and Cyrillic letters ("Илья Kum")
        is not read again (such names are left unread anyway: ``_drop_mixed_script``).

        On a ``small`` copy no reading may hold a letter the engine doubted
        (``smallprint.doubtful_letter``); with ``unanimous`` (the first reading was unsure) every
        size is read and each must give the first reading's words. On a larger page (read again
        because the engine doubted a word) all three are read, and a reading abstains on each
        word it doubts: one it gave less than ``DOUBTED_NAME_WORD``, or with such a letter.
        Tesseract's doubt is telling at full size: "Ereemenko," read at 0.4-0.54 by three
        readings of four, "Eremenko," surely by the fourth.

        A small copy's readings that do not settle the words, or settle them, go to the names
        network (``_ruled_instructors``); with the words, whether it ruled for them."""
        if not group:
            return None, False
        first_words = instructor_words(group)
        first = name_words(first_words)
        if mixed_script(first):
            return None, False
        readings = [first]
        sure = [_sure_words(first_words, first)]
        read = {1.0: first_words}
        for scale in (*INSTRUCTOR_REREAD_SCALES, INSTRUCTOR_TIEBREAK_SCALE):
            if (
                small
                and not unanimous
                and len(readings) > len(INSTRUCTOR_REREAD_SCALES)
                and all(r == first for r in readings)
            ):
                return self._ruled_instructors(page, body_lines, group, engine, read, first)
            words = read[scale] = self._instructors_at(page, body_lines, group, engine, scale)
            if small and doubtful_letter(words):
                return self._ruled_instructors(page, body_lines, group, engine, read, None)
            readings.append(name_words(words))
            if unanimous and readings[-1] != first:
                return self._ruled_instructors(page, body_lines, group, engine, read, None)
            sure.append(_sure_words(words, readings[-1]))
        agreed = agreed_words(readings, None if small else sure)
        if small:
            return self._ruled_instructors(page, body_lines, group, engine, read, agreed)
        return agreed, False

    def _ruled_instructors(
        self,
        page: Image.Image,
        body_lines: list[Line],
        group: list[Line],
        engine: TesseractEngine,
        read: dict[float, list[Word]],
        standing: list[str] | None,
    ) -> tuple[list[str] | None, bool]:
        """The words of a small copy's one-line instructors list whose readings disagree or doubt
        a letter, as the names network rules between them (``namelines``): the line is read at
        every reread size, each reading and each with one letter the engine doubted swapped for
        its rival is a candidate, and the names are the candidate the network finds by far the
        likeliest print of the line, where its own reading spells it; ``None`` without a ruling (or
        on a list that wraps to a second line).

        With ``standing`` (the words the readings ``read`` agreed on) nothing more is read: the
        agreed words are a candidate too, and stand unless the network rules for another. With
        the words, whether they are the network's ruling."""
        from functions.ocr.namelines import after_label, name_line_net

        if len(group) != 1:
            return standing, False
        for scale in (*INSTRUCTOR_REREAD_SCALES, INSTRUCTOR_TIEBREAK_SCALE):
            if scale not in read and standing is None:
                read[scale] = self._instructors_at(page, body_lines, group, engine, scale)
        candidates = [] if standing is None else [" ".join(standing)]
        for reading in read.values():
            candidates += [" ".join(name_words(variant)) for variant in rival_variants(reading)]
        line = group[0]
        top, bottom = line.box[1], line.box[3]
        pad = max(6, (bottom - top) // 4)
        bands = sorted({(ln.box[1], ln.box[3]) for ln in body_lines})
        box = (int(page.width * 0.04) - 20, max(0, top - pad), int(page.width * 0.97), min(page.height, bottom + pad))
        band = _band_crop(page, box, bands, bands.index((top, bottom)))
        start = after_label(band)
        if start is None:
            return standing, False
        ruling = name_line_net().ruling(band.crop((start, 0, band.width, band.height)), candidates)
        if ruling.text is None or (standing is not None and fold(ruling.text) == fold(" ".join(standing))):
            return standing, False  # accents the agreed readings print stand: 4 px marks are the engine's to read
        return ruling.text.split(), True

    def _cyrillic_names(
        self, page: Image.Image, body_lines: list[Line], group: list[Line], names: list[str]
    ) -> list[str]:
        """``names`` (read by the Russian and English model together from the instructors lines
        ``group``) with each name that mixes
        Latin and Cyrillic letters ("Илья Kum") read again by the Russian model alone, when that
        reading gives the same number of names and this one in Cyrillic only. A name still mixed
        is left so (and the list unread after)."""
        engine, found = self._engine_of(CYRILLIC_MODEL, "ru")
        if not found or not group:
            return names
        again = names_of(self._instructors_at(page, body_lines, group, engine, 1.0))
        if len(again) != len(names):
            return names
        return [
            other if mixed_script([name]) and _cyrillic_only(other) else name
            for name, other in zip(names, again, strict=True)
        ]

    def _confirm_small_text(
        self,
        page: Image.Image,
        body_lines: list[Line],
        parsed: BodyFields,
        engine: TesseractEngine,
        language: str | None,
    ) -> None:
        """On a small copy, the title and the student's name read with less confidence than
        ``MIN_SMALL_TEXT_CONFIDENCE`` (left unread otherwise: ``_drop_unsure_text``) are given at
        that confidence when their lines, read again at each of ``BIG_TEXT_REREAD_SCALES`` times
        their size, give the same text, with no letter the engine doubted. (On
        the small copies of three generated sets and the real ones shrunk, every title and name
        below that confidence was read right: "C# / .NET 8 Masterclass: ..." at 0.825, "Joy
        Tony-Idaka" at 0.74-0.81.)"""
        printed: dict[str, tuple[str | None, list[Line], Callable[[list[Line]], str | None]]] = {
            "title": (parsed.title, parsed.title_lines, lambda lines: title_of(lines, language)),
            "student": (
                parsed.student,
                [parsed.student_line] if parsed.student_line else [],
                lambda lines: student_of(lines[0]),
            ),
        }
        for name, (text, lines, compose) in printed.items():
            if text is None or not lines or parsed.confidence.get(name, 0.0) >= MIN_SMALL_TEXT_CONFIDENCE:
                continue
            for scale in BIG_TEXT_REREAD_SCALES:
                again = self._lines_at(page, body_lines, lines, engine, scale)
                if doubtful_letter([w for ln in again for w in ln.words]) or compose(again) != text:
                    break
            else:
                parsed.confidence[name] = MIN_SMALL_TEXT_CONFIDENCE

    @staticmethod
    def _instructors_at(
        page: Image.Image, body_lines: list[Line], group: list[Line], engine: TesseractEngine, scale: float
    ) -> list[Word]:
        """The names' words of the instructors lines ``group`` read again enlarged ``scale`` times."""
        return instructor_words(CertificateReader._lines_at(page, body_lines, group, engine, scale))

    @staticmethod
    def _lines_at(
        page: Image.Image, body_lines: list[Line], lines: list[Line], engine: TesseractEngine, scale: float
    ) -> list[Line]:
        """Each of ``lines`` (of ``body_lines``) read again at ``scale`` times its size, as one line."""
        width, height = page.size
        left, right = int(width * 0.04), int(width * 0.97)
        bands = sorted({(ln.box[1], ln.box[3]) for ln in body_lines})
        again: list[Line] = []
        for line in lines:
            top, bottom = line.box[1], line.box[3]
            pad = max(6, (bottom - top) // 4)
            box = (left - 20, max(0, top - pad), right, min(height, bottom + pad))
            crop = _band_crop(page, box, bands, bands.index((top, bottom)))
            read = CertificateReader._read_enlarged(engine, crop, scale)
            again.append(Line(tuple(w for ln in read for w in ln.words), line.box))
        return again

    def _read_old(self, page: Image.Image, media_type: str, file_name: str, source_width: int) -> ReadResult:
        """The old ornate design: one centred sentence, signature captions and a tiny id."""
        width, height = page.size
        sentence_box = (int(width * 0.1), int(height * 0.3), int(width * 0.9), int(height * 0.57))
        sentence_bands = text_bands(page, sentence_box)

        def read_bands(
            box: tuple[int, int, int, int], bands: list[tuple[int, int]], eng: TesseractEngine, scale: float = 1.0
        ) -> list[Line]:
            out: list[Line] = []
            for index, (top, bottom) in enumerate(bands):
                pad = max(6, (bottom - top) // 5)
                crop = _band_crop(page, (box[0], max(0, top - pad), box[2], min(height, bottom + pad)), bands, index)
                factor = scale * 2 if bottom - top < SMALL_PRINT else scale
                if factor != 1.0:
                    size = (round(crop.width * factor), round(crop.height * factor))
                    crop = crop.resize(size, Image.Resampling.LANCZOS)
                for line in eng.lines(crop, tesserocr.PSM.SINGLE_LINE):
                    line = raised_trade_mark(crop, line)
                    out.append(Line(line.words, (box[0], top, box[2], bottom), line.x_height))
            return out

        sentence_lines = read_bands(sentence_box, sentence_bands, self._engine)
        sentence_engine = self._engine
        sentence = parse_old_sentence(lines_text(sentence_lines).replace("\n", " "))
        language = sentence.language
        own_model = True
        english_sentence = False  # a localised sentence kept as the English model read it
        if language not in (None, "en"):
            engine, own_model = self._engine_for(language)
            if engine is not self._engine:
                relines = read_bands(sentence_box, sentence_bands, engine)
                reparsed = parse_old_sentence(lines_text(relines).replace("\n", " "))
                if reparsed.student or not sentence.student:
                    sentence_lines, sentence = relines, _numbers_agreed(reparsed, sentence)
                    sentence_engine = engine
                else:
                    # The English model's reading, kept: accented letters may be lost in it.
                    english_sentence = True

        if source_width < SMALL_SOURCE_WIDTH:
            again = read_bands(sentence_box, sentence_bands, sentence_engine, OLD_SENTENCE_REREAD_SCALE)
            sentence = _text_agreed(sentence, parse_old_sentence(lines_text(again).replace("\n", " ")))

        caption_box = (int(width * 0.1), int(height * 0.58), int(width * 0.9), int(height * 0.72))
        caption_engine = self._engine_for(language)[0] if language not in (None, "en") else self._engine
        caption_lines: list[Line] = []
        # A caption sits a few pixels under its signature; where a re-save closes that gap the
        # two are one band and no caption is read: the bands are then cut at every gap of two
        # empty rows or more.
        for join_gap in (None, 1):
            bands = text_bands(page, caption_box, join_gap=join_gap)
            read = read_bands(caption_box, bands, caption_engine)
            caption_lines = [ln for ln in read if caption_instructors(ln.text)]
            if caption_lines:
                break
        instructors = [name for ln in caption_lines for name in caption_instructors(ln.text)]
        caption_confidence = mean_confidence([w for ln in caption_lines for w in ln.words]) if instructors else 0.0
        if source_width < SMALL_SOURCE_WIDTH:
            instructors, caption_confidence = self._small_captions(
                page, caption_box, caption_engine, caption_lines, bands, instructors, caption_confidence
            )

        # Bottom left, left of the seal's ribbon; enlarged 3x (the text is about 9 px high).
        id_box = (int(width * 0.06), int(height * 0.74), int(width * 0.45), int(height * 0.9))
        id_crop = page.crop(id_box)
        id_crop = id_crop.resize((id_crop.width * 3, id_crop.height * 3), Image.Resampling.LANCZOS)
        # With every character's alternatives: a near tie between look-alikes (0/O, 1/I) leaves the id unread.
        id_lines = self._engine.lines(id_crop, tesserocr.PSM.SINGLE_BLOCK, choices=True)
        id_lines += self._engine.lines(id_crop, tesserocr.PSM.SINGLE_BLOCK, whitelist=OLD_ID_ALPHABET, choices=True)
        # The engine's character boxes are loose: 0/O and 1/I are told apart on boxes measured here.
        read_lines = id_lines
        id_lines = [open_s(id_crop, j_or_u(id_crop, with_glyph_boxes(id_crop, line))) for line in id_lines]
        uuid, id_confidence = pick_certificate_id(id_lines)
        if uuid and (source_width < SMALL_SOURCE_WIDTH or _shapes_contradict(uuid, id_crop, read_lines)):
            # Under 1000 px the full number (2020-2021) is about 5 px high: on four generated sets
            # its readings never gave it right, and once agreed on four wrong digits.
            uuid, id_confidence = None, 0.0
        certificate_id = f"UC-{uuid}" if uuid else None
        # A full number (even one the glyphs contradicted) holds no short one: its first eight
        # characters are not an id.
        if certificate_id is None and not any(FULL_NUMBER.search(line.text) for line in id_lines):
            short, id_confidence = pick_short_id([settle_short_id_look_alikes(id_crop, line) for line in id_lines])
            certificate_id = f"UC-{short}" if short else None
        least = MIN_SMALL_ID_CONFIDENCE if source_width < SMALL_SOURCE_WIDTH else MIN_ID_CONFIDENCE
        if id_confidence < least:  # the tiny print of a small copy: only a clear vote is given
            certificate_id, id_confidence = None, 0.0

        if certificate_id is None and sentence.student is None and not instructors:
            raise PermanentError(
                "not_a_certificate",
                f"{file_name} does not look like a Udemy certificate: it has a decorated border like the old design "
                "but no 'This is to certify that' sentence, no instructor captions and no UC- certificate number",
            )
        sentence_confidence = mean_confidence([w for ln in sentence_lines for w in ln.words])
        confidence = {name: 0.0 for name in CONFIDENCE_FIELDS}
        for name in ("student", "title", "completed_on", "length_hours"):
            if getattr(sentence, name) is not None:
                confidence[name] = sentence_confidence
        if instructors:
            confidence["instructors"] = caption_confidence
        confidence["certificate_id"] = id_confidence if certificate_id else 0.0
        if language not in (None, "en") and not own_model:
            _distrust_text(confidence)
        elif english_sentence:
            _distrust_text(confidence, ("title", "student"))  # the captions were read by the own model
        fields = CertificateFields(
            certificate_id=certificate_id,
            title=sentence.title,
            instructors=instructors,
            student=sentence.student,
            completed_on=sentence.completed_on,
            length_hours=sentence.length_hours,
            length_text=sentence.length_text,
        )
        fields = _drop_mixed_script(_drop_unsure_text(fields, confidence, source_width), confidence)
        raw_text = "\n".join(ln.text for ln in [*sentence_lines, *caption_lines, *id_lines])
        return ReadResult(
            media_type=media_type,
            design="old",
            language=language,
            fields=fields,
            confidence={k: round(v, 3) for k, v in confidence.items()},
            raw_text=raw_text,
            engine=ENGINE_NAME,
            engine_version=self._engine.version,
        )

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()

    def __enter__(self) -> CertificateReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _shapes_contradict(uuid: str, image: Image.Image, lines: list[Line]) -> bool:
    """Whether the glyphs of a full number on the old design (2020 on), read on both its lines,
    contradict an f or 1 (which way its top leans) or a c or e (whether its right side is open)
    of ``uuid``: in that print both lines agree on such a misread now and then."""
    checks: list[IdCheck] = [
        (with_glyph_boxes(image, ln, r"\S"), image, int(is_url_line(ln.text)))
        for ln in lines
        if UC_MARK.search(ln.text)
    ]
    return f_and_1_contradict(uuid, checks) or c_and_e_contradict(uuid, checks)


# The id-line network (``functions/ocr/idline.py``) against Tesseract's vote. Set on generated
# evaluation sets (seeds 7 and 11) and the real certificates' handlings; see benchmarks/README.md.
NET_SURE = 0.995  # the network's least sure digit at least this: its reading stands on its own
# ...or at least this, where every Tesseract reading prints each of its less sure digits as it does.
# Replayed on the small copies of seeds 7, 11 and 23 and 168 real ones shrunk to 600-960 px: 2 and
# 4 more right numbers, none wrong (from 0.8 down, a real 1 taken for an f).
NET_PRINTED_AT_LEAST = 0.95
NET_RULES_OUT = 0.001  # a digit the network gives less than this is ruled out
# A file's named number is taken when the network gives all its digits but ``NET_NAMED_MISSES`` at
# least ``NET_NAMED``. On 229 small current-design copies (600x448 and 600-1000 px) the true number
# had at most 2 digits under it; against the same readings, 45,800 random numbers had at most 12 of
# their 32 digits at it or over: another certificate's number in a name is far from passing.
NET_NAMED = 0.05
NET_NAMED_MISSES = 2
NET_CONFIDENCE_CAP = 0.85


def settle_id(
    voted: str | None,
    confidence: float,
    reading: IdLineReading | None,
    file_name: str,
    header: list[Line],
    checks: list[IdCheck],
    small: bool = False,
    full_size: bool = False,
) -> tuple[str | None, float]:
    """Tesseract's vote on the number (``voted``) weighed against the id-line network's reading.

    * The vote stands where the network does not rule out any of its digits.
    * A vote the network rules out while sure of its own reading is a conflict: no number (a
      wrong number is worse than none). On a ``full_size`` copy (1300 px wide or more, where the
      network has not been seen wrong) the readings are split when some of them print the
      network's digit at every place it differs from the vote: the network's number is given,
      unless a measured glyph shape says otherwise (three readings of "0f" as "df", the fourth
      and the network reading "0f").
    * Without a vote, the network's reading is given when it is sure of every digit (or nearly,
      ``NET_PRINTED_AT_LEAST``, and every reading prints its less sure ones so) and Tesseract
      does not read one of its 6s as a 5 on every line that prints it. On a copy 1000 px wide or
      more no glyph shape measured on the page may say otherwise. On a ``small`` copy (narrower
      than 1000 px) a glyph is a few pixels wide and its shape is no veto (on 317 such copies,
      149 generated and 168 real ones shrunk, the shapes spoke against 11 right numbers and no
      wrong one); there none of its f or 1 may be in doubt instead (``f_or_1_read_otherwise``: a
      1 every reading prints as an f, an f before a 7 some reading prints as a 1) unless its
      measured shape backs the network. (The network, trained on synthetic lines only, takes a
      real certificate's small 1 before a 7 for an f, and its 5 for a 6, now and then, sure of
      it; Tesseract reads those 1s and 5s right.)
    * Otherwise the number the file is named after (as Udemy names downloads), when the network
      finds all its digits but two at most plausible (a blurred copy leaves the network sure of a
      wrong digit now and then); a number read from another certificate's name fails on most of
      its 32 digits.
    """
    if reading is None:
        return voted, confidence
    if voted is not None:
        if voted == reading.uuid or reading.support(voted).min() >= NET_RULES_OUT:
            return voted, confidence
        if reading.confidence >= NET_SURE:
            if (
                full_size
                and len(voted) == len(reading.uuid)
                and backed(reading.uuid, voted, header)
                and not _shapes_say_otherwise(reading.uuid, checks)
            ):
                log.info("the id-line network reads %s, as a reading does, where the vote was %s", reading.uuid, voted)
                return reading.uuid, round(min(NET_CONFIDENCE_CAP, reading.confidence), 3)
            log.info("the id-line network reads %s where Tesseract read %s: no number", reading.uuid, voted)
            return None, 0.0
        return voted, confidence
    uuid = reading.uuid
    sure = reading.confidence >= NET_SURE or (
        reading.confidence >= NET_PRINTED_AT_LEAST and printed_alike(uuid, header, reading.places_below(NET_SURE))
    )
    if (
        sure
        and (small or not _shapes_say_otherwise(uuid, checks))
        and not read_otherwise(uuid, header, "6", "5")
        and not (small and f_or_1_read_otherwise(uuid, header, checks))
    ):
        return uuid, round(min(NET_CONFIDENCE_CAP, reading.confidence), 3)
    named = id_in_file_name(file_name)
    if named is not None and int((reading.support(named) < NET_NAMED).sum()) <= NET_NAMED_MISSES:
        return named, NAMED_ID_CONFIDENCE
    return None, 0.0


def _shapes_say_otherwise(uuid: str, checks: list[IdCheck]) -> bool:
    """Whether the glyphs Tesseract boxed on the page contradict an f or 1 (which way its top
    leans) or a c or e (whether its right side is open) of ``uuid``: the network, like the
    engine, takes a small 1 for an f now and then."""
    return f_and_1_contradict(uuid, checks) or c_and_e_contradict(uuid, checks)


def _named_id(voted: str | None, confidence: float, file_name: str, header: list[Line]) -> tuple[str | None, float]:
    """The certificate number, helped by the file's name: Udemy names a downloaded certificate
    after its number, and many people keep that name. The name's number is taken only when the
    header's readings match it (``NAMED_ID_MIN_SUPPORT``), so a file named after another
    certificate, or after nothing, changes nothing; where they match, it settles the characters
    a small copy blurs and the rare misread a full-size reading agrees on. Its confidence is not
    capped like a small copy's own reading: the name, not the blurred print, carries it. (The old
    design's short numbers are not taken from names: eight characters are too few to match.)"""
    named = id_in_file_name(file_name)
    if named is None:
        return voted, confidence
    if named == voted:
        return voted, max(confidence, NAMED_ID_CONFIDENCE)
    support = id_support(named, header)
    # A confident reading of another number gives way only to a name it misses by a glyph or two.
    least = NAMED_ID_OVER_VOTE if voted is not None and confidence >= NAMED_ID_CONFIDENCE else NAMED_ID_MIN_SUPPORT
    if support < least:
        if voted is not None:
            log.info("%s is named after %s, but its header reads %s: the header wins", file_name, named, voted)
        return voted, confidence
    log.info("%s: certificate number from the file name, matched by the header (%.2f)", file_name, support)
    return named, NAMED_ID_CONFIDENCE


def _id_left(read: list[tuple[HeaderCrop, list[Line]]]) -> float | None:
    """Where the id (``UC-...``) starts on the header's number line, in header pixels: the left
    edge of the word after ``Certificate no:``, which holds the id. ``read``: each header crop with
    the lines read from it."""
    for crop, lines in read:
        for line in lines:
            for i, word in enumerate(line.words):
                if re.match(r"U\s*[CcGO0]", word.text) and i >= 2 and word.box:
                    return crop.left + word.box[0] / crop.scale
    return None


def _without_paper_after(crop: Image.Image, margin: int) -> Image.Image:
    """``crop`` cut ``margin`` px after its last column with ink (itself when that is all of it)."""
    ink = _ink_span(crop)
    end = ink[1] + 1 + margin if ink is not None else crop.width
    return crop.crop((0, 0, end, crop.height)) if end < crop.width else crop


def _ink_span(image: Image.Image) -> tuple[int, int] | None:
    """The first and last columns of ``image`` holding ink (grey under 150), or ``None``."""
    columns = image.point(lambda v: 255 if v < 150 else 0).resize((image.width, 1), Image.Resampling.BOX)
    ink = [x for x, value in enumerate(columns.tobytes()) if value]
    return (ink[0], ink[-1]) if ink else None


def _number_line_settles(lines: list[Line]) -> bool:
    """Whether the "Certificate no" line's reading (``lines``) gives the number on its own: one
    line, not the url line, no character doubted, a valid number, no other hex digit printed or
    scored nearly as high anywhere in it. Of 564 full-size pages (492 generated, 72 real ones as
    downloaded and kept as people keep them) 496 read so, every one of them right: the url line,
    read to agree with it, is then not read (about 30 ms of a page's 180)."""
    if len(lines) != 1 or "?" in lines[0].text or is_url_line(lines[0].text):
        return False
    uuid, _ = pick_certificate_id(lines)
    return uuid is not None and not disputed(uuid, lines) and not rival_digit(uuid, lines)


def _ids_agree(header: list[Line]) -> bool:
    """Whether the "Certificate no" and "Certificate url" lines each read, on their own, as the
    same valid certificate number (then a second, restricted reading would add nothing)."""
    ids = [pick_certificate_id([line])[0] for line in header if not is_reference_line(line.text)]
    sure = all("?" not in line.text for line in header)
    return sure and len(ids) == 2 and ids[0] is not None and ids[0] == ids[1]


def reread_values(page: Image.Image, lines: list[Line], engine: TesseractEngine) -> list[Line]:
    """``lines`` with each date or length line whose value did not parse read again, enlarged by
    each of ``REREAD_SCALES`` (a misread glyph rarely survives a change of size): taken when at
    least two sizes read a value and every size that reads one reads the same, so that a second
    misread is never taken for it; ``lines`` itself when no line was taken."""
    out = list(lines)
    for i, line in enumerate(lines):
        if line.height >= TITLE_LINE_HEIGHT or not value_misread(line):
            continue
        left, top, right, bottom = line.box
        crop = page.crop((max(0, left - 20), max(0, top - REREAD_PAD), right, min(page.height, bottom + REREAD_PAD)))
        again: list[Line] = []
        for scale in REREAD_SCALES:
            size = (round(crop.width * scale), round(crop.height * scale))
            read = engine.lines(crop.resize(size, Image.Resampling.LANCZOS), tesserocr.PSM.SINGLE_LINE)
            if len(read) == 1:
                again.append(Line(read[0].words, line.box, read[0].x_height))
        parsed = [(reading, labelled_value(reading)) for reading in again]
        parsed = [(reading, value) for reading, value in parsed if value is not None and value[1] is not None]
        if len(parsed) >= 2 and len({value for _, value in parsed}) == 1:
            out[i] = parsed[0][0]
    return out if out != lines else lines


def _read_body_line(
    engine: TesseractEngine, crop: Image.Image, large: bool, space: float | None = None
) -> tuple[list[Line], float | None]:
    """One body line read by ``engine``, and the narrowest space the engine found on it (px of
    ``crop``). In ``large`` print (title, student) a space the engine missed ("Qt6") is put back
    from the paper between the glyphs, measured against the line's own spaces or, on a line of one
    word, against ``space`` (px of ``crop``: the title line above's), and an M read as "™" is put
    back where it stands on the line. In small print (the instructors) a bullet read as another
    mark is put back by its glyph's shape."""
    read = engine.lines(crop, tesserocr.PSM.SINGLE_LINE, char_boxes=large)
    if not large:
        return [bullet_or_plus(crop, line) for line in read], None

    def again(image: Image.Image) -> list[Line]:
        return engine.lines(image, tesserocr.PSM.SINGLE_LINE, char_boxes=True)

    own = narrowest_space(crop, read[0]) if len(read) == 1 else None
    return [raised_trade_mark(crop, part_missed_spaces(crop, line, space, again)) for line in read], own


def _same_title(above: tuple[int, int], band: tuple[int, int]) -> bool:
    """Whether ``band`` (top, bottom in page px) is a line of the same title, in the same font and
    size, as the large band ``above`` it: no small line between them, and close (``TITLE_LINE_GAP``)."""
    highest = max(above[1] - above[0], band[1] - band[0])
    return above[1] - above[0] > BODY_LINE_HEIGHT and band[0] - above[1] < TITLE_LINE_GAP * highest


def _better_reading(own: list[Line], english: list[Line]) -> list[Line]:
    own_text, english_text = lines_text(own), lines_text(english)
    if fold(own_text) == fold(english_text):
        return own
    if len(own) == len(english) == 1:
        # Word by word, words paired by their place on the line: accents from the language's
        # model, other differences to the surer reading; a programming word the English model
        # reads with its # or + ("C#", "C++") is English. Words split differently stay as read.
        words = tuple(_better_word(word, _same_place(word, english[0].words, own[0].words)) for word in own[0].words)
        return [Line(words, own[0].box, own[0].x_height)]
    own_conf = mean_confidence([w for ln in own for w in ln.words])
    english_conf = mean_confidence([w for ln in english for w in ln.words])
    return english if english_conf > own_conf else own


def _same_place(word: Word, others: tuple[Word, ...], neighbours: tuple[Word, ...]) -> Word | None:
    """The word of ``others`` over the same stretch of the line as ``word``, when each overlaps
    only the other (``neighbours``: the words of ``word``'s own reading) and their widths agree."""
    overlapping = [other for other in others if _overlap(word, other)]
    if len(overlapping) != 1 or sum(_overlap(w, overlapping[0]) for w in neighbours) != 1:
        return None
    other = overlapping[0]
    assert word.box is not None and other.box is not None
    if CODE_WORD.fullmatch(other.text):  # "C#", "C++": the English model's reading of its place
        return other
    width, other_width = word.box[2] - word.box[0], other.box[2] - other.box[0]
    # The recogniser's word boxes can be loose: "4de" (two words run together) over the box of "4".
    short, long = sorted((word.text, other.text), key=len)
    if len(long) > len(short) + 1 and long.startswith(short):
        return None
    return other if abs(width - other_width) <= 0.25 * max(width, other_width) else None


def _overlap(a: Word, b: Word) -> bool:
    return a.box is not None and b.box is not None and min(a.box[2], b.box[2]) > max(a.box[0], b.box[0])


# A programming language named with its symbol, as the English model reads it: C#, F#, C++.
CODE_WORD = re.compile(r"[A-Z]{1,2}(?:#|\+\+)[:,]?")


def _better_word(own: Word, english: Word | None) -> Word:
    if english is None:
        return own
    if CODE_WORD.fullmatch(english.text) and not CODE_WORD.fullmatch(own.text):
        return english
    return own if fold(own.text) == fold(english.text) or own.confidence >= english.confidence else english


# On a small copy (narrower than ``SMALL_SOURCE_WIDTH``) a name or title read with less confidence
# than this is more often wrong than right: it is left unread.
MIN_SMALL_TEXT_CONFIDENCE = 0.85
# On a page 1000 px wide or more, an instructors line one of whose words the engine gave less than
# this is read again, as a small copy's is ("Ereemenko," 0.34 and 0.51 for "Eremenko,").
DOUBTED_NAME_WORD = 0.6
# The old design's captions on a small copy (``smallprint``): each is read on its own enlarged by
# the first of these, to confirm the band's reading (itself read at 2x): the same names, without a
# letter the engine scored below another (``CONFIRM_NEAR_TIE``); where that leaves them unread, also
# by the second, and the two readings must agree on names none of whose letters a rival scored
# ``CAPTION_NEAR_TIE`` of the letter's own confidence or more. Measured, instructor lists right /
# null / wrong: on 288 generated old copies 600-900 px wide (three sets at 600x448, two of 720-900
# px screenshots) 77 / 193 / 18 before, 79 / 201 / 8 after; on the four real ones shrunk to 600,
# 700, 800 and 900 px 8 / 7 / 1 before, 8 / 8 / 0 after (the confirmation's own check took out
# "Kini Eremenko" at 800 px, and 4 right lists of the 288).
CAPTION_SCALES = (2.0, 1.5)
CAPTION_MARGIN = 12  # px kept each side of a caption's ink
CAPTION_NEAR_TIE = 0.7
CONFIRM_NEAR_TIE = 1.0  # the band's reading is not confirmed by a letter the engine scored below another
AGREED_CAPTION_CONFIDENCE = 0.9  # names two readings agree on: 9 of 9 right on 225 copies
# Where a small copy's readings of its names disagree, the names network rules between them
# (``functions/ocr/namelines.py``); the captions are read at these sizes too, for more candidates.
RULING_CAPTION_SCALES = (2.5, 3.0)
PRINTED_CAPTION_WORDS = ("Instructor", "Instrutor", "Instruktur", "Eğitmen")
RULED_NAMES_CONFIDENCE = 0.85


# A name is printed capitalised but for its particles ("Hadelin de Ponteves", "Codestars by Rob"): a
# word of a small copy's caption read in lower case is a capital misread ("lan" for "Ian", "imtiaz").
NAME_PARTICLE = re.compile(
    r"al|and|bin|by|da|das|de|del|della|den|der|di|do|dos|du|e|la|le|of|ten|ter|the|van|von|y|zu"
)


def _capitalised(names: list[str]) -> bool:
    """Whether every word of ``names`` begins as a name's words do: not in lower case, but for a
    particle (``NAME_PARTICLE``)."""
    return all(not word[:1].islower() or NAME_PARTICLE.fullmatch(word) for name in names for word in name.split())


def _names_of(cuts: list[list[CaptionName] | None]) -> list[str] | None:
    """The names the cuts of a caption band gave, left to right; ``None`` if a cut gave none."""
    if any(cut is None for cut in cuts):
        return None
    return [c.name for cut in cuts for c in cut or ()]


# The sizes a small copy's instructors line is read again at (``smallprint``): its names are given
# when both readings agree with the first word for word; where one does not, a reading at the
# third size settles it (each word read alike by three of the four readings). Measured, lists right
# / null / wrong, on 290 generated current-design copies 600-900 px wide (sets of 96, 96 and 98):
# 264 / 8 / 18 with the first reading alone, 251 / 33 / 6 with the rereads; seeds 7 and 11 lose
# their 6 wrong lists and no right one; 40 real ones shrunk to 600-900 px 39 / 0 / 1 -> 38 / 2 / 0.
# Without the third size the real dev_07 at 895 px ("Ereemenko" at 1.5x only) lost its five names.
INSTRUCTOR_REREAD_SCALES = (1.5, 2.0)
# The title and the student's name are printed large: read again a little smaller and larger.
BIG_TEXT_REREAD_SCALES = (0.8, 1.25)
INSTRUCTOR_TIEBREAK_SCALE = 2.5
# A small copy's names read with less confidence than ``MIN_SMALL_TEXT_CONFIDENCE`` but no word of
# them under ``DOUBTED_NAME_WORD`` are given, at this confidence, when the readings at all three
# other sizes print them word for word, none with a letter the engine doubted (as a title or a
# student's name is confirmed: ``_confirm_small_text``). On seeds 7, 11 and 23 this gave one list
# right ("Kirill Eremenko" read at 0.84, at 0.86-0.93 again) and none wrong; letting a word the
# engine doubted through as well gave one more list wrong ("Bulldwith", 0.3 at first, 0.85-0.91
# at the other sizes) and no more right.
UNANIMOUS_NAMES_CONFIDENCE = 0.85


# A small copy's old-design sentence is read again enlarged this much: its title and student are
# given only where both readings print them alike. On the four real old certificates shrunk to
# 600-960 px (28 copies) this left 2 of 3 wrong titles ("Your Firs Blockchain", 0.94 sure)
# unread and lost nothing right; on seeds 7, 11 and 23 it left one right title unread.
OLD_SENTENCE_REREAD_SCALE = 1.25


def _text_agreed(sentence: OldSentence, other: OldSentence) -> OldSentence:
    """``sentence`` without the title or the student's name where ``other`` (the same sentence
    read at another size) prints it otherwise."""
    if sentence.title != other.title:
        sentence = replace(sentence, title=None)
    if sentence.student != other.student:
        sentence = replace(sentence, student=None)
    return sentence


def _numbers_agreed(sentence: OldSentence, other: OldSentence) -> OldSentence:
    """``sentence`` without the date or the hours where ``other`` (the same sentence read with
    another model) reads a different one: the bold italic print takes a 4 for a 1 now and then
    ("19 horas" read surely by the Portuguese model where the English one read "49"), and which
    reading is right cannot be told."""
    if sentence.completed_on and other.completed_on and sentence.completed_on != other.completed_on:
        sentence = replace(sentence, completed_on=None)
    if sentence.length_hours and other.length_hours and sentence.length_hours != other.length_hours:
        sentence = replace(sentence, length_hours=None, length_text=None)
    return sentence


def _drop_unsure_text(fields: CertificateFields, confidence: dict[str, float], source_width: int) -> CertificateFields:
    if source_width >= SMALL_SOURCE_WIDTH:
        return fields
    unsure = [
        name for name in ("title", "student", "instructors") if confidence.get(name, 0.0) < MIN_SMALL_TEXT_CONFIDENCE
    ]
    for name in unsure:
        confidence[name] = 0.0
    changes: dict[str, object] = {name: [] if name == "instructors" else None for name in unsure}
    return fields.model_copy(update=changes)


def _sure_words(words: list[Word], names: list[str]) -> list[bool]:
    """For each of ``names`` (``name_words(words)``), whether the engine was sure of the word it
    comes from: read at ``DOUBTED_NAME_WORD`` or more, without a letter it doubted. A mark without
    letters or digits ("•" between a name and its decoration, which the repair sets) and, where the
    repair joined or parted words, every word counts as sure."""
    flags = [flag for word in words for flag in [_sure_word(word)] * len(name_words([word]))]
    return flags if len(flags) == len(names) else [True] * len(names)


def _sure_word(word: Word) -> bool:
    if not any(char.isalnum() for char in word.text):
        return True
    return word.confidence >= DOUBTED_NAME_WORD and not doubtful_letter([word])


def _cyrillic_only(text: str) -> bool:
    """Whether every letter of ``text`` is Cyrillic."""
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(unicodedata.name(char, "").startswith("CYRILLIC") for char in letters)


# Latin letters that look like one-letter Russian words (с, о, у, а, к, в) or their capitals.
CYRILLIC_LOOK_ALIKES = frozenset("AaBCcEeHKkMOoPpTXxYy")


def _latin_letter_among_cyrillic(text: str) -> bool:
    """Whether ``text`` holds a one-letter word in a Latin letter that looks like a Cyrillic one
    between two Cyrillic words ("данных C нуля" for "данных с нуля")."""
    words = text.split()
    return any(
        word in CYRILLIC_LOOK_ALIKES and _cyrillic_only(words[i - 1]) and _cyrillic_only(words[i + 1])
        for i, word in enumerate(words[1:-1], start=1)
    )


def _drop_mixed_script(fields: CertificateFields, confidence: dict[str, float]) -> CertificateFields:
    """Names that mix Latin and Cyrillic letters are left unread, at every size: the engine read
    part of a Russian name with Latin look-alikes ("Илья Kum" for "Илья Ким"). A title may mix
    them ("SQL и базы данных"), but not with a lone Latin look-alike letter between Russian words
    (a "с" read as "C"; what case it had is not known either)."""
    changes: dict[str, object] = {}
    if fields.title and _latin_letter_among_cyrillic(fields.title):
        changes["title"] = None
    if fields.instructors and mixed_script([", ".join(fields.instructors)]):
        changes["instructors"] = []
    if fields.student and mixed_script([fields.student]):
        changes["student"] = None
    for name in changes:
        confidence[name] = 0.0
    return fields.model_copy(update=changes) if changes else fields


def _drop_text(parsed: BodyFields) -> None:
    """``parsed`` without its title, instructors and student (and their confidences)."""
    parsed.title, parsed.instructors, parsed.student = None, [], None
    for name in ("title", "instructors", "student"):
        parsed.confidence.pop(name, None)


def _distrust_text(confidence: dict[str, float], names: tuple[str, ...] = ("title", "instructors", "student")) -> None:
    """Read without the language's own model: accented letters may be lost in these text fields."""
    for name in names:
        confidence[name] = min(confidence.get(name, 0.0), 0.3)


# The title's serifs: ink runs just above the baseline (a serif's foot) against runs at half the
# x-height (the stems). Real sans titles measure 0.85-1.0, real serif titles 1.6-1.9.
SANS_AT_MOST = 1.05
SERIF_AT_LEAST = 1.35
TITLE_LINE_HEIGHT = 45  # px at the 1600 px page width: title lines are taller, labels shorter


def serif_ratio(page: Image.Image, box: tuple[int, int, int, int]) -> float | None:
    """Mean ink run length on the rows at the baseline over the mean at half the x-height, for
    the text line in ``box``: serifs widen the letters' feet, sans letters stand on their stems."""
    crop = page.crop(box).point(lambda v: 255 if v < 140 else 0)
    profile = crop.resize((1, crop.height), Image.Resampling.BOX).tobytes()
    peak = max(profile, default=0)
    dense = [y for y, value in enumerate(profile) if value > peak / 2]
    if not dense or dense[-1] - dense[0] < 8:
        return None
    x_top, baseline = dense[0], dense[-1]
    middle = (x_top + baseline) // 2

    def mean_run(y: int) -> float:
        row = crop.crop((0, y, crop.width, y + 1)).tobytes()
        runs = [len(run) for run in bytes(row).split(b"\x00") if run]
        return sum(runs) / len(runs) if runs else 0.0

    stems = sum(mean_run(y) for y in (middle - 2, middle, middle + 2)) / 3
    feet = max(mean_run(baseline - 1), mean_run(baseline))
    return feet / stems if stems else None


def title_style(page: Image.Image, body_lines: list[Line], completed_on: date | None) -> str:
    """``current-serif`` or ``current-sans``, from the printed title's first line; when its
    letters leave doubt (a blurred small copy), from the date (serif titles until spring 2024)."""
    title = next((ln for ln in sorted(body_lines, key=lambda ln: ln.box[1]) if ln.height >= TITLE_LINE_HEIGHT), None)
    ratio = serif_ratio(page, title.box) if title else None
    if ratio is not None and ratio <= SANS_AT_MOST:
        return "current-sans"
    if ratio is not None and ratio >= SERIF_AT_LEAST:
        return "current-serif"
    if completed_on is None:
        return "current"
    return "current-serif" if completed_on < SERIF_UNTIL else "current-sans"


def lines_text(lines: list[Line]) -> str:
    return "\n".join(ln.text for ln in lines)
