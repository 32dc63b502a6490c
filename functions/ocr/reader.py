"""Read a Udemy certificate (JPEG, PNG or image-only PDF) into fields with confidences.

The current design is read by regions rather than as one page: the small grey header at the
top right (cropped and enlarged, where the certificate number lives) and the body on the left
(heading, title, instructors, student, date, length).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageOps

from contracts.records import CertificateFields
from functions.ocr.engine import ENGINE_NAME, TesseractEngine, tesserocr
from functions.ocr.parse import Line, parse_body, pick_certificate_id
from functions.shared.errors import PermanentError

PAGE_WIDTH = 1600
MAX_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 60_000_000
HEADER_SCALE = 3
HEADER_ALPHABET = "0123456789abcdefCURNeilmnortuy:./- "
INK_LEVEL = 170  # grey levels darker than this are ink (the grey header text is about 106)
SERIF_UNTIL = date(2024, 4, 1)

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
    return media_type, _to_rgb(image)


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


def normalise(image: Image.Image) -> Image.Image:
    """Greyscale at the design's native 1600 px width (small copies are enlarged first)."""
    grey = image.convert("L")
    if abs(grey.width - PAGE_WIDTH) > 40:
        height = max(1, round(grey.height * PAGE_WIDTH / grey.width))
        grey = grey.resize((PAGE_WIDTH, height), Image.Resampling.LANCZOS)
    return grey


def text_bands(page: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """Top and bottom of each text line in ``box``, from the horizontal ink profile.

    Rows with ink are grouped; groups closer than a few pixels (accents, i dots) are merged and
    specks are dropped. Returns page coordinates.
    """
    region = page.crop(box).point(lambda v: 255 if v < INK_LEVEL else 0)
    profile = region.resize((1, region.height), Image.Resampling.BOX).tobytes()
    bands: list[list[int]] = []
    for y, value in enumerate(profile):
        if value > 0:
            if bands and y - bands[-1][1] <= max(4, (bands[-1][1] - bands[-1][0]) // 8):
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
    return [(top + box[1], bottom + box[1]) for top, bottom in merged if bottom - top >= 8]


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


class CertificateReader:
    """Reads certificates with one Tesseract instance, reused for every call."""

    def __init__(self, tessdata_dir: str = "/usr/share/tesseract-ocr/5/tessdata") -> None:
        self._engine = TesseractEngine(tessdata_dir)

    @property
    def engine_version(self) -> str:
        return self._engine.version

    def read(self, data: bytes, file_name: str) -> ReadResult:
        media_type, image = decode(data, file_name)
        page = normalise(image)
        width, height = page.size

        header_box = (int(width * 0.42), int(height * 0.045), int(width * 0.97), int(height * 0.175))
        header = page.crop(header_box)
        header = header.resize((header.width * HEADER_SCALE, header.height * HEADER_SCALE), Image.Resampling.LANCZOS)
        header = ImageOps.autocontrast(header)
        header_lines = self._engine.lines(header, tesserocr.PSM.SINGLE_BLOCK)
        # A second pass restricted to the header's alphabet gives the vote a second opinion.
        header_lines += self._engine.lines(header, tesserocr.PSM.SINGLE_BLOCK, whitelist=HEADER_ALPHABET)
        certificate_id, id_confidence = pick_certificate_id(header_lines)

        body_lines: list[Line] = []
        left, right = int(width * 0.04), int(width * 0.97)
        bands = text_bands(page, (left, int(height * 0.2), right, height - 8))
        for index, (top, bottom) in enumerate(bands):
            pad = max(6, (bottom - top) // 4)
            crop = _band_crop(page, (left - 20, max(0, top - pad), right, min(height, bottom + pad)), bands, index)
            for line in self._engine.lines(crop, tesserocr.PSM.SINGLE_LINE):
                body_lines.append(Line(line.words, (left, top, right, bottom), line.x_height))
        parsed = parse_body(body_lines, width)

        raw_text = "\n".join(ln.text for ln in [*header_lines, *body_lines])
        has_header = any("certificate" in ln.text.lower() for ln in header_lines)
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
        return ReadResult(
            media_type=media_type,
            design=_design(parsed.completed_on),
            language="en" if parsed.has_labels or parsed.has_heading else None,
            fields=fields,
            confidence={k: round(v, 3) for k, v in confidence.items()},
            raw_text=raw_text,
            engine=ENGINE_NAME,
            engine_version=self._engine.version,
        )

    def close(self) -> None:
        self._engine.close()

    def __enter__(self) -> CertificateReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _design(completed_on: date | None) -> str:
    if completed_on is None:
        return "current"
    return "current-serif" if completed_on < SERIF_UNTIL else "current-sans"


def lines_text(lines: list[Line]) -> str:
    return "\n".join(ln.text for ln in lines)
