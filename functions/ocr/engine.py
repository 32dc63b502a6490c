"""A thin wrapper around one Tesseract instance (tesserocr), reused for every image."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# The OpenMP build of libtesseract is several times slower with threads on a small machine;
# workers already run one OCR per core. Must be set before tesserocr is imported.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import tesserocr
from PIL import Image

from functions.ocr.parse import Line, Word
from functions.shared.errors import ConfigurationError

ENGINE_NAME = "tesserocr"
CHOICE_ITERATIONS = 2


def has_language(tessdata_dir: str, lang: str) -> bool:
    """Whether ``<lang>.traineddata`` (every part of ``a+b``) is installed in ``tessdata_dir``."""
    return all((Path(tessdata_dir) / f"{part}.traineddata").is_file() for part in lang.split("+"))


class TesseractEngine:
    """One ``PyTessBaseAPI`` (not thread-safe: one engine per worker)."""

    def __init__(self, tessdata_dir: str, lang: str = "eng") -> None:
        self.lang = lang
        self._tessdata_dir = tessdata_dir
        self._osd: tesserocr.PyTessBaseAPI | None = None
        data = Path(tessdata_dir) / f"{lang.split('+')[0]}.traineddata"
        if not has_language(tessdata_dir, lang):
            raise ConfigurationError(
                f"Tesseract language data not found: {data}. Install tesseract-ocr-{lang} "
                f"or point tessdata_dir at a folder that holds {lang}.traineddata."
            )
        try:
            self._api = tesserocr.PyTessBaseAPI(path=str(tessdata_dir), lang=lang)
        except RuntimeError as exc:
            raise ConfigurationError(f"Tesseract failed to start with {data}: {exc}") from exc
        # Each further pass of the beam search adds one more alternative per character (5 by
        # default). Two give each character its best three and read a header line about 3 ms (8 %)
        # faster: on 200 evaluation pages the rules on the number decided the same as with five
        # (three numbers' confidences moved, by 0.013 at most), and every field of them, of the
        # real set and of its nine handlings was read the same.
        self._api.SetVariable("lstm_choice_iterations", str(CHOICE_ITERATIONS))
        # No text here is set in a fixed pitch: the layout's test for it took about 3 % of the
        # engine's time, and without it every word, box and confidence of 124 lines was the same.
        self._api.SetVariable("textord_disable_pitch_test", "1")
        self.version = str(tesserocr.tesseract_version().splitlines()[0]).replace("tesseract ", "")

    def lines(
        self,
        image: Image.Image,
        psm: int = tesserocr.PSM.AUTO,
        offset: tuple[int, int] = (0, 0),
        whitelist: str = "",
        doubt_below: float = 0.0,
        choices: bool = False,
        char_boxes: bool = False,
    ) -> list[Line]:
        """Recognise ``image`` and return its text lines, with word confidences (0..1) and boxes.

        ``offset`` is added to the boxes (the crop's position on the page). With ``doubt_below``
        (0..1), every character Tesseract recognised with a lower confidence is returned as ``?``
        (an unknown character, for callers that must not guess, such as the certificate number).
        With ``doubt_below`` or ``choices``, every word also carries each character's alternatives
        (``Word.choices``); with any of them or ``char_boxes``, each character's box
        (``Word.char_boxes``). With ``char_boxes`` alone each character's choices are its one
        reading with the engine's confidence in that glyph (no alternatives are computed then):
        a word's confidence is its least sure character's or that of a space beside it, whichever
        is lower, so the glyph's own is needed to tell the two apart.
        """
        api = self._api
        api.SetPageSegMode(psm)
        api.SetVariable("tessedit_char_whitelist", whitelist)
        # Alternatives per character (for the unsure ones) only when the caller asks for doubts.
        per_symbol = doubt_below > 0 or choices
        api.SetVariable("lstm_choice_mode", "2" if per_symbol else "0")
        _set_image(api, image)
        api.Recognize()
        iterator = api.GetIterator()
        if iterator is None:
            return []
        dx, dy = offset
        line_level, word_level = tesserocr.RIL.TEXTLINE, tesserocr.RIL.WORD
        grouped: list[tuple[tuple[int, int, int, int], float, list[Word]]] = []
        for item in tesserocr.iterate_level(iterator, word_level):
            try:
                text = (item.GetUTF8Text(word_level) or "").strip()
            except RuntimeError:  # tesserocr raises "No text returned" for an empty word
                text = ""
            if item.IsAtBeginningOf(line_level) or not grouped:
                box = item.BoundingBox(line_level) or (0, 0, 0, 0)
                # RowAttributes() crashes libtesseract on a row without text: ask only when there is some.
                x_height = _x_height(item) if text else 0.0
                grouped.append(((box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy), x_height, []))
            if text:
                confidence = max(0.0, min(1.0, item.Confidence(word_level) / 100))
                word_box = item.BoundingBox(word_level)
                alternatives: tuple[tuple[tuple[str, float], ...], ...] = ()
                boxes: tuple[tuple[int, int, int, int] | None, ...] = ()
                glyphs: tuple[float, ...] = ()
                if per_symbol or char_boxes:  # last: it walks the iterator to the word's last character
                    doubted, alternatives, boxes, glyphs = _symbols(item, doubt_below, every=choices or not per_symbol)
                    text = doubted or text
                grouped[-1][2].append(Word(text, confidence, word_box, alternatives, boxes, glyphs))
        return [Line(tuple(words), box, x_height) for box, x_height, words in grouped if words]

    def orientation(self, image: Image.Image) -> tuple[int, float] | None:
        """Tesseract's orientation and script detection (``osd.traineddata``): the clockwise
        rotation in degrees the page's text shows and its confidence, or ``None`` when undecided."""
        found = self._detect(image)
        return (int(found["orient_deg"]), float(found["orient_conf"])) if found else None

    def script(self, image: Image.Image) -> tuple[str, float] | None:
        """The writing system of the text in ``image`` ("Latin", "Cyrillic", ...) and Tesseract's
        confidence in it, or ``None`` when undecided."""
        found = self._detect(image)
        return (str(found["script_name"]), float(found["script_conf"])) if found else None

    def _detect(self, image: Image.Image) -> dict[str, Any] | None:
        if self._osd is None:
            if not has_language(self._tessdata_dir, "osd"):
                return None
            # A separate API: detection on an API started with a language model crashes libtesseract.
            self._osd = tesserocr.PyTessBaseAPI(path=self._tessdata_dir, lang="osd", psm=tesserocr.PSM.OSD_ONLY)
        self._osd.SetImage(image)
        try:
            found = self._osd.DetectOrientationScript()
        except RuntimeError:
            return None
        return dict(found) if found else None

    def close(self) -> None:
        self._api.End()
        if self._osd is not None:
            self._osd.End()


# The resolution tesserocr's ``SetImage`` hands Tesseract with every image: it passes the image on
# as a BMP, which Pillow writes at 96 dpi whatever the image's own.
HANDED_OVER_DPI = 96


def _set_image(api: tesserocr.PyTessBaseAPI, image: Image.Image) -> None:
    """Give ``api`` the pixels of ``image`` as they are, without tesserocr's round trip through a
    BMP file (0.1-0.5 ms a line): the same grey levels at the same resolution, so the same reading."""
    if image.mode != "L":
        api.SetImage(image)
        return
    api.SetImageBytes(image.tobytes(), image.width, image.height, 1, image.width)
    api.SetSourceResolution(HANDED_OVER_DPI)


def _symbols(
    word: tesserocr.PyResultIterator, below: float, every: bool = True
) -> tuple[
    str,
    tuple[tuple[tuple[str, float], ...], ...],
    tuple[tuple[int, int, int, int] | None, ...],
    tuple[float, ...],
]:
    """The current word's characters, each one recognised with a confidence under ``below``
    (0..1) replaced by ``?``; for each character the engine's alternatives (character,
    confidence 0..1; only for the ``?`` unless ``every``), its box and the engine's confidence in
    its glyph (0..1); empty when the word cannot be walked symbol by symbol."""
    symbol, word_level = tesserocr.RIL.SYMBOL, tesserocr.RIL.WORD
    chars: list[str] = []
    doubts: list[tuple[tuple[str, float], ...]] = []  # one entry per character of the text
    boxes: list[tuple[int, int, int, int] | None] = []
    glyphs: list[float] = []
    for item in tesserocr.iterate_level(word, symbol):
        try:
            char = item.GetUTF8Text(symbol) or ""
        except RuntimeError:
            char = ""
        glyph = item.Confidence(symbol)
        sure = glyph >= below * 100
        chars.append(char if sure else "?")
        box = item.BoundingBox(symbol)
        boxes += [box if len(char) == 1 else None] * (len(char) if sure else 1)
        glyphs += [max(0.0, min(1.0, glyph / 100))] * (len(char) if sure else 1)
        if not sure or (every and len(char) == 1):
            doubts.append(_choices(item))
        else:  # not asked for, or a multi-character symbol (a ligature): none to align
            doubts += [()] * len(char)
        if item.IsAtFinalElement(word_level, symbol):
            break
    return "".join(chars), tuple(doubts), tuple(boxes), tuple(glyphs)


def _choices(item: tesserocr.PyResultIterator) -> tuple[tuple[str, float], ...]:
    """The alternatives the engine considered for the current character, with confidences 0..1."""
    out: list[tuple[str, float]] = []
    try:
        for choice in item.GetChoiceIterator():
            text = choice.GetUTF8Text() or ""
            if text:
                out.append((text, max(0.0, min(1.0, choice.Confidence() / 100))))
    except RuntimeError:
        return ()
    return tuple(out)


def _x_height(item: tesserocr.PyResultIterator) -> float:
    """The x-height Tesseract fitted to the current text line (0 when it has none)."""
    try:
        attributes = item.RowAttributes()
    except RuntimeError:
        return 0.0
    if not attributes:
        return 0.0
    # row_height = x_height + ascenders - descenders (descenders are negative)
    height = attributes["row_height"] - attributes["ascenders"] + attributes["descenders"]
    return float(height) if height > 0 else 0.0
