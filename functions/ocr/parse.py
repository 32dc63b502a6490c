"""Pure parsing rules: OCR lines in, certificate fields out. No Tesseract, no images here.

A field that cannot be read is ``None`` with a low confidence, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

# OCR confusions in the small grey header text, toward lowercase hex (a lower-case s is a misread 8).
# Upper case first: the id is printed in lower case, so an upper-case letter is a misread digit.
_UPPER_TO_HEX = str.maketrans(
    {"B": "8", "G": "6", "O": "0", "Q": "9", "S": "5", "Z": "2", "I": "1", "D": "0", "T": "f"}
)
_LOWER_TO_HEX = str.maketrans(
    {
        "l": "1",
        "i": "1",
        "|": "1",
        "!": "1",
        "j": "1",
        "t": "f",
        "h": "b",
        "o": "0",
        "q": "9",
        "g": "9",
        "s": "5",
        "z": "2",
        "/": "7",
    }
)
_GROUPS = (8, 4, 4, 4, 12)


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..1
    box: tuple[int, int, int, int] | None = None  # (x0, y0, x1, y1) in the OCR'd image, when known


@dataclass(frozen=True)
class Line:
    """One OCR text line: its words and its box (x0, y0, x1, y1) in page pixels."""

    words: tuple[Word, ...]
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    x_height: float = 0.0  # Tesseract's x-height of the line in the OCR'd image's pixels (0: unknown)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    @property
    def confidence(self) -> float:
        return mean_confidence(self.words)


def line_of(text: str, confidence: float = 0.95, box: tuple[int, int, int, int] = (0, 0, 0, 0)) -> Line:
    """A line from plain text (tests and callers without word boxes)."""
    return Line(tuple(Word(t, confidence) for t in text.split()), box)


def mean_confidence(words: tuple[Word, ...] | list[Word]) -> float:
    return round(sum(w.confidence for w in words) / len(words), 3) if words else 0.0


# ---------------------------------------------------------------- certificate number


def _compact_hex(raw: str) -> str | None:
    """32 hex digits from an OCR reading of a UUID, confusables mapped, or ``None``."""
    text = raw.strip().translate(_UPPER_TO_HEX).lower()
    groups = [g for g in re.split(r"[-–—~_.,]+", re.sub(r"\s+", "", text)) if g]
    # A group one character too long with a thin glyph in it (1l1 for 11, fic for fc): drop it.
    for i, expected in enumerate(_GROUPS[: len(groups)]):
        if len(groups[i]) == expected + 1:
            for thin in ("l", "i", "|"):
                if thin in groups[i]:
                    groups[i] = groups[i].replace(thin, "", 1)
                    break
    groups = [g.translate(_LOWER_TO_HEX) for g in groups]
    if len(groups) >= 5 and [len(g) for g in groups[:5]] == list(_GROUPS):
        groups = groups[:5]
    compact = "".join(groups)
    if len(compact) == 33 and not re.fullmatch(r"[0-9a-f]", compact[-1]):
        compact = compact[:32]  # a stray letter or mark after the id
    return compact if re.fullmatch(r"[0-9a-f]{32}", compact) else None


def _as_uuid4(compact: str) -> str | None:
    value = "-".join(compact[sum(_GROUPS[:i]) : sum(_GROUPS[: i + 1])] for i in range(5))
    if value[14] == "a":  # 4 and A look alike in small sans text
        value = value[:14] + "4" + value[15:]
    return value if UUID4.match(value) else None


def repair_uuid(raw: str) -> str | None:
    """Turn an OCR reading of a UUID4 into the lowercase UUID4 it must be, or ``None``.

    Maps confusable characters to hex (l/i->1, t->f, h->b, O->0, Q->9, ...), drops spaces and
    stray punctuation, restores the 8-4-4-4-12 grouping and checks version 4 and variant 8/9/a/b.
    """
    compact = _compact_hex(raw)
    return _as_uuid4(compact) if compact else None


_UC = re.compile(r"U\s*[CcGO0]\s*[-–—~]\s*(.+)$")


def _candidates(text: str) -> list[str]:
    match = _UC.search(text)
    out = [match.group(1)] if match else []
    if ":" in text:
        out.append(text.split(":", 1)[1])
    if "/" in text:
        out.append(text.split("/", 1)[1])
    return [re.sub(r"^\s*U\s*[CcGO0]\s*[-–—~]?", "", c) for c in out]


def id_after_uc(text: str) -> str | None:
    """The repaired UUID in ``...UC-<uuid>`` on one header line, or ``None``."""
    for candidate in _candidates(text):
        value = repair_uuid(candidate)
        if value:
            return value
    return None


def pick_certificate_id(header: list[Line]) -> tuple[str | None, float]:
    """Read ``Certificate no:`` and ``Certificate url:`` (one or more OCR passes) and let them vote.

    Never takes ``Reference Number: 0004`` (a constant on every certificate) for the id. Each
    reading is mapped to 32 hex digits; every position takes the confidence-weighted majority; the
    result must be a UUID4. Confidence is high when the readings agree and drops when they do not.
    """
    readings: list[tuple[str, float]] = []
    for line in header:
        text = line.text
        if re.search(r"refer|number", text, re.IGNORECASE):
            continue
        for candidate in _candidates(text):
            compact = _compact_hex(candidate)
            if compact:
                readings.append((compact, max(line.confidence, 0.05)))
                break
    if not readings:
        return None, 0.0
    voted = []
    weakest = 1.0
    total = sum(conf for _, conf in readings)
    for pos in range(32):
        scores: dict[str, float] = {}
        for compact, conf in readings:
            scores[compact[pos]] = scores.get(compact[pos], 0.0) + conf
        char, score = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
        voted.append(char)
        weakest = min(weakest, score / total)
    value = _as_uuid4("".join(voted))
    if value is None:
        return None, 0.0
    best = max(conf for _, conf in readings)
    agreement = 0.5 + best / 2 if len(readings) >= 2 else best * 0.8
    return value, round(min(1.0, agreement * weakest), 3)


# ---------------------------------------------------------------- date and length

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_DIGITISH = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0", "S": "5", "B": "8"})


def _month(token: str) -> int | None:
    token = token.lower().rstrip(".")
    if len(token) < 3:
        return None
    return _MONTHS.get(token[:3])


def _number(token: str) -> int | None:
    token = token.translate(_DIGITISH)
    return int(token) if token.isdigit() else None


def parse_date(text: str) -> date | None:
    """``April 30, 2025``, ``Sept. 5, 2023``, ``Mar. 3, 2024``, ``18 Mar 2023`` -> a date."""
    cleaned = re.sub(r"^\s*Date\b[:\s]*", "", text, flags=re.IGNORECASE)
    # A month glued to its day (April1, 2026): the space is narrow after a word in small text.
    cleaned = re.sub(r"\b([A-Za-z]{3,}\.?)(\d{1,2},?)(?=\s|$)", r"\1 \2", cleaned)
    tokens = [t for t in re.split(r"[\s,]+", cleaned) if t]
    for i in range(len(tokens) - 2):
        a, b, c = tokens[i], tokens[i + 1], tokens[i + 2]
        month, day, year = _month(a), _number(b.rstrip(".")), _number(c.rstrip("."))
        if month is None:  # 18 Mar 2023
            month, day = _month(b), _number(a.rstrip("."))
        if month and day and year and 1 <= day <= 31 and 2000 <= year <= 2100:
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


_LENGTH = re.compile(r"(\d+(?:[.,]\d+)?)\s*total\s*(hours?|hrs?|mins?|minutes?)\b", re.IGNORECASE)


def parse_length(text: str) -> tuple[float | None, str | None]:
    """``19.5 total hours`` -> (19.5, text); ``45 total mins`` -> (0.75, text)."""
    match = _LENGTH.search(text)
    if not match:
        return None, None
    value = float(match.group(1).replace(",", "."))
    unit = match.group(2).lower()
    length_text = f"{match.group(1)} total {match.group(2)}"
    if unit.startswith("min"):
        return round(value / 60, 4), length_text
    return value, length_text


# ---------------------------------------------------------------- title and instructors


def join_title(lines: list[str]) -> str:
    """Join wrapped title lines with single spaces; ``Cross-`` + ``Platform`` stays one word,
    ``Programming -`` + ``From`` keeps the spaced dash as printed."""
    title = ""
    for raw in lines:
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            continue
        if not title:
            title = line
        elif title.endswith("-") and len(title) >= 2 and not title[-2].isspace():
            title += line
        else:
            title += " " + line
    return title


_JOB_WORDS = re.compile(
    r"\b(developer|instructor|engineer|founder|teacher|trainer|expert|consultant|lead|ceo|cto|professor|"
    r"scientist|author|coach|architect|senior|chief|head|principal|software|officer|manager|director|"
    r"bestselling|full|stack|web|data|programmer|specialist|mentor|educator)",
    re.IGNORECASE,
)


def split_instructors(text: str) -> list[str]:
    """Split ``Name, Name, ...`` into names, keeping comma names that are one party together:
    ``Dr. Angela Yu, Developer and Lead Instructor`` (a job title after the comma) and
    ``MTF Institute of Management, Technology and Finance`` (an organisation's name)."""
    text = re.sub(r"^\s*Instructors?\b[:\s]*", "", text, flags=re.IGNORECASE)
    parts = [re.sub(r"\s+", " ", p).strip(" .;") for p in text.split(",")]
    parts = [p for p in parts if p]
    names: list[str] = []
    for part in parts:
        if names:
            words = [w for w in re.split(r"[\s&/-]+", part) if w and w.lower() not in ("and", "of", "the", "&")]
            is_job_title = bool(words) and all(_JOB_WORDS.fullmatch(w) for w in words)
            continues_org = bool(re.fullmatch(r"[A-Z][\w'&]*( and [A-Z][\w'&]*)+", part)) and " of " in names[-1]
            if is_job_title or continues_org:
                names[-1] = f"{names[-1]}, {part}"
                continue
        names.append(part)
    return names


# ---------------------------------------------------------------- the body of the page


@dataclass
class BodyFields:
    title: str | None = None
    instructors: list[str] = field(default_factory=list)
    student: str | None = None
    completed_on: date | None = None
    length_hours: float | None = None
    length_text: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    has_heading: bool = False
    has_labels: bool = False


def _squash(text: str) -> str:
    return re.sub(r"[^A-Z]", "", text.upper())


def is_heading(line: Line) -> bool:
    squashed = _squash(line.text)
    return "CERTIFICATE" in squashed or "COMPLETION" in squashed or "OFCOMPLET" in squashed


def _label(line: Line, *labels: str) -> bool:
    first = line.words[0].text if line.words else ""
    first = first.replace("|", "I").replace("l", "I", 1) if first[:1] in "l|" else first
    return any(re.match(rf"{label}\b", first, re.IGNORECASE) for label in labels)


def _strip_label(line: Line) -> tuple[Word, ...]:
    return line.words[1:]


# An isolated dash wider than this many x-heights is an en dash, narrower a hyphen. Measured ink
# widths: hyphens 0.45-0.58 x-heights (generated serif and sans titles, real titles), en dashes 0.69-1.1.
EN_DASH_MIN_WIDTH = 0.64
_DASHES = ("-", "–", "—", "=")
# An upper-case code with digits, joined by hyphens: CLF-C02, SAA-C03, AZ-104.
_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")


def dash_of(word: Word, x_height: float) -> str:
    """An isolated dash word as a hyphen or an en dash, from its measured width.

    Tesseract does not tell ``-`` from ``–`` (and reads ``-`` as ``=`` now and then); the glyph's
    ink width relative to the line's x-height does. Without a box or an x-height the reading stays,
    with ``=`` as a hyphen and ``—`` as an en dash (Udemy titles use the en dash).
    """
    if word.box is not None and x_height > 0:
        width = word.box[2] - word.box[0]
        return "–" if width >= EN_DASH_MIN_WIDTH * x_height else "-"
    return {"=": "-", "—": "–"}.get(word.text, word.text)


def repair_code(token: str) -> str:
    """``CLF-CO2`` -> ``CLF-C02``: in a hyphenated upper-case code that has digits, an ``O`` inside
    a part and followed only by digits is a zero. ``O365`` (O first) and words stay as they are."""
    core = token.strip("()[],.:;")
    if not _CODE.fullmatch(core) or not re.search(r"\d", core):
        return token
    parts = []
    for part in core.split("-"):
        chars = list(part)
        for i in range(1, len(chars)):
            if chars[i] == "O" and chars[i + 1 :] and "".join(chars[i + 1 :]).replace("O", "0").isdigit():
                chars[i] = "0"
        parts.append("".join(chars))
    return token.replace(core, "-".join(parts))


def _clean_title_line(line: Line) -> str:
    """A title line without stray marks: a lone low-confidence punctuation token is noise at the
    edges of a big line; an isolated dash is a hyphen or an en dash by its width (``=`` is a
    misread dash)."""
    words = list(line.words)
    # Trailing specks: one-character tokens Tesseract was unsure of.
    while words and len(words[-1].text) == 1 and words[-1].confidence < 0.75 and words[-1].text not in "+#":
        words.pop()
    kept = []
    for word in words:
        text = word.text
        if text in _DASHES:
            kept.append(dash_of(word, line.x_height))
            continue
        if not re.search(r"[\w#+&|/:–—-]", text) and word.confidence < 0.8:
            continue
        if text == "=":
            text = "-"
        elif text.rstrip(",:") == "Al":  # "AI" in a title; Tesseract reads the capital I as l
            text = "AI" + text[2:]
        kept.append(text)
    return " ".join(kept).replace("—", "–")


def parse_body(lines: list[Line], page_width: int = 1600) -> BodyFields:
    """Fields from the body lines (top to bottom) of a current-design certificate."""
    out = BodyFields()
    lines = sorted((ln for ln in lines if ln.words), key=lambda ln: (ln.box[1], ln.box[0]))
    scale = page_width / 1600
    big = 38 * scale  # the title and the student name are far taller than the labels

    heading = next((i for i, ln in enumerate(lines) if is_heading(ln)), None)
    out.has_heading = heading is not None
    instr = next((i for i, ln in enumerate(lines) if _label(ln, "Instructors?", "lnstructors?")), None)
    date_i = next((i for i, ln in enumerate(lines) if _label(ln, "Date")), None)
    length_i = next((i for i, ln in enumerate(lines) if _label(ln, "Length")), None)
    out.has_labels = any(i is not None for i in (instr, date_i, length_i))

    # Title: the big lines after the heading, before "Instructors".
    start = heading + 1 if heading is not None else 0
    stop = instr if instr is not None else (date_i if date_i is not None else len(lines))
    title_lines = [ln for ln in lines[start:stop] if ln.height >= big]
    if title_lines and (heading is not None or instr is not None):
        # Tesseract reads the en dash of titles as an em dash; Udemy titles use the en dash.
        title = join_title([_clean_title_line(ln) for ln in title_lines])
        # After the join: a code can be wrapped after its hyphen (CLF- / CO2).
        out.title = " ".join(repair_code(token) for token in title.split(" ")) or None
        out.confidence["title"] = mean_confidence([w for ln in title_lines for w in ln.words])

    # Instructors: the rest of the label line plus small continuation lines right below it.
    student_line: Line | None = None
    if instr is not None:
        words = list(_strip_label(lines[instr]))
        for ln in lines[instr + 1 : date_i if date_i is not None else len(lines)]:
            if ln.height >= big or ln.box[1] - lines[instr].box[3] > 90 * scale:
                break
            words.extend(ln.words)
        names = split_instructors(" ".join(w.text for w in words))
        if names:
            out.instructors = names
            out.confidence["instructors"] = mean_confidence(words)

    # Student: the nearest big line above "Date".
    if date_i is not None:
        for ln in reversed(lines[(instr + 1 if instr is not None else 0) : date_i]):
            if ln.height >= big * 0.9:
                student_line = ln
                break
    if student_line is not None:
        out.student = re.sub(r"\s+", " ", student_line.text).strip() or None
        out.confidence["student"] = student_line.confidence

    if date_i is not None:
        out.completed_on = parse_date(lines[date_i].text)
        if out.completed_on is not None:
            out.confidence["completed_on"] = mean_confidence(_strip_label(lines[date_i]))
    length_source = [lines[length_i]] if length_i is not None else lines
    for ln in length_source:
        hours, text = parse_length(ln.text)
        if hours is not None:
            out.length_hours, out.length_text = hours, text
            out.confidence["length_hours"] = mean_confidence(_strip_label(ln) if ln is not None else ln.words)
            break
    return out
