"""Pure parsing rules: OCR lines in, certificate fields out. No Tesseract, no images here.

A field that cannot be read is ``None`` with a low confidence, never a guess.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.distance import Indel

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

# OCR confusions in the small grey header text, toward lowercase hex. Upper case first: the id is
# printed in lower case, so an upper-case letter is a misread digit. A look-alike of two digits or
# more is unsure (``?``): measured on 400 readings, a lower-case s was an 8 13 times and a 5 five
# times, a D a b 13 times and a 0 once, an o any of a, b, 0, d, e, 9 and 5.
_UPPER_TO_HEX = str.maketrans(
    {"B": "8", "G": "6", "O": "0", "Q": "9", "S": "5", "Z": "2", "I": "1", "D": "?", "T": "f"}
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
        "o": "?",
        "q": "9",
        "g": "9",
        "s": "?",
        "z": "2",
        "/": "7",
        "¢": "c",
        "{": "f",
    }
)
_GROUPS = (8, 4, 4, 4, 12)


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..1
    box: tuple[int, int, int, int] | None = None  # (x0, y0, x1, y1) in the OCR'd image, when known
    # When the engine was asked for them: for each character of ``text``, the alternatives it
    # considered, as (character, confidence 0..1) pairs, best first (``?`` keeps the ones of the
    # character it stands for). Read with glyph boxes alone: each character's one reading, with the
    # engine's confidence in that glyph (see ``glyph_confidence``).
    choices: tuple[tuple[tuple[str, float], ...], ...] = ()
    # With ``choices``: each character's box (x0, y0, x1, y1) in the OCR'd image, when known.
    char_boxes: tuple[tuple[int, int, int, int] | None, ...] = ()
    # With ``choices``: the engine's confidence (0..1) in each character's glyph, on the scale of
    # a reading with glyph boxes alone (the alternatives' confidences are on another: a "6" whose
    # glyph scored 0.97 has 0.92 as its first alternative).
    glyphs: tuple[float, ...] = ()


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

    @property
    def char_boxes(self) -> tuple[tuple[int, int, int, int] | None, ...]:
        """Every character's box, aligned with ``text`` (``None`` where unknown)."""
        out: list[tuple[int, int, int, int] | None] = []
        for word in self.words:
            known = len(word.char_boxes) == len(word.text)
            out += [*(word.char_boxes if known else [None] * len(word.text)), None]
        return tuple(out[:-1])

    @property
    def char_choices(self) -> tuple[tuple[tuple[str, float], ...], ...]:
        """Every character's alternatives, aligned with ``text`` (none for a word without them)."""
        out: list[tuple[tuple[str, float], ...]] = []
        for word in self.words:
            known = len(word.choices) == len(word.text)
            out += [*(word.choices if known else [()] * len(word.text)), ()]
        return tuple(out[:-1])


def line_of(text: str, confidence: float = 0.95, box: tuple[int, int, int, int] = (0, 0, 0, 0)) -> Line:
    """A line from plain text (tests and callers without word boxes)."""
    return Line(tuple(Word(t, confidence) for t in text.split()), box)


def mean_confidence(words: tuple[Word, ...] | list[Word]) -> float:
    return round(sum(w.confidence for w in words) / len(words), 3) if words else 0.0


# Tesseract gives a word the confidence of its least sure glyph or of the space on either side of
# it, whichever is lower, on a steeper scale than a glyph's own: 1 - 7 x (1 - the glyph's). Measured
# on 189 title and name words read with their glyphs' confidences: 124 words exactly so, the others
# lower (a doubted space beside them: "Qt 6" read 0.14 and 0.14 with both glyphs at 0.995), none higher.
WORD_SCALE = 7.0


def glyph_confidence(word: Word) -> float | None:
    """The engine's confidence in the glyphs of ``word`` alone, on the scale of word confidences:
    without its doubt about the spaces beside the word. ``None`` unless the engine gave each
    character's glyph confidence (``Word.glyphs``; in a word made without them, ``word.choices``
    from a reading with glyph boxes alone hold the same: ``TesseractEngine.lines``)."""
    if len(word.glyphs) == len(word.text) and word.glyphs:
        least = min(word.glyphs)
    elif len(word.choices) == len(word.text) and all(word.choices):
        least = min(alternatives[0][1] for alternatives in word.choices)
    else:
        return None
    return max(0.0, 1 - WORD_SCALE * (1 - least))


# ---------------------------------------------------------------- certificate number


# A character of an id reading: the character, the engine's confidence in it (0..1) and its
# alternatives (character, confidence) when the engine gave them.
IdChar = tuple[str, float, tuple[tuple[str, float], ...]]
_HEX = "0123456789abcdef"
_SEPARATORS = "-–—~_.,"
# A character read as a look-alike of a hex digit (l for 1, t for f, O for 0) votes for that digit
# with this share of its confidence: a digit read as itself is the stronger evidence.
MAPPED_SHARE = 0.5


def _plain(raw: str) -> list[IdChar]:
    return [(c, 1.0, ()) for c in raw]


def _to_hex(char: str) -> tuple[str, bool]:
    """``char`` as a lowercase hex digit and whether it was a look-alike; ``?`` for an unsure
    character and for a look-alike of several digits (s, o, D); ``""`` when it is neither."""
    if char == "?" or (len(char) == 1 and char in _HEX):
        return char, False
    mapped = char.translate(_UPPER_TO_HEX)  # the id is lower case: B, D, ... are misread digits
    if mapped == char and char in "ACEF":
        return char.lower(), False
    if mapped == char:
        mapped = char.lower().translate(_LOWER_TO_HEX)
    return (mapped, True) if len(mapped) == 1 and (mapped in _HEX or mapped == "?") else ("", False)


def as_hex_char(char: str) -> str:
    """``char`` as the hex digit it reads as in a certificate number (l -> 1, O -> 0, t -> f...),
    ``?`` when it may be several (s, o, D), or itself when it reads as none."""
    return _to_hex(char)[0] or char


def _compact(chars: list[IdChar]) -> tuple[str, list[float], list[tuple[tuple[str, float], ...]]] | None:
    """32 hex digits (``?``: unsure) from an OCR reading of a UUID, with each digit's weight (its
    confidence, a share of it for a look-alike) and alternatives; ``None`` when it is not one."""
    # The diagonal of a small 7 is sometimes read as a slash of its own: "/7" is one 7.
    chars = [c for i, c in enumerate(chars) if not (c[0] == "/" and i + 1 < len(chars) and chars[i + 1][0] == "7")]
    groups: list[list[IdChar]] = [[]]
    for item in chars:
        if item[0] in _SEPARATORS:
            groups.append([])
        elif not item[0].isspace():
            groups[-1].append(item)
    groups = [g for g in groups if g]
    # A group one character too long with a thin glyph in it (1l1 for 11, fic for fc): drop it,
    # unless another glyph may be the extra one and dropping it reads otherwise (cB8ab...bia: the
    # B is an 8 read twice, the i is a 1): then the reading is left to line up with the others.
    for i, expected in enumerate(_GROUPS[: len(groups)]):
        if len(groups[i]) == expected + 1:
            thin = next((j for t in ("l", "L", "i", "|") for j, c in enumerate(groups[i]) if c[0] == t), None)
            if thin is not None and len({_without(groups[i], j) for j in _extra_glyphs(groups[i], thin)}) == 1:
                del groups[i][thin]
    if len(groups) >= 5 and [len(g) for g in groups[:5]] == list(_GROUPS):
        groups = groups[:5]
    flat = [c for g in groups for c in g]
    if len(flat) == 33 and _to_hex(flat[-1][0])[0] == "":
        flat = flat[:32]  # a stray letter or mark after the id
    if len(flat) != 32:
        return None
    digits, weights, alternatives = [], [], []
    for char, confidence, alts in flat:
        digit, lookalike = _to_hex(char)
        if not digit:
            return None
        digits.append(digit)
        weights.append(confidence * (MAPPED_SHARE if lookalike else 1.0))
        alternatives.append(alts)
    return "".join(digits), weights, alternatives


def _extra_glyphs(group: list[IdChar], thin: int) -> list[int]:
    """Which glyphs of a group one too long may be the extra one: the thin glyph at ``thin``, and
    either of two neighbours read as the same digit where one is a look-alike (B8: an 8 doubled)."""
    hexed = [_to_hex(c[0]) for c in group]
    doubled = [
        j
        for k in range(len(group) - 1)
        if hexed[k][0] and hexed[k][0] == hexed[k + 1][0] and (hexed[k][1] or hexed[k + 1][1])
        for j in (k, k + 1)
    ]
    return [thin, *doubled]


def _without(group: list[IdChar], drop: int) -> str:
    return "".join(_to_hex(c[0])[0] or c[0] for j, c in enumerate(group) if j != drop)


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
    found = _compact(_plain(raw.strip()))
    return _as_uuid4(found[0]) if found and "?" not in found[0] else None


_UC = re.compile(r"[U?]\s*[CcGO0?]\s*[-–—~]\s*")
_UC_PREFIX = re.compile(r"\s*[U?]\s*[CcGO0?]\s*[-–—~]?")


def _candidates(text: str) -> list[int]:
    """Where the id may start on a header line: after ``UC-``, after the label's colon, after the
    url's slash."""
    match = _UC.search(text)
    out = [match.end()] if match else []  # the id itself may start with "?c": no prefix to strip there
    for start in (text.index(mark) + 1 for mark in ":/" if mark in text):
        prefix = _UC_PREFIX.match(text, start)
        out.append(prefix.end() if prefix else start)
    return out


def id_start(text: str) -> int:
    """Where the certificate number begins on a header line (0 when no mark is found)."""
    return next(iter(_candidates(text)), 0)


def _hex_choices(alternatives: tuple[tuple[str, float], ...]) -> dict[str, float]:
    """An unsure character's alternatives mapped to hex digits, as shares of their confidence."""
    scores: dict[str, float] = {}
    for char, conf in alternatives:
        mapped = _to_hex(char)[0]
        if mapped and mapped != "?" and conf > 0:
            scores[mapped] = max(scores.get(mapped, 0.0), conf)
    total = sum(scores.values())
    return {c: v / total for c, v in scores.items()} if total else {}


@dataclass(frozen=True)
class Reading:
    """One reading of the id: 32 characters (``?``: unsure, ``ABSTAIN``: no evidence there), the
    reading's weight, each character's own weight and the hex alternatives of each ``?``."""

    chars: str
    weight: float
    char_weights: tuple[float, ...]
    choices: dict[int, dict[str, float]]


def _id_chars(line: Line) -> list[IdChar]:
    """The characters of ``line.text``, each with its confidence (the engine's for that character
    when it gave alternatives, the word's otherwise) and alternatives."""
    out: list[IdChar] = []
    for i, word in enumerate(line.words):
        if i:
            out.append((" ", 1.0, ()))
        known = len(word.choices) == len(word.text)
        for j, char in enumerate(word.text):
            alts = word.choices[j] if known else ()
            own = max((conf for alt, conf in alts if alt == char), default=None) if alts else None
            out.append((char, own if own is not None else word.confidence, alts))
    return out


def _reading(chars: list[IdChar]) -> Reading | None:
    found = _compact(chars)
    if found is None:
        return None
    digits, weights, alternatives = found
    weight = max(sum(weights) / len(weights), 0.05)
    unsure = {i: alts for i, (d, alts) in enumerate(zip(digits, alternatives, strict=True)) if d == "?" and alts}
    choices = {i: c for i, c in ((i, _hex_choices(a)) for i, a in unsure.items()) if c}
    return Reading(digits, weight, tuple(weights), choices)


_REFERENCE_LINE = re.compile(r"refer|number", re.IGNORECASE)


def is_reference_line(text: str) -> bool:
    """Whether a header line is the ``Reference Number: 0004`` line (a constant, never the id)."""
    return _REFERENCE_LINE.search(text) is not None


def pick_certificate_id(header: list[Line]) -> tuple[str | None, float]:
    """Read ``Certificate no:`` and ``Certificate url:`` (one or more OCR passes) and let them vote.

    Never takes ``Reference Number: 0004`` (a constant on every certificate) for the id. Each
    reading is mapped to 32 hex digits; every position takes the confidence-weighted majority,
    each character weighing its own confidence (half of it for a look-alike such as l for 1); the
    result must be a UUID4. Confidence is high when the readings agree and drops when they do not.
    An unsure character (``?``) votes with the engine's hex alternatives for it, when it gave some.
    A reading one or two characters off (a dropped or doubled glyph) is aligned to the others and
    votes, with half its weight, only where it lines up with them.
    """
    readings: list[Reading] = []
    loose: list[list[IdChar]] = []
    for line in header:
        text = line.text
        if is_reference_line(text):
            continue
        chars = _id_chars(line)
        for start in _candidates(text):
            reading = _reading(chars[start:])
            if reading:
                readings.append(reading)
                break
            hexish = [c for c in chars[start:] if not c[0].isspace() and c[0] not in _SEPARATORS]
            if 30 <= len(hexish) <= 34 and all(_to_hex(c[0])[0] for c in hexish):
                loose.append(hexish)
                break
    if readings and loose:
        reference = "".join(_consensus(readings))
        # A reading that dropped or doubled a glyph is less trustworthy: it counts half.
        readings += [_align(chars, reference) for chars in loose]
    return vote_uuid(readings)


def _consensus(readings: list[Reading]) -> list[str]:
    """The most weighted character at each position (``?`` where only doubts were read)."""
    out = []
    for pos in range(32):
        scores: dict[str, float] = {}
        for r in readings:
            if r.chars[pos] not in ("?", ABSTAIN):
                scores[r.chars[pos]] = scores.get(r.chars[pos], 0.0) + r.char_weights[pos]
        out.append(max(scores.items(), key=lambda kv: (kv[1], kv[0]))[0] if scores else "?")
    return out


ABSTAIN = "_"  # a position a reading has no evidence for (it does not line up there)


def _align(chars: list[IdChar], reference: str) -> Reading:
    """A reading of the wrong length placed on the 32 positions of ``reference``: characters in
    blocks that line up (equal, or replaced one for one) keep their position, with half their
    weight; on the rest it abstains (``ABSTAIN``)."""
    digits = [_to_hex(c[0]) for c in chars]
    text = "".join(d for d, _ in digits)
    out, weights = [ABSTAIN] * len(reference), [0.0] * len(reference)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, reference, text, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                out[i] = text[j]
                weights[i] = chars[j][1] * (MAPPED_SHARE if digits[j][1] else 1.0) / 2
    lined_up = [w for w in weights if w]
    weight = max(sum(lined_up) / len(lined_up), 0.05) if lined_up else 0.05
    return Reading("".join(out), weight, tuple(weights), {})


# A position of the id whose winning character has less than this share of the readings' weight
# (the readings disagree) makes the whole id unreadable: a wrong id is worse than none.
MIN_POSITION_SHARE = 0.6
# An id voted with less confidence than this is not given.
MIN_ID_CONFIDENCE = 0.4


def vote_uuid(readings: list[Reading]) -> tuple[str | None, float]:
    """Vote per position over 32-character readings (``?``: a character the OCR was unsure of,
    which counts half against every candidate). The result must be a UUID4: the version nibble is ``4`` (an unsure one
    is filled in), the variant nibble is 8, 9, a or b. ``None`` when a position has no sure
    reading or the readings disagree on it."""
    if not readings:
        return None, 0.0
    voted = []
    weakest = 1.0
    for pos in range(32):
        scores: dict[str, float] = {}
        doubt = 0.0
        for r in readings:
            char = r.chars[pos]
            if char == ABSTAIN:
                continue
            if char != "?":
                scores[char] = scores.get(char, 0.0) + r.char_weights[pos]
                continue
            # An unsure character: half its weight goes to its alternatives, the rest stays doubt.
            for alt, share in r.choices.get(pos, {}).items():
                scores[alt] = scores.get(alt, 0.0) + r.weight * share / 2
            doubt += r.weight * (1 - sum(r.choices.get(pos, {}).values()) / 2)
        if pos == 12 and not scores:  # the version nibble of a UUID4 is always 4
            scores, doubt = {"4": doubt}, 0.0
        if pos == 16:  # the variant nibble is 8, 9, a or b: other readings are misreads
            scores = {c: v for c, v in scores.items() if c in "89ab"}
        if not scores:
            return None, 0.0
        char, score = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
        if score <= 0:
            return None, 0.0
        share = score / (sum(scores.values()) + doubt / 2)
        if share < MIN_POSITION_SHARE:
            return None, 0.0
        voted.append(char)
        weakest = min(weakest, share)
    value = _as_uuid4("".join(voted))
    if value is None:
        return None, 0.0
    best = max(r.weight for r in readings)
    agreement = 0.5 + best / 2 if len(readings) >= 2 else best * 0.8
    confidence = round(min(1.0, agreement * weakest), 3)
    # Readings that barely agree from lines the engine was unsure of (a blurred small copy): no id.
    return (value, confidence) if confidence >= MIN_ID_CONFIDENCE else (None, 0.0)


# A file named after its certificate number, as Udemy names its downloads (``UC-<uuid4>.jpg``).
_NAMED_ID = re.compile(
    r"(?<![0-9a-z])uc[-_ ]?([0-9a-f]{8})-?([0-9a-f]{4})-?(4[0-9a-f]{3})-?([89ab][0-9a-f]{3})-?([0-9a-f]{12})"
    r"(?![0-9a-z])",
    re.IGNORECASE,
)


def id_in_file_name(file_name: str) -> str | None:
    """The UUID4 certificate number a file is named after (``UC-<uuid4>.jpg``, as downloaded,
    or with the dashes dropped), lower case; ``None`` when its name holds none."""
    match = _NAMED_ID.search(file_name)
    return "-".join(match.groups()).lower() if match else None


def id_support(uuid: str, header: list[Line]) -> float:
    """How closely the header's readings match ``uuid``, from 0 to 1: the best similarity of one
    reading of the number (look-alikes read as hex digits, l as 1; unsure characters left out) to
    its 32 digits. A reading of another certificate's number matches a random one at about 0.35;
    a blurred reading of the number itself keeps most of its digits in order."""
    digits = uuid.replace("-", "")
    best = 0.0
    for line in header:
        if is_reference_line(line.text):
            continue
        starts = _candidates(line.text)
        read = "".join(_to_hex(char)[0] for char in line.text[starts[0] if starts else 0 :]).replace("?", "")
        if read:
            best = max(best, Indel.normalized_similarity(digits, read))
    return best


# ---------------------------------------------------------------- date and length


def fold(text: str) -> str:
    """Lower case without accents (``Duração`` -> ``duracao``, ``Eğitmenler`` -> ``egitmenler``,
    Turkish dotless ``ı`` -> ``i``): label and month words are matched folded, whatever the OCR
    model kept of their accents."""
    text = text.replace("ı", "i").replace("İ", "I")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# Month words by their first three letters, folded: English, Spanish, Portuguese, Indonesian,
# Turkish and Russian. No prefix means two different months in these languages.
_MONTHS = {
    **dict.fromkeys(("jan", "ene", "oca", "янв"), 1),
    **dict.fromkeys(("feb", "fev", "sub", "фев"), 2),
    **dict.fromkeys(("mar", "мар"), 3),
    **dict.fromkeys(("apr", "abr", "nis", "апр"), 4),
    **dict.fromkeys(("may", "mai", "mei", "мая", "маи"), 5),
    **dict.fromkeys(("jun", "haz", "июн"), 6),
    **dict.fromkeys(("jul", "tem", "июл"), 7),
    **dict.fromkeys(("aug", "ago", "agu", "agt", "agd", "авг"), 8),
    **dict.fromkeys(("sep", "set", "eyl", "сен"), 9),
    **dict.fromkeys(("oct", "out", "okt", "eki", "окт"), 10),
    **dict.fromkeys(("nov", "kas", "ноя"), 11),
    **dict.fromkeys(("dec", "dic", "dez", "des", "ara", "дек"), 12),
}
# Words between the parts of a date: "15 de agosto de 2025", "22 de ago. de 2023".
_DATE_FILLERS = {"de", "del", "of", "em", "el", "on", "tanggal", "date", "fecha", "data", "tarih", "дата", "г", "г."}
_DIGITISH = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0", "S": "5", "B": "8"})


# Latin letters that look like Cyrillic ones: a word read with Russian and English models together
# can mix them ("Aпр." with a Latin A).
_LATIN_TO_CYRILLIC = str.maketrans("AaBCcEeHKMOoPpTXxy", "АаВСсЕеНКМОоРрТХху")


def _month(token: str) -> int | None:
    if re.search(r"[а-яА-Я]", token):
        token = token.translate(_LATIN_TO_CYRILLIC)
    token = fold(token).rstrip(".")
    if len(token) < 3 or not token.isalpha():
        return None
    return _MONTHS.get(token[:3])


def _number(token: str) -> int | None:
    token = token.translate(_DIGITISH)
    return int(token) if token.isdigit() else None


def parse_date(text: str) -> date | None:
    """A printed date in any of the certificate languages -> a date: ``April 30, 2025``,
    ``Sept. 5, 2023``, ``18 Mar 2023``, ``11 de Octubre de 2022``, ``22 de ago. de 2023``,
    ``25 Temmuz 2023``, ``23 Okt. 2025``."""
    cleaned = re.sub(r"^\s*(Date|Fecha|Data|Tarih|Tanggal|Дата)\b[:\s]*", "", text, flags=re.IGNORECASE)
    # A month glued to its day (April1, 2026): the space is narrow after a word in small text.
    cleaned = re.sub(r"\b([^\W\d_]{3,}\.?)(\d{1,2},?)(?=\s|$)", r"\1 \2", cleaned)
    # A day glued to its month (4Juni 2022).
    cleaned = re.sub(r"(?<!\S)(\d{1,2})([^\W\d_]{3,}\.?)(?=\s|$)", r"\1 \2", cleaned)
    tokens = [t for t in re.split(r"[\s,]+", cleaned) if t and fold(t) not in _DATE_FILLERS]
    for i in range(len(tokens) - 2):
        a, b, c = tokens[i], tokens[i + 1], tokens[i + 2]
        month, day, year = _month(a), _number(b.rstrip(".")), _number(c.rstrip("."))
        if month is None:  # 18 Mar 2023, 15 de agosto de 2025
            month, day = _month(b), _number(a.rstrip("."))
        if month and day and year and 1 <= day <= 31 and 2000 <= year <= 2100:
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


_NUM = r"(\d+(?:[.,]\d+)?)"
_HOURS = r"hours?|hrs?|horas?|saat|jam"
_MINUTES = r"mins?|minutes?|minutos?|dakika|menit"
# (pattern, group of the number, group of the unit): English "19.5 total hours", Spanish
# "32 horas en total", Portuguese "89 horas no total", Turkish "Toplam 8 saat", Indonesian
# "12 total jam"; the old design's "8.5 hours of" / "4 horas do".
_LENGTHS = (
    re.compile(rf"{_NUM}\s*total\s*({_HOURS}|{_MINUTES})\b", re.IGNORECASE),
    re.compile(rf"{_NUM}\s*({_HOURS}|{_MINUTES})\s+(?:en|no)\s+total\b", re.IGNORECASE),
    re.compile(rf"\btoplam\s+{_NUM}\s*(saat|dakika)\b", re.IGNORECASE),
)


def parse_length(text: str) -> tuple[float | None, str | None]:
    """``19.5 total hours`` -> (19.5, text); ``45 total mins`` -> (0.75, text); the same in
    Spanish, Portuguese, Turkish and Indonesian."""
    for pattern in _LENGTHS:
        match = pattern.search(text)
        if match:
            return _hours(match.group(1), match.group(2)), re.sub(r"\s+", " ", match.group(0))
    return None, None


def _hours(number: str, unit: str) -> float:
    value = float(number.replace(",", "."))
    if re.fullmatch(_MINUTES, unit, re.IGNORECASE):
        return round(value / 60, 4)
    return value


# ---------------------------------------------------------------- language

# Words that only one language's certificate prints (folded: no accents, lower case).
_LANGUAGE_WORDS = {
    "en": r"certificate of completion|instructors?|length|total hours|total mins|certificate no|certificate url|"
    r"reference number|certify that|successfully completed|online course",
    "es": r"finalizacion|instructores|fecha|duracion|horas en total|numero de certificado|url del certificado|"
    r"numero de referencia",
    "pt": r"conclusao|instrutor(?:es)?|duracao|duragao|horas no total|do certificado|numero de referencia|"
    r"certificamos que|concluiu|com sucesso|curso online",
    "tr": r"bitirme|sertifikasi|egitmen(?:ler)?|tarih|uzunluk|toplam|sertifika no|referans|numarasi",
    "id": r"sertifikat|penyelesaian|instruktur|tanggal|durasi|total jam|nomor|referensi",
    "ru": r"сертификат[а-я]*|окончании|преподаватели|дата|продолжительность|номер",
}


def detect_language(text: str) -> str | None:
    """The certificate's language from its label and heading words, or ``None`` when none is seen.

    Spanish and Portuguese share ``numero de referencia``; English certificate words left in a
    localised certificate lose to the localised ones, which are counted twice."""
    folded = fold(text)
    scores = {}
    for language, words in _LANGUAGE_WORDS.items():
        hits = len(re.findall(rf"\b(?:{words})\b", folded))
        if hits:
            scores[language] = hits * (1 if language == "en" else 2)
    if not scores:
        return None
    return max(scores.items(), key=lambda kv: (kv[1], kv[0] == "en"))[0]


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


def repair_text(text: str, bullets: bool = False) -> str:
    """Misreads every printed name or title shares: a typographic apostrophe for the typed one
    (names and titles are typed with ``'``), a stray mark inside an acronym; with ``bullets`` (the
    instructors line), a lone ``»``, ``«``, ``*``, ``·`` or ``¢`` between words for the ``•`` that
    decorates instructor names, and a square bracket glued to the ``|`` that separates a name from
    its decoration ("Ranga Karanam [| 1.5M Learners" on a 600 px copy: the bar's edge read twice)."""
    text = text.replace("’", "'").replace("‘", "'")
    # "HT'ML5"; O'Brien and MCDONALD'S keep their apostrophe.
    text = re.sub(r"(?<=[A-Z]{2})'(?=[A-Z]{2})", "", text)
    if not bullets:
        return text
    text = re.sub(r"(?<=\s)[\[\]]\|(?=\s)|(?<=\s)\|[\[\]](?=\s)", "|", text)
    return re.sub(r"(?<=\S) [»«*·¢] (?=\S)", " • ", text)


# Rules for the technology words course titles are full of, each a misread that cannot be a
# real spelling: "APls" (acronym plural with l for I), "NodejS", "-NET"/"«NET" at a word start
# or without its dot (.NET), "ile.NET" (.NET run into a lower-case word; ASP.NET stays), "C#ile" and "C++e",
# "C#/ .NET".
_TITLE_REPAIRS = (
    # An acronym's plural: its capital I read as l, or as li ("APlis" on a screenshot).
    (re.compile(r"\b([A-Z]{2,})li?s\b"), r"\1Is"),
    (re.compile(r"(?<=[a-z])jS\b"), "JS"),
    (re.compile(r"(?<![\w.])[-«·,‚']NET\b"), ".NET"),
    (re.compile(r"(?<![\w.\-'])NET\b"), ".NET"),
    (re.compile(r"\b([a-z]+)\.NET\b"), r"\1 .NET"),
    (re.compile(r"(C#|C\+\+)(?=[a-z])"), r"\1 "),
    (re.compile(r"(?<=[#+])/ (?=\S)"), " / "),
    # HTML5's 5 read as an S (before or instead of it): "HTMLS" is no word, HTML5 is the language.
    (re.compile(r"\bHTMLS5?\b"), "HTML5"),
)


# Languages in which no word starts with "ll" (English has "llama"): there a capital I read as l
# ("lleri") is repaired.
_NO_INITIAL_LL = ("tr", "pt", "id")


def repair_title(title: str, language: str | None = None) -> str:
    title = repair_text(title)
    for pattern, replacement in _TITLE_REPAIRS:
        title = pattern.sub(replacement, title)
    if language in _NO_INITIAL_LL:
        title = re.sub(r"(?<!\w)ll(?=[a-zà-ÿ])", "Il", title)
    if language == "ru":
        title = _cyrillic_short_words(title)
    return title


# Latin letters a short Russian word ("по", "с", "на"...) is read as by a Latin model.
_CYRILLIC_LOOKS = str.maketrans("acenopxyk", "асепорхук")


def _cyrillic_short_words(title: str) -> str:
    """In a Russian title, a word of up to three lower-case Latin look-alike letters next to a
    Cyrillic word ("курс no Python") is that Cyrillic word ("по")."""
    words = title.split(" ")
    for i, word in enumerate(words):
        neighbours = words[max(0, i - 1) : i] + words[i + 1 : i + 2]
        if re.fullmatch(r"[acenopxyk]{1,3}", word) and any(re.search(r"[а-яё]", n, re.IGNORECASE) for n in neighbours):
            words[i] = word.translate(_CYRILLIC_LOOKS)
    return " ".join(words)


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
    text = re.sub(rf"^\s*(?:{INSTRUCTOR_LABEL})\b[:\s]*", "", text, flags=re.IGNORECASE)
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
    return [repair_honorific(name) for name in names]


# A name's "Dr." read with an O for its D: "Or." is no honorific, and a name does not begin with it.
_OR_FOR_DR = re.compile(r"^Or\.(?=\s+[A-Z])")


def repair_honorific(name: str) -> str:
    """``name`` with a misread "Dr." at its start put right ("Or. Angela Yu")."""
    return _OR_FOR_DR.sub("Dr.", name)


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
    # The "Instructors" label was found: it bounds the title (the heading, when it was not).
    has_instructors_label: bool = False
    # The lines the title and the student's name were read from (the reader reads them again).
    title_lines: list[Line] = field(default_factory=list)
    student_line: Line | None = None


def _squash(text: str) -> str:
    return re.sub(r"[^A-ZА-Я]", "", text.upper())


_HEADING_WORDS = (
    "CERTIFICA",
    "COMPLETION",
    "OFCOMPLET",
    "SERTIFIKA",
    "BITIRME",
    "CONCLUS",
    "FINALIZA",
    "PENYELESAIAN",
    "СЕРТИФИКАТ",
    "ОКОНЧАНИИ",
)


def is_heading(line: Line) -> bool:
    squashed = _squash(fold(line.text))
    return any(word in squashed for word in _HEADING_WORDS)


# The label words of the current design in English, Spanish, Portuguese, Turkish and Indonesian,
# folded (Eğitmenler -> egitmenler, Duração -> duracao; "Duragao" is how OCR reads the cedilla).
INSTRUCTOR_LABEL = (
    r"[il|]nstru(?:ctors?|ctores|ctoras?|tores|tor|ktur)|egitmen(?:ler)?|eğitmen(?:ler)?|преподавател[а-я]*"
)
DATE_WORDS = ("date", "fecha", "data", "tarih", "tanggal", "дата")
INSTRUCTOR_WORDS = (
    "instructors",
    "instructor",
    "instructores",
    "instrutores",
    "instrutor",
    "egitmenler",
    "instruktur",
    "преподаватели",
)
DATE_LABEL = "|".join(DATE_WORDS)
LENGTH_LABEL = r"length|dura[a-z]*|uzunluk|продолжительность"


def labelled_value(line: Line) -> tuple[str, date | float | None] | None:
    """For the date or the length line (told by its label): which one it is and its value, ``None``
    when the value does not parse; ``None`` for any other line."""
    if _label(line, DATE_LABEL, DATE_WORDS):
        return "date", parse_date(line.text)
    if _label(line, LENGTH_LABEL):
        return "length", parse_length(line.text)[0]
    return None


def value_misread(line: Line) -> bool:
    """Whether ``line`` is the date or the length line by its label but its value does not parse
    (a glyph misread, such as ``Feb. '7, 2022``): worth reading again."""
    found = labelled_value(line)
    return found is not None and found[1] is None


def _label(line: Line, pattern: str, words: tuple[str, ...] = ()) -> bool:
    first = fold(line.words[0].text) if line.words else ""
    if re.fullmatch(rf"(?:{pattern})[:.]?", first):
        return True
    # One misread letter in a long label word ("Tarin" for "Tarih", "Fecka" for "Fecha").
    word = first.rstrip(":.")
    return len(word) >= 5 and any(len(label) >= 5 and _one_edit(word, label) for label in words)


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one substituted, inserted or dropped letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _strip_label(line: Line) -> tuple[Word, ...]:
    return line.words[1:]


# An isolated dash wider than this many x-heights is an en dash, narrower a hyphen. Measured ink
# widths: hyphens 0.45-0.58 x-heights (generated serif and sans titles, real titles), en dashes 0.69-1.1.
EN_DASH_MIN_WIDTH = 0.64
DASHES = ("-", "–", "—", "=")


def is_dash(text: str) -> bool:
    """A token that is only dash strokes ("-", "—-", "="): one printed dash."""
    return bool(text) and all(char in DASHES for char in text)


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
    a part and followed only by digits is a zero; ``0O`` side by side is one zero read twice.
    ``O365`` (O first) and words stay as they are."""
    core = token.strip("()[],.:;")
    # A lower-case o between a capital and digits is the same round glyph ("CLF-Co2").
    core_read = re.sub(r"(?<=[A-Z])o(?=\d)", "O", core)
    if not _CODE.fullmatch(core_read) or not re.search(r"\d", core_read):
        return token
    token, core = token.replace(core, core_read), core_read
    parts = []
    for part in core.split("-"):
        # One round glyph read twice, as a zero and as a letter ("C0O3" for C03): a code never
        # mixes the two side by side.
        part = re.sub(r"(?<=[A-Z])(?:0O|O0)(?=\d)", "0", part)
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
    while words and _is_speck(words[-1]):
        words.pop()
    kept = []
    for word in words:
        text = word.text
        if is_dash(text):
            kept.append(dash_of(word, line.x_height))
            continue
        if not re.search(r"[\w#+&|/:–—-]", text) and word.confidence < 0.8:
            continue
        if text.rstrip(",:") == "Al":  # "AI" in a title; Tesseract reads the capital I as l
            text = "AI" + text[2:]
        kept.append(text)
    return " ".join(kept).replace("—", "–")


def _is_speck(word: Word) -> bool:
    """A trailing speck: a one-character mark, not a letter or digit, Tesseract was unsure of as a
    glyph. Its confidence in the word also holds its doubt about the space before it, which says
    nothing of a speck: the 6 of "Qt 6" read 0.64 (and 0.14) with its glyph at 0.97. A letter or a
    digit ends many titles ("Qt 6", "Module 7", "with R"): of 391 one-character tokens ending a
    title line on about 1000 generated and real pages, none was a speck, and the 8 a glyph rule
    dropped were the title's own 6 and 7 (glyphs at 0.91-0.95), two of them giving a wrong title."""
    own = glyph_confidence(word)
    unsure = (own if own is not None else word.confidence) < 0.75
    return len(word.text) == 1 and not word.text.isalnum() and unsure and word.text not in "+#-–—"


def _instructor_group(lines: list[Line], instr: int, date_i: int | None, scale: float) -> list[Line]:
    """The instructors label line ``lines[instr]`` and the small lines right below it that
    continue it (``lines`` sorted top to bottom), up to the date line."""
    group = [lines[instr]]
    for ln in lines[instr + 1 : date_i if date_i is not None else len(lines)]:
        if ln.height >= 38 * scale or ln.box[1] - lines[instr].box[3] > 90 * scale:
            break
        group.append(ln)
    return group


def instructor_words(group: list[Line]) -> list[Word]:
    """The words of the instructors' names on ``group`` (``instructor_lines``): the label line
    without its label, then each continuation line."""
    return [*_strip_label(group[0]), *(w for ln in group[1:] for w in ln.words)] if group else []


def names_of(words: list[Word]) -> list[str]:
    """The instructors the words of their lines (``instructor_words``) name, repaired and split."""
    return split_instructors(repair_text(" ".join(w.text for w in words), bullets=True))


def instructor_lines(lines: list[Line], page_width: int = 1600) -> list[Line]:
    """The lines ``parse_body`` takes the instructors from: the small label line and its
    continuation lines, top to bottom (none without a label line)."""
    lines = sorted((ln for ln in lines if ln.words), key=lambda ln: (ln.box[1], ln.box[0]))
    scale = page_width / 1600
    small = [ln.height < 38 * scale for ln in lines]
    instr = next((i for i, ln in enumerate(lines) if small[i] and _label(ln, INSTRUCTOR_LABEL, INSTRUCTOR_WORDS)), None)
    if instr is None:
        return []
    date_i = next((i for i, ln in enumerate(lines) if small[i] and _label(ln, DATE_LABEL, DATE_WORDS)), None)
    if date_i is None or date_i < instr:
        date_i = next((i for i in range(instr + 1, len(lines)) if small[i] and parse_date(lines[i].text)), None)
    return _instructor_group(lines, instr, date_i, scale)


def _student_line(lines: list[Line], instr: int | None, date_i: int | None, big: float) -> Line | None:
    """The student's name: the nearest big line above the date label (below the instructors)."""
    if date_i is None:
        return None
    above = lines[(instr + 1 if instr is not None else 0) : date_i]
    return next((ln for ln in reversed(above) if ln.height >= big * 0.9), None)


def title_of(lines: list[Line], language: str | None = None) -> str | None:
    """The title printed on ``lines`` (top to bottom), joined and repaired."""
    # Tesseract reads the en dash of titles as an em dash; Udemy titles use the en dash.
    title = join_title([_clean_title_line(ln) for ln in lines])
    # After the join: a code can be wrapped after its hyphen (CLF- / CO2).
    title = repair_title(" ".join(repair_code(token) for token in title.split(" ")), language)
    # A dash kept at the end of a wrapped line is not the title's end ("Python Bootcamp -").
    return re.sub(r"\s[-–]$", "", title) or None


def student_of(line: Line) -> str | None:
    """The student's name printed on ``line``."""
    return repair_text(re.sub(r"\s+", " ", line.text).strip()) or None


def parse_body(lines: list[Line], page_width: int = 1600, language: str | None = None) -> BodyFields:
    """Fields from the body lines (top to bottom) of a current-design certificate in ``language``
    (when known)."""
    out = BodyFields()
    lines = sorted((ln for ln in lines if ln.words), key=lambda ln: (ln.box[1], ln.box[0]))
    scale = page_width / 1600
    big = 38 * scale  # the title and the student name are far taller than the labels

    heading = next((i for i, ln in enumerate(lines) if is_heading(ln)), None)
    out.has_heading = heading is not None
    # A label line is small: a big title line may start with "Data" (Portuguese for the date label).
    small = [ln.height < big for ln in lines]
    instr = next((i for i, ln in enumerate(lines) if small[i] and _label(ln, INSTRUCTOR_LABEL, INSTRUCTOR_WORDS)), None)
    date_i = next((i for i, ln in enumerate(lines) if small[i] and _label(ln, DATE_LABEL, DATE_WORDS)), None)
    if date_i is None and (instr is not None or heading is not None):
        # A misread label ("Oate") on a page whose layout is known: the small line that is a date.
        after = (instr + 1) if instr is not None else heading + 1 if heading is not None else 0
        date_i = next((i for i in range(after, len(lines)) if small[i] and parse_date(lines[i].text)), None)
    length_i = next(
        (i for i, ln in enumerate(lines) if small[i] and _label(ln, LENGTH_LABEL) and parse_length(ln.text)[0]),
        None,
    )
    out.has_labels = any(i is not None for i in (instr, date_i, length_i))
    out.has_instructors_label = instr is not None

    # Title: the big lines after the heading, before "Instructors".
    start = heading + 1 if heading is not None else 0
    stop = instr if instr is not None else (date_i if date_i is not None else len(lines))
    # Without the instructors label the title runs to the date label: the student's name, the big
    # line right above that label, is not the title's last line.
    student_line = _student_line(lines, instr, date_i, big)
    title_lines = [ln for ln in lines[start:stop] if ln.height >= big and ln is not student_line]
    if title_lines and (heading is not None or instr is not None):
        out.title = title_of(title_lines, language)
        out.title_lines = title_lines
        out.confidence["title"] = mean_confidence([w for ln in title_lines for w in ln.words])

    # Instructors: the rest of the label line plus small continuation lines right below it.
    if instr is not None:
        words = instructor_words(_instructor_group(lines, instr, date_i, scale))
        names = names_of(words)
        if names:
            out.instructors = names
            # The names' letters: a mark between a name and its decoration ("•", read as "¢" at
            # 0.2) is set by the repair, whatever the engine made of it.
            lettered = [w for w in words if any(char.isalnum() for char in w.text)]
            out.confidence["instructors"] = mean_confidence(lettered or words)

    if student_line is not None:
        out.student = student_of(student_line)
        out.student_line = student_line
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


# ---------------------------------------------------------------- the old ornate design (2016-2020)


@dataclass
class OldSentence:
    student: str | None = None
    title: str | None = None
    completed_on: date | None = None
    length_hours: float | None = None
    length_text: str | None = None
    language: str | None = None


_SP = r"\s+"
_OLD_LENGTH = rf"(?P<len>\d+(?:[.,]\d+)?){_SP}(?P<unit>(?:total{_SP})?(?:hours?|horas?|mins?|minutes?|minutos?))"
_OLD_SENTENCES = (
    (
        "en",
        re.compile(
            rf"certify{_SP}that{_SP}(?P<student>.+?){_SP}successfully{_SP}completed{_SP}"
            rf"(?:{_OLD_LENGTH}{_SP}of{_SP}(?P<title>.+){_SP}online{_SP}course"
            rf"|the{_SP}online{_SP}course{_SP}(?P<title2>.+?))"
            rf"{_SP}on{_SP}(?P<date>[^\W\d_]{{3,}}\.?{_SP}\d{{1,2}},?{_SP}\d{{4}})",
            re.IGNORECASE,
        ),
    ),
    (
        "pt",
        re.compile(
            rf"certificamos{_SP}que{_SP}(?P<student>.+?){_SP}concluiu{_SP}com{_SP}sucesso{_SP}"
            rf"(?:{_OLD_LENGTH}{_SP}do{_SP}curso{_SP}online{_SP}(?P<title>.+?)"
            rf"|o{_SP}curso{_SP}online{_SP}(?P<title2>.+?))"
            rf"{_SP}em{_SP}(?P<date>\d{{1,2}}{_SP}de{_SP}[^\W\d_]{{3,}}\.?{_SP}de{_SP}\d{{4}})",
            re.IGNORECASE,
        ),
    ),
)


def parse_old_sentence(text: str) -> OldSentence:
    """The one centred sentence of the old design, in English or Portuguese:
    ``This is to certify that <student> successfully completed <N> hours of <title> online course
    on <Month D, YYYY>``, ``... successfully completed the online course <title> on <date>``,
    ``Certificamos que <student> concluiu com sucesso <N> horas do curso online <title> em <D de
    Month de YYYY>``. A sentence that does not match gives empty fields, not guesses."""
    sentence = re.sub(r"\s+", " ", text).strip()
    for language, pattern in _OLD_SENTENCES:
        match = pattern.search(sentence)
        if not match:
            continue
        out = OldSentence(language=language)
        out.student = repair_text(match.group("student").strip(" ,")) or None
        out.title = repair_title((match.group("title") or match.group("title2") or "").strip(), language) or None
        out.completed_on = parse_date(match.group("date"))
        if match.group("len"):
            unit = match.group("unit")
            out.length_hours = _hours(match.group("len"), unit.split()[-1])
            out.length_text = f"{match.group('len')} {unit}"
        return out
    return OldSentence(language=detect_language(sentence))


_CAPTION = re.compile(
    # The caption word with OCR noise in its tail ("InstrutB8N") still ends the name before it.
    r"\s*(?P<name>.+?)\s*,\s*(?:instruct\w*|instrut\w*|instruktur|egitmen)\b",
    re.IGNORECASE,
)


def caption_instructors(text: str) -> list[str]:
    """The instructors from the old design's printed signature captions, ``<Name>, Instructor``
    (several on one line): the comma is the caption's, so a name is everything before it."""
    names = []
    for match in _CAPTION.finditer(fold_keep_case(text)):
        start, end = match.span("name")
        name = repair_honorific(repair_text(re.sub(r"^[^\w]+", "", text[start:end]).strip(), bullets=True))
        if name:
            names.append(name)
    return names


def fold_keep_case(text: str) -> str:
    """``text`` with its accents dropped, one character for one (spans stay valid)."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char.replace("ı", "i"))
        stripped = "".join(c for c in base if not unicodedata.combining(c))
        out.append(stripped if len(stripped) == 1 else char)
    return "".join(out)


UC_PREFIX = r"U\s*[CcG]\s*[-–—~]\s*"  # "UC-" as printed before a number (read as Uc-, UG-, UC–)
UC_MARK = re.compile(UC_PREFIX)
# A character the engine was unsure of (``?``) may stand in the id: that reading abstains there
# (on ``MOST_UNSURE_SHORT_ID`` of its characters at most).
SHORT_ID = re.compile(UC_PREFIX + r"([A-Z0-9?]{8})(?![A-Za-z0-9?-])")
SHORT_ID_RUN_ON = re.compile(UC_PREFIX + r"([A-Z0-9?]{8})")
SHORT_ID_ONE_TOO_MANY = re.compile(UC_PREFIX + r"([A-Z0-9?]{9})(?![A-Za-z0-9?-])")
# The short id has capitals and digits only: a lower-case l in it is an I or a 1, set by its shape.
SHORT_ID_LETTERS = str.maketrans({"l": "I"})
# Look-alikes the glyph's shape decides (``glyph_shape``), not the reading: compared as one.
SHAPE_DECIDES = str.maketrans({"O": "0", "I": "1"})
MOST_UNSURE_SHORT_ID = 2
FULL_NUMBER = re.compile(UC_PREFIX + r"\S{8}\s*[-–—~]\s*\S{4}\s*[-–—~]")  # UC-8-4-..., a UUID


def is_url_line(text: str) -> bool:
    """Whether a line printing the number is its url line (``ude.my/UC-...``), not its number line."""
    return re.search(r"ude|url|/\s*U", text, re.IGNORECASE) is not None


# An alternative another character of the id alphabet scored at least this share of the read
# character's confidence (0/O, 1/I, 5/S, 8/S, 8/B, 9/S in the tiny old-design print): the position is
# ambiguous and the id is not given (a wrong id is worse than none).
SHORT_ID_RIVAL_SHARE = 0.7
# Letters and digits that look alike in that print (the only near ties that count as ambiguous).
LOOKALIKES = ("0O", "0D", "0Q", "1I", "5S", "9S", "8S", "8B", "2Z", "6G")


def _rivals(read: str, alternatives: tuple[tuple[str, float], ...]) -> set[str]:
    """The look-alike id characters the engine nearly read instead of ``read``."""
    top = max((conf for char, conf in alternatives if char == read), default=0.0)
    if top <= 0:
        return set()
    return {
        char
        for char, conf in alternatives
        if char != read and {char, read} in _LOOKALIKE_SETS and conf >= SHORT_ID_RIVAL_SHARE * top
    }


_LOOKALIKE_SETS = [set(pair) for pair in LOOKALIKES]
EXTRA_GLYPHS = "?I1lJL|"  # what a glyph split in two or a speck beside one is read as


def _extra_glyph(chars: str, k: int) -> bool:
    """Whether the character at ``k`` of a reading one character too long looks like an extra
    glyph: an unsure one, a stroke, or its neighbour read twice (0 and O, 1 and I alike)."""
    char = chars[k].translate(SHAPE_DECIDES)
    beside = [chars[i].translate(SHAPE_DECIDES) for i in (k - 1, k + 1) if 0 <= i < len(chars)]
    return chars[k] in EXTRA_GLYPHS or char in beside


def _one_left_out(chars: str, clean: set[str]) -> tuple[str, int] | None:
    """The reading of a short id one character too long (``chars``) with its extra glyph left
    out, and where that was, or ``None``. Leaving out the character must give a clean reading of
    another line (``clean``), and only one such: read alike; else with 0 or O, 1 or I alike (their
    glyphs' shapes decide them); else with a character either reading left unsure matching any,
    where the reading that keeps the most characters sure is the one ("JYIZ5?0V8" beside
    "JYIZ?0V8" is "JYIZ50V8"). The character left out must look like an extra glyph
    (``_extra_glyph``); a way of matching that only leaves out others gives way to the next."""
    alike = {reading.translate(SHAPE_DECIDES) for reading in clean}

    def unsure_alike(left_out: str) -> bool:
        return any(all(a == b or "?" in (a, b) for a, b in zip(left_out, reading, strict=True)) for reading in alike)

    tests: tuple[Callable[[str], bool], ...] = (
        lambda left_out: left_out in clean,
        lambda left_out: left_out.translate(SHAPE_DECIDES) in alike,
        lambda left_out: unsure_alike(left_out.translate(SHAPE_DECIDES)),
    )
    for matches in tests:
        shorter = {
            left_out: k
            for k in range(len(chars))
            if matches(left_out := chars[:k] + chars[k + 1 :]) and _extra_glyph(chars, k)
        }
        if shorter:
            fewest = min(left_out.count("?") for left_out in shorter)
            surest = [(left_out, k) for left_out, k in shorter.items() if left_out.count("?") == fewest]
            return surest[0] if len(surest) == 1 else None
    return None


def _inside_id(text: str, i: int) -> bool:
    """Whether the space at ``i`` is inside ``UC - XXXX XXXX`` (after U, around the dash, or
    between two runs of id characters that make 8 together)."""
    before, after = text[:i].rstrip(), text[i:].lstrip()
    if not before or not after:
        return False
    if before.endswith("U") or after[0] in "-–—~" or before[-1] in "-–—~":
        return True
    head = re.search(UC_PREFIX + r"([A-Z0-9]+)$", before)
    tail = re.match(r"[A-Z0-9]+", after)
    return bool(head and tail and len(head.group(1)) + len(tail.group(0)) == 8)


# 0/O and 1/I in the old design's id are told apart by the glyph's shape, never by the engine's
# reading (it reads 0 next to digits and O next to letters): O is about as wide as tall, 0 a tall
# oval; I a bar, 1 a bar with a flag (and often a foot). Width over height of the glyph's box:
ZERO_AT_MOST, LETTER_O = 0.70, (0.82, 1.0)
LETTER_I_AT_MOST, ONE = 0.33, (0.42, 0.75)
# A glyph box whose height is off the id's usual cap height by more than this share is two glyphs
# run together or a fragment: its shape tells nothing.
GLYPH_HEIGHT_TOLERANCE = 0.15


def glyph_shape(char: str, box: tuple[int, int, int, int] | None, cap_height: float) -> str | None:
    """``char`` as its glyph's shape shows it: 0 or O, 1 or I (``None`` when the box cannot
    tell); any other character as read."""
    if char not in "0O1I":
        return char
    if box is None or cap_height <= 0:
        return None
    width, height = box[2] - box[0], box[3] - box[1]
    if height <= 0 or abs(height - cap_height) > GLYPH_HEIGHT_TOLERANCE * cap_height:
        return None
    aspect = width / height
    if char in "0O":
        if aspect <= ZERO_AT_MOST:
            return "0"
        return "O" if LETTER_O[0] <= aspect <= LETTER_O[1] else None
    if aspect <= LETTER_I_AT_MOST:
        return "I"
    return "1" if ONE[0] <= aspect <= ONE[1] else None


def _confidence_of_span(line: Line, first: int, last: int) -> float:
    """The mean confidence of the words of ``line`` that hold its characters ``first`` to ``last``
    (of ``line.text``): a number's reading is as sure as its own words, whatever marks of the
    border or the seal the line also read."""
    words, start = [], 0
    for word in line.words:
        end = start + len(word.text)
        if start <= last and end > first:
            words.append(word)
        start = end + 1
    return mean_confidence(words) if words else line.confidence


def pick_short_id(lines: list[Line]) -> tuple[str | None, float]:
    """The old design's 8-character id (``UC-Z2YLWUKN``) from its number and URL lines, voted per
    character over every reading. 0/O and 1/I are decided by the glyph's shape (``glyph_shape``),
    and only when both lines were read. The id is ``None`` when a glyph's shape cannot tell, when the
    engine's alternatives show a near tie between other look-alikes (5/S, 8/B, ...) unless every
    reading, on both lines, prints the same character there, or when the readings disagree at some
    position: where both lines were read, each line that prints a character there must print the one
    voted (two printings of one id that differ leave it unread, whatever the readings weigh). A
    reading run on into other marks ("UC-ZYOQUO9LZe", the seal's ribbon after a long url line) counts
    only where it reads as a clean one does. A character the engine (or a shape check) left unsure,
    ``?``, abstains, and the vote there must be one of the engine's alternatives for it; a lower-case
    l is an I or a 1 by its shape. A reading one character too long ("UC-1ENTHIJXJ", a J read as
    "IJ") counts where leaving out one of its characters gives another line's clean reading (a
    character either left unsure matching any: ``_one_left_out``), and only where the character
    left out looks like an extra glyph: an unsure one, a stroke (I, 1, l,
    J, L, |) or its neighbour again ("3YCXKAH1O" is no reading of "3YCKAH1O": the X may be the id's
    own glyph and the K the misread). Each reading weighs as much as the engine's confidence in the
    words that print the id."""
    readings: list[tuple[str, float]] = []
    reading_kinds: list[str] = []  # the kind of line each of ``readings`` is on
    rivals: list[set[str]] = [set() for _ in range(8)]
    # For each position, the alternatives of each reading unsure of its character there: the vote
    # must be one of them.
    unsure: list[list[set[str]]] = [[] for _ in range(8)]
    # Each reading of the id: its line, where its 8 characters are in the line's text, what they
    # read, and whether it stands alone (not run on into other marks).
    found: list[tuple[Line, list[int], str, bool]] = []
    # Readings one character too long ("UC-1ENTHIJXJ": a J read as "IJ").
    too_long: list[tuple[Line, list[int], str]] = []
    for line in lines:
        text = line.text
        if is_reference_line(text) and "UC" not in text:
            continue
        # Spaces inside "UC - X" or the id ("OT DBM50F") are dropped; ``kept`` maps back to ``text``.
        kept = [i for i, char in enumerate(text) if not char.isspace() or not _inside_id(text, i)]
        squeezed = "".join(text[i] for i in kept).translate(SHORT_ID_LETTERS)
        longer = SHORT_ID_ONE_TOO_MANY.search(squeezed)
        if longer:
            too_long.append((line, [kept[longer.start(1) + pos] for pos in range(9)], longer.group(1)))
            continue
        match = SHORT_ID.search(squeezed) or SHORT_ID_RUN_ON.search(squeezed)
        if match and match.group(1).count("?") <= MOST_UNSURE_SHORT_ID:
            at = [kept[match.start(1) + pos] for pos in range(8)]
            found.append((line, at, match.group(1), match.re is SHORT_ID))
    clean = {chars for _, _, chars, alone in found if alone}
    for line, at, chars in too_long:
        shorter = _one_left_out(chars, clean)
        if shorter is not None:
            chars8, k = shorter
            found.append((line, at[:k] + at[k + 1 :], chars8, True))
    for line, at, chars, alone in found:
        # An id run on into other marks (the seal's ribbon after a long url line) counts only
        # where it reads as a clean reading of another line does.
        if alone or chars in clean:
            text, choices, boxes = line.text, line.char_choices, line.char_boxes
            heights = sorted(b[3] - b[1] for b in (boxes[i] for i in at) if b is not None)
            cap_height = float(heights[len(heights) // 2]) if heights else 0.0
            value = ""
            for pos, i in enumerate(at):
                char = chars[pos]
                shape = glyph_shape(char, boxes[i], cap_height)
                value += shape or "?"
                if char == "?":
                    unsure[pos].append({alt for alt, conf in choices[i] if conf > 0})
                elif char not in "0O1I":
                    rivals[pos] |= _rivals(char, choices[i])
            readings.append((value, max(_confidence_of_span(line, at[0], at[-1]), 0.05)))
            reading_kinds.append("url" if is_url_line(text) else "number")
    kinds = set(reading_kinds)
    if not readings:
        return None, 0.0
    if len(kinds) < 2 and any(c in "0O1I?" for value, _ in readings for c in value):
        return None, 0.0  # a look-alike's shape read on one line only is too little evidence
    voted = []
    weakest = 1.0
    for pos in range(8):
        # A look-alike whose glyph could not be measured on one reading abstains there.
        scores: dict[str, float] = {}
        for value, conf in readings:
            if value[pos] != "?":
                scores[value[pos]] = scores.get(value[pos], 0.0) + conf
        if not scores:
            return None, 0.0
        total = sum(scores.values())
        char, score = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
        # A near tie on some reading is outvoted only by every reading, on both lines, printing the same.
        tie = bool(rivals[pos] - {char}) and (len(scores) > 1 or len(kinds) < 2)
        if score / total < MIN_POSITION_SHARE or tie or any(char not in alts for alts in unsure[pos]):
            return None, 0.0
        for kind in kinds:
            printed = {value[pos] for (value, _), on in zip(readings, reading_kinds, strict=True) if on == kind}
            if printed - {"?"} and char not in printed:
                return None, 0.0
        voted.append(char)
        weakest = min(weakest, score / total)
    best = max(conf for _, conf in readings)
    agreement = 0.5 + best / 2 if len(kinds) >= 2 else best * 0.8
    return "".join(voted), round(min(1.0, agreement * weakest), 3)
