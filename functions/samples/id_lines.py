"""Synthetic certificate-number lines for training the id-line network (``functions/ocr/idline.py``).

Each sample is the id part of a current-design header's number and url lines, drawn as the
header draws them (grey type right-aligned at the page's 1600 px scale, ``Certificate no:`` /
``Certificate url: ude.my/`` before the id in one of the design's languages), then kept as
people keep certificates: shrunk to 580-1400 px wide by one of several filters, JPEG-compressed
or not, and enlarged back to 1600 px as the reader does, then cut by ``idline.cut_id_lines``
exactly as the reader cuts a real header. The fonts are many free sans faces in several
weights, letter spacings and widths; the three faces the evaluation set's generator draws its
header in (Liberation Sans, DejaVu Sans, Noto Sans) are left out, so that the evaluation set
measures the network on type it has never seen, as real certificates are.
"""

from __future__ import annotations

import io
import random
import uuid
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from functions.ocr.idline import cut_id_lines

FONT_ROOT = Path("/usr/share/fonts")
# Debian packages: fonts-inter fonts-roboto-unhinted fonts-open-sans fonts-lato fonts-cantarell
# fonts-clear-sans fonts-cabin fonts-karla fonts-freefont-ttf fonts-go fonts-manrope
# fonts-urw-base35 fonts-crosextra-carlito fonts-junction fonts-oxygen fonts-quicksand fonts-play
# fonts-opendin fonts-b612
TRAINING_FONTS = (
    "opentype/inter/Inter-Regular.otf",
    "opentype/inter/Inter-Medium.otf",
    "opentype/inter/Inter-Light.otf",
    "opentype/inter/Inter-ExtraLight.otf",
    "opentype/inter/Inter-SemiBold.otf",
    "opentype/inter/InterDisplay-Regular.otf",
    "opentype/inter/InterDisplay-Light.otf",
    "opentype/inter/InterDisplay-Medium.otf",
    "truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf",
    "truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf",
    "truetype/roboto/unhinted/RobotoTTF/Roboto-Light.ttf",
    "truetype/roboto/unhinted/RobotoCondensed-Regular.ttf",
    "truetype/open-sans/OpenSans-Regular.ttf",
    "truetype/open-sans/OpenSans-Light.ttf",
    "truetype/open-sans/OpenSans-Semibold.ttf",
    "truetype/lato/Lato-Regular.ttf",
    "truetype/lato/Lato-Medium.ttf",
    "truetype/lato/Lato-Light.ttf",
    "truetype/lato/Lato-Semibold.ttf",
    "opentype/cantarell/Cantarell-Regular.otf",
    "opentype/cantarell/Cantarell-Light.otf",
    "truetype/clear-sans/ClearSans-Regular.ttf",
    "truetype/clear-sans/ClearSans-Medium.ttf",
    "truetype/clear-sans/ClearSans-Light.ttf",
    "opentype/cabin/Cabin-Regular.otf",
    "opentype/cabin/Cabin-Medium.otf",
    "opentype/cabin/Cabin-SemiBold.otf",
    "truetype/karla/Karla-Regular.otf",
    "truetype/karla/Karla-Medium.otf",
    "truetype/karla/Karla-Light.otf",
    "truetype/freefont/FreeSans.ttf",
    "fonts-go/Go-Regular.ttf",
    "fonts-go/Go-Medium.ttf",
    "truetype/manrope/Manrope-Regular.ttf",
    "truetype/manrope/Manrope-Medium.ttf",
    "truetype/manrope/Manrope-Light.ttf",
    "truetype/manrope/Manrope-SemiBold.ttf",
    "opentype/urw-base35/NimbusSans-Regular.otf",
    "truetype/crosextra/Carlito-Regular.ttf",
    "opentype/junction/Junction.otf",
    "truetype/oxygen/Oxygen-Sans.ttf",
    "truetype/quicksand/Quicksand-Regular.ttf",
    "truetype/quicksand/Quicksand-Medium.ttf",
    "truetype/quicksand/Quicksand-Light.ttf",
    "truetype/play/Play-Regular.ttf",
    "truetype/opendin/OSP-DIN.ttf",
    "opentype/b612/B612-Regular.otf",
)
# The evaluation set's header fonts (``functions.samples.generator.TEXT_FONTS``): never trained on.
HELD_OUT_FONTS = (
    "truetype/liberation/LiberationSans-Regular.ttf",
    "truetype/dejavu/DejaVuSans.ttf",
    "truetype/noto/NotoSans-Regular.ttf",
)
NUMBER_LABELS = (
    "Certificate no:",
    "Número de certificado:",
    "Sertifika no:",
    "Nomor sertifikat:",
    "Número do certificado:",
)
URL_LABELS = (
    "Certificate url:",
    "Url del certificado:",
    "Sertifika url:",
    "Url sertifikat:",
    "Url do certificado:",
)
STRIP_WIDTH, STRIP_HEIGHT = 560, 76  # px at 1600 px: the ids and a little of what precedes them
RIGHT_MARGIN = 50  # px between the header's right-aligned text and the strip's right edge
DRAW_SCALE = 4  # most samples are drawn 4x and reduced, for positions between pixels


def installed(fonts: tuple[str, ...]) -> list[str]:
    """The paths of those of ``fonts`` that are installed."""
    return [str(FONT_ROOT / rel) for rel in fonts if (FONT_ROOT / rel).is_file()]


def random_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def draw_header(rng: random.Random, font_path: str, number: str) -> tuple[Image.Image, float, list[tuple[int, int]]]:
    """The number and url lines of a header printing ``number`` (a UUID), at 1600 px scale: the
    strip, the x where ``UC-`` begins, and each line's ink band (top, bottom)."""
    size = rng.uniform(14.0, 17.5)
    page, ink = rng.randint(240, 252), rng.randint(70, 140)
    scale = DRAW_SCALE if rng.random() < 0.7 else 1  # else hinted at its size, as a browser may
    stretch = rng.uniform(0.85, 1.15)  # the type's width
    tracking = 0.0 if rng.random() < 0.3 else rng.uniform(0.0, 2.0)  # letter spacing, px at 1600 px
    font = ImageFont.truetype(font_path, size * scale)
    image = Image.new("L", (round(STRIP_WIDTH * scale / stretch), STRIP_HEIGHT * scale), page)
    draw = ImageDraw.Draw(image)
    right = (STRIP_WIDTH - RIGHT_MARGIN + rng.uniform(-3, 3)) * scale / stretch
    pitch, top = rng.uniform(28, 32), 8 + rng.uniform(-3, 3)
    track = tracking * scale / stretch
    for i, text in enumerate(
        (f"{rng.choice(NUMBER_LABELS)} UC-{number}", f"{rng.choice(URL_LABELS)} ude.my/UC-{number}")
    ):
        x = right - sum(font.getlength(ch) + track for ch in text) + track
        for ch in text:
            draw.text((x, (top + i * pitch) * scale), ch, font=font, fill=ink)
            x += font.getlength(ch) + track
    id_width = sum(font.getlength(ch) + track for ch in f"UC-{number}") - track
    weight = rng.random()
    if scale > 1 and weight < 0.2:
        image = image.filter(ImageFilter.MinFilter(3))  # heavier strokes (a PDF rendered dark)
    elif scale > 1 and weight > 0.8:
        image = image.filter(ImageFilter.MaxFilter(3))  # lighter strokes
    resample = Image.Resampling.BOX if scale > 1 else Image.Resampling.BICUBIC
    image = image.resize((STRIP_WIDTH, STRIP_HEIGHT), resample)
    if rng.random() < 0.3:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 0.8)))
    middle = (page + ink) / 2
    inked_rows = np.asarray(image).min(axis=1) < middle
    rows = [y for y in range(image.height) if inked_rows[y]]
    bands = []
    for i in range(2):
        lo, hi = top + i * pitch - 6, top + i * pitch + size + 8
        inked = [y for y in rows if lo <= y < hi]
        bands.append((inked[0], inked[-1] + 1) if inked else (round(lo + 6), round(lo + 6 + size)))
    return image, (right - id_width) * stretch / scale, bands


def keep_as_people_do(rng: random.Random, image: Image.Image) -> Image.Image:
    """``image`` as a copy of its page at another width leaves it, enlarged back to 1600 px scale
    as the reader does: 30 % at 580-640 px (website thumbnails), 35 % at 640-1000 px (phone
    screenshots), 20 % at 1000-1400 px, 15 % as downloaded; 70 % JPEG quality 55-95."""
    pick = rng.random()
    width = (
        rng.uniform(580, 640)
        if pick < 0.3
        else rng.uniform(640, 1000)
        if pick < 0.65
        else rng.uniform(1000, 1400)
        if pick < 0.85
        else 1600.0
    )
    return shrunk_and_enlarged(rng, image, width, jpeg_share=0.7, stretch=True)


def shrunk_and_enlarged(
    rng: random.Random, image: Image.Image, width: float, jpeg_share: float, stretch: bool
) -> Image.Image:
    """``image`` (at the 1600 px page scale) as a copy ``width`` px wide leaves it: shrunk by one
    of several filters (its height by 2 % more or less, with ``stretch``), JPEG quality 55-95 on
    ``jpeg_share`` of them, enlarged back to its size as the reader enlarges a page."""
    full = image.size
    if width < 1600:
        factor = width / 1600
        height = full[1] * factor * (rng.uniform(0.98, 1.02) if stretch else 1.0)
        small = (max(1, round(full[0] * factor)), max(1, round(height)))
        filters = (Image.Resampling.LANCZOS, Image.Resampling.LANCZOS, Image.Resampling.BICUBIC, Image.Resampling.BOX)
        image = image.resize(small, rng.choice(filters))
    if rng.random() < jpeg_share:
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=rng.randint(55, 95))
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    if width < 1600:
        image = image.resize(full, Image.Resampling.LANCZOS)
    return image


def sample(rng: random.Random, fonts: list[str]) -> tuple[list[Image.Image], str]:
    """One training sample: the two id crops (number and url line) and their text ``UC-<uuid>``.
    The crop's left edge is placed as the reader's is, from where Tesseract saw ``UC`` begin,
    give or take the few pixels that estimate is off by."""
    number = random_uuid(rng)
    strip, id_left, bands = draw_header(rng, rng.choice(fonts), number)
    strip = keep_as_people_do(rng, strip)
    crops = cut_id_lines(strip, bands, id_left + rng.uniform(-6, 6), STRIP_WIDTH - RIGHT_MARGIN, rng.uniform(-2, 2))
    return crops, f"UC-{number}"
