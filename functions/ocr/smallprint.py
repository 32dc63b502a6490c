"""Names in small print on small copies: read again, and given only where the readings agree.

On a copy narrower than 1000 px (a website's 600x448 thumbnail, a 720-900 px screenshot) the
instructors' names are a few pixels high, and Tesseract misreads some of them with high
confidence, the same way at every size now and then. A name is therefore given only when
readings of its print at more than one size agree, word for word, and none of its letters is one
the engine doubted:

* the current design's instructors line is read again, enlarged 1.5 and 2 times (and 2.5 times
  where they differ), without a letter the engine doubted (``doubtful_letter``: at 600 px the dot
  of an i is blurred into its stem, and an i read as l is the commonest misread); each word is the
  one all readings but one give (``agreed_words``);
* the old design's captions (``<Name>, Instructor`` under each signature) are cut apart and each
  is read on its own: the caption band's reading must be confirmed cut by cut, else each cut read
  enlarged 1.5 and 2 times must give the same names, with no letter a near tie (``near_tie``).

The helpers here take readings (``Line``, ``Word``) and measure the page; the reader reads.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from PIL import Image

from functions.ocr.parse import Line, Word, repair_honorific, repair_text

# The old design's captions are centred under their signatures: a run of empty columns wider than
# this (page pixels, at the 1600 px width) parts two of them. Measured on 144 generated copies at
# 600x448: runs inside a caption up to 21 px (a blurred thin letter falls under the ink level),
# between captions 26 px or more; the real certificate with three captions has 24 px between them at
# full size. Captions a cut leaves together still read as such (``caption_names``).
CAPTION_GAP = 24
MIN_CAPTION_WIDTH = 10  # px: narrower ink is a speck, not a caption
CAPTION_WORDS = ("instructor", "instrutor", "instruktur", "egitmen")
# The caption word as read on a small copy ("Inatructr", "Instrator"): this close to one of
# ``CAPTION_WORDS`` (difflib's ratio).
CAPTION_WORD_LIKENESS = 0.6


@dataclass(frozen=True)
class CaptionName:
    """The name one caption gives and its nearest tie: the largest share of a letter's own
    confidence that another character scored for it."""

    name: str
    near_tie: float


def caption_segments(page: Image.Image, box: tuple[int, int, int, int], ink_level: int) -> list[tuple[int, int]]:
    """The left and right edges (page pixels) of each caption printed in ``box`` (one band of
    captions): runs of inked columns, runs closer than ``CAPTION_GAP`` joined."""
    strip = page.crop(box).point(lambda v: 255 if v < ink_level else 0)
    columns = strip.resize((strip.width, 1), Image.Resampling.BOX).tobytes()
    runs: list[list[int]] = []
    for x, value in enumerate(columns):
        if not value:
            continue
        if runs and x - runs[-1][1] <= CAPTION_GAP:
            runs[-1][1] = x + 1
        else:
            runs.append([x, x + 1])
    return [(box[0] + left, box[0] + right) for left, right in runs if right - left > MIN_CAPTION_WIDTH]


def caption_names(lines: list[Line]) -> list[CaptionName] | None:
    """The names of the captions in one cut of a caption band read on its own (``lines``: its
    reading), each ``<Name>, <caption word>``: usually one, two or more where the cut left
    captions together; ``None`` when the reading is not made of captions. The comma may be read as
    a period ("TakenMind Internship. Instructor") and the caption word misread ("Inatructr")."""
    names: list[CaptionName] = []
    held: list[Word] = []
    for word in (w for ln in lines for w in ln.words):
        if held and _is_caption_word(word.text) and re.search(r"[,.]$", held[-1].text):
            name = repair_text(
                re.sub(r"[\s,.]+$", "", re.sub(r"^\W+", "", " ".join(w.text for w in held))), bullets=True
            )
            if not re.search(r"\w", name):
                return None
            names.append(CaptionName(repair_honorific(name), near_tie(held)))
            held = []
        else:
            held.append(word)
    if any(re.search(r"\w", w.text) for w in held):
        return None  # words after the last caption word: not a caption's end
    return names or None


def _is_caption_word(text: str) -> bool:
    word = re.sub(r"\W", "", text).lower()
    return (
        max(difflib.SequenceMatcher(None, word, caption).ratio() for caption in CAPTION_WORDS) >= CAPTION_WORD_LIKENESS
    )


def near_tie(words: list[Word]) -> float:
    """The largest share of a character's own confidence that another character scored for it,
    over ``words`` (read with ``choices``): 1.0 is a tie, 0.0 no rival at all."""
    nearest = 0.0
    for word in words:
        for char, alternatives in _with_choices(word):
            nearest = max(nearest, _rival_share(char, alternatives))
    return nearest


def _with_choices(word: Word) -> list[tuple[str, tuple[tuple[str, float], ...]]]:
    """Each character of ``word`` with its alternatives (none when they do not align)."""
    return list(zip(word.text, word.choices, strict=True)) if len(word.choices) == len(word.text) else []


def _rival_share(char: str, alternatives: tuple[tuple[str, float], ...], rival: str | None = None) -> float:
    """The share of ``char``'s confidence that another character (``rival`` only, when given)
    scored among ``alternatives``."""
    own = max((conf for c, conf in alternatives if c == char), default=0.0)
    if own <= 0:
        return 0.0
    other = max((conf for c, conf in alternatives if c != char and (rival is None or c == rival)), default=0.0)
    return other / own


# An l the engine gave an i this share of the l's own confidence or more is not taken for an l. From
# recorded readings of 291 small current-design copies: at 0.7 it took out 3 of the 6 lists the
# rereads alone left wrong ("Neagole", "Bulldwith", "Nell") and no right one; at 0.6, 2 right ones.
L_FOR_I_SHARE = 0.7


def doubtful_letter(words: list[Word]) -> bool:
    """Whether some letter of ``words`` (read with ``choices``) is one the engine doubted: its own
    alternatives score another character as high as it or higher (the word's decoding picked it
    from the context: "Andrei" whose i the engine scored 0.65 and an l 0.77), or it is an ``l``
    whose ``i`` scored ``L_FOR_I_SHARE`` of it or more. At 600 px the dot of an i blurs into its
    stem: on the 600x448 ones of 291 small current-design copies 16 i were read as l and 5 l as i,
    of 460 i and l (none on the 720-900 px screenshots)."""
    for word in words:
        for char, alternatives in _with_choices(word):
            if _rival_share(char, alternatives) >= 1.0:
                return True
            if char == "l" and _rival_share(char, alternatives, "i") >= L_FOR_I_SHARE:
                return True
    return False


# A letter another character scored at least this share of its own confidence is swapped for that
# rival in a candidate the names network weighs (``rival_variants``).
RIVAL_SHARE = 0.3
MAX_VARIANTS = 12


def rival_variants(words: list[Word]) -> list[list[Word]]:
    """``words`` as read, then with each letter that has a rival (``RIVAL_SHARE``) swapped for it,
    one at a time, the closest rivals first (at most ``MAX_VARIANTS``)."""
    swaps: list[tuple[float, int, int, str]] = []
    for w, word in enumerate(words):
        for c, (char, alternatives) in enumerate(_with_choices(word)):
            for rival, _conf in alternatives:
                if _may_swap(char, rival) and _rival_share(char, alternatives, rival) >= RIVAL_SHARE:
                    swaps.append((_rival_share(char, alternatives, rival), w, c, rival))
    variants = [words]
    for _share, w, c, rival in sorted(swaps, reverse=True)[:MAX_VARIANTS]:
        text = words[w].text
        changed = replace(words[w], text=text[:c] + rival + text[c + 1 :])
        variants.append([*words[:w], changed, *words[w + 1 :]])
    return variants


def _may_swap(char: str, rival: str) -> bool:
    """Whether ``rival`` may stand for ``char`` in a candidate: another visible character, not the
    same letter's other case or a capital I for a small l (or the reverse). In sans type I and l are
    one stroke and a capital's size is the context's to tell: the network, shown "De la torre" and
    "De Ia torre", preferred the capital on 3 of 3 small copies."""
    if rival == char or not rival.strip():
        return False
    return not (char.isalpha() and rival.isalpha() and char.isupper() != rival.isupper())


def mixed_script(words: list[str]) -> bool:
    """Whether a name of ``words`` (names are parted by commas) mixes Latin and Cyrillic letters:
    a Russian name read partly with Latin look-alikes ("Илья Kum" for "Илья Ким")."""
    for name in " ".join(words).split(","):
        scripts = {unicodedata.name(char, "").split(" ")[0] for char in name if char.isalpha()}
        if {"LATIN", "CYRILLIC"} <= scripts:
            return True
    return False


def name_words(words: list[Word]) -> list[str]:
    """``words`` as the names are compared: repaired as the instructors are, split at spaces."""
    return repair_text(" ".join(w.text for w in words), bullets=True).split()


def agreed_words(readings: list[list[str]], sure: list[list[bool]] | None = None) -> list[str] | None:
    """The words of a line that all ``readings`` of it but one give, place by place (each reading
    a list of words, as ``name_words`` makes it), or ``None`` where a place has no such word or the
    readings part the line into different numbers of words. The first reading has no casting vote:
    a copy enlarged further often reads right what the page's own reading got wrong ("Ellas" read
    once, "Elias" three times). With ``sure`` (for each reading, whether the engine was sure of
    each word), a reading abstains where it was not: the word is then the one all the sure
    readings there but one give (the only one, if one alone; two that differ give none), and no
    word where none is sure."""
    length, count = Counter(len(words) for words in readings).most_common(1)[0]
    if count < len(readings) - 1:
        return None
    alike = [k for k, words in enumerate(readings) if len(words) == length]
    others = len(readings) - len(alike)  # parted differently: against every word
    agreed: list[str] = []
    for place in range(length):
        voters = [k for k in alike if sure is None or sure[k][place]]
        if not voters:
            return None
        word, votes = Counter(readings[k][place] for k in voters).most_common(1)[0]
        counted = len(voters) + others
        if votes < max(1, counted - 1) or 2 * votes <= counted:  # two against each other: no word
            return None
        agreed.append(word)
    return agreed
