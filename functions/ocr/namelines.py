"""A small neural line reader that arbitrates between Tesseract's readings of names in small print.

On a copy 600-1000 px wide the old design's captions (``<Name>, Instructor``) are 4-6 px high and
the current design's instructors line 8-10 px: Tesseract reads an s as t, x or v, an i as l, and
its readings at different sizes disagree, so the reader left such names unread. This network
(``scripts/train_name_lines.py``: made-up names in many fonts, none of them the evaluation set's,
drawn small and enlarged again as a small copy is) does not replace those readings: it scores
them. For each candidate text (the readings at each size, each with a letter the engine doubted
swapped for its rival, and each with a word of the network's own reading one letter off put in its
place) it gives the probability that the line's print spells it (CTC:
summed over every way the line can be cut into the text's characters), and the reader takes a
candidate only where the network prefers it by a wide margin and its own best reading of the
line says the same, but for digits and marks no reading disputes (``ruling``).

The architecture is the id-line network's (``functions/ocr/idline.py``), with an alphabet of
Latin letters, accents, digits, space and the punctuation names carry; the weights are
``models/name_lines.npz``. Inference is numpy only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from functions.ocr.idline import IdLineNet, to_input

MODEL_PATH = Path(__file__).with_name("models") / "name_lines.npz"
ALPHABET = (
    " abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,'-|•+&()/:"
    "áàâãäçéèêëíìîïñóòôõöúùûüšśžźżčćłęąğışőřøåÁÀÂÃÇÉÊÍÓÔÕÖÚÜŠŚŽŁĞİŞÅØ"
)
CLASS_OF = {ch: k + 1 for k, ch in enumerate(ALPHABET)}  # class 0 is CTC's blank
INK_LEVEL = 128  # after autocontrast: darker is ink
MIN_INK_PER_ROW = 2  # px: a row with less ink is a speck of JPEG noise, not the line
PAD_ABOVE_BELOW = 0.3  # of the ink's height, kept above and below it
PAD_SIDES = 0.6  # of the ink's height, kept left and right of it
# The reader takes a candidate the network finds this many times likelier than the next, and only
# where the network's own reading gives it (but for digits and marks no reading disputes). Measured
# on the rulings asked for on 280 small copies (two generated sets of 140): 205 taken at 20, 2 of
# them wrong; 234 at 2 with 18 wrong; 177 at 100 with 1 wrong. Allowing the own reading one letter
# off the best would take 19 more, 1 of them wrong.
RULING_MARGIN = 20.0
MAX_OWN_WORDS = 3  # words of the network's reading put into one candidate at most
STROKES = "iIl1|"  # one upright stroke each, told apart by a dot or a serif a small copy blurs


def cut_line(band: Image.Image, jitter: tuple[float, float] = (0.0, 0.0)) -> Image.Image:
    """A line of ``band`` (one text line with some margin, at the 1600 px page scale) cut to its
    ink and a margin proportional to the ink's height, as the network was trained on. ``jitter``
    moves the cut's top and left edges (training)."""
    grey = ImageOps.autocontrast(band.convert("L"), cutoff=0.5)
    ink = np.asarray(grey) < INK_LEVEL
    rows = np.flatnonzero(ink.sum(axis=1) >= MIN_INK_PER_ROW)
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0 or cols.size == 0:
        return grey
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    height = bottom - top
    dy, dx = jitter
    box = (
        max(0, round(cols[0] - PAD_SIDES * height + dx)),
        max(0, round(top - PAD_ABOVE_BELOW * height + dy)),
        min(grey.width, round(cols[-1] + 1 + PAD_SIDES * height)),
        min(grey.height, round(bottom + PAD_ABOVE_BELOW * height + dy)),
    )
    return grey.crop(box)


# The instructors line's label ("Instructors", "Instrutores") ends this far into its ink at most (px
# at the 1600 px scale; "Instructores" is about 150 px wide), and is parted from the names by the
# widest gap there: 17 px and a space, where the gaps between words are a space.
LABEL_REACH = 260


def after_label(band: Image.Image) -> int | None:
    """Where the names begin on an instructors line (``band``, label and names): the middle of the
    widest run of empty columns that begins within ``LABEL_REACH`` of the ink's left end; ``None``
    without ink or such a gap."""
    grey = ImageOps.autocontrast(band.convert("L"), cutoff=0.5)
    inked = [bool(v) for v in np.asarray(grey).min(axis=0) < INK_LEVEL]
    if not any(inked):
        return None
    best: tuple[int, int] | None = None
    x = inked.index(True)
    end = min(band.width, x + LABEL_REACH)
    while x < end:
        if inked[x]:
            x += 1
            continue
        run = x
        while x < band.width and not inked[x]:
            x += 1
        if x < band.width and (best is None or x - run > best[1] - best[0]):
            best = (run, x)
    return None if best is None else (best[0] + best[1]) // 2


def encodable(text: str) -> bool:
    return bool(text) and all(ch in CLASS_OF for ch in text)


def text_log_likelihood(log_probs: NDArray[np.float64], text: str) -> float:
    """The log-probability that the network's T x classes ``log_probs`` spell ``text`` (CTC's
    forward pass over the blank-interleaved label; ``-inf`` when the line is too short for it)."""
    labels = [CLASS_OF[ch] for ch in text]
    extended = [0]
    for label in labels:
        extended += [label, 0]
    size, steps = len(extended), log_probs.shape[0]
    if steps < len(labels):
        return float("-inf")
    ext = np.array(extended)
    # A path may skip the blank between two different labels.
    skip = np.zeros(size, bool)
    skip[2:] = (ext[2:] != 0) & (ext[2:] != ext[:-2])
    alpha = np.full(size, -np.inf)
    alpha[0] = log_probs[0, 0]
    alpha[1] = log_probs[0, ext[1]]
    for t in range(1, steps):
        stay = alpha
        step = np.concatenate(([-np.inf], alpha[:-1]))
        jump = np.where(skip, np.concatenate(([-np.inf, -np.inf], alpha[:-2])), -np.inf)
        alpha = np.logaddexp(np.logaddexp(stay, step), jump) + log_probs[t, ext]
    return float(np.logaddexp(alpha[-1], alpha[-2]))


def best_path(log_probs: NDArray[np.float64]) -> str:
    """The network's own reading: the most probable class at each step, repeats and blanks dropped."""
    best = log_probs.argmax(axis=1)
    out, previous = [], 0
    for k in best:
        if k and k != previous:
            out.append(ALPHABET[k - 1])
        previous = k
    return "".join(out)


@dataclass(frozen=True)
class Ruling:
    """The network's verdict on the candidates for one line: the one it prefers (``None`` when it
    prefers none by ``RULING_MARGIN`` or its own reading spells another), how many times likelier
    than the next it found it, and its own best reading."""

    text: str | None
    margin: float
    own_reading: str
    best: str | None = None  # the likeliest candidate, taken or not


class NameLineNet:
    """The trained network (the id-line network's layers, this alphabet), read once from ``path``."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        self._net = IdLineNet(path)

    def log_probs(self, crop: Image.Image) -> NDArray[np.float64]:
        return self._net.log_probs(to_input(crop)).astype(np.float64)

    def ruling(
        self,
        band: Image.Image,
        values: list[str],
        texts_of: Callable[[str], list[str]] = lambda value: [value],
        value_of: Callable[[str], str | None] = lambda text: text,
    ) -> Ruling:
        """Which of ``values`` (the names Tesseract's readings give) the line's print in ``band``
        spells. ``texts_of`` gives the texts of the whole line that would print a value (a
        caption's name followed by each caption word); a value scores as its likeliest text.
        ``value_of`` gives the value of the network's own reading of the line, if it has one; a
        word of it one letter off a candidate's word takes that word's place in another candidate
        (``_with_words_of``). The value taken must be ``RULING_MARGIN`` times likelier than every
        other, and the network's own reading must print it wherever Tesseract's readings dispute it
        or it has a letter (``_spells_where_disputed``)."""
        log_probs = self.log_probs(cut_line(band))
        own_text = _squeezed(best_path(log_probs))
        own = value_of(own_text)
        if own is None:
            return Ruling(None, 0.0, own_text)
        candidates = [*values, *(mixed for value in values for mixed in _with_words_of(value, own))]
        scored = []
        for value in dict.fromkeys(candidates):
            likelihoods = [text_log_likelihood(log_probs, text) for text in texts_of(value) if encodable(text)]
            if likelihoods:
                scored.append((max(likelihoods), value))
        scored.sort(reverse=True)
        if not scored or scored[0][0] == float("-inf"):
            return Ruling(None, 0.0, own_text)
        runner_up = scored[1][0] if len(scored) > 1 else float("-inf")
        margin = float(np.exp(min(50.0, scored[0][0] - runner_up)))
        best = scored[0][1]
        taken = best if margin >= RULING_MARGIN and _spells_where_disputed(own, best, values) else None
        return Ruling(taken, margin, own_text, best)


def _spells_where_disputed(own: str, best: str, values: list[str]) -> bool:
    """Whether the network's own reading ``own`` prints ``best`` but where ``best`` has no letter
    and every one of Tesseract's readings (``values``) agrees with it. The network learned names,
    few of them with digits: its reading of digits and marks ("J. SM" for "| 1.5M") says little,
    but where it reads letters otherwise than every reading does, they may all be wrong ("Aves"
    for "Alves" on a 600 px copy)."""
    disputed_chars: set[int] = set()
    disputed_gaps: set[int] = set()
    for value in values:
        if value != best:
            chars, gaps, _ = _edits(best, value)
            disputed_chars |= chars
            disputed_gaps |= gaps
    chars, gaps, letters = _edits(best, own)
    return not (chars & disputed_chars or gaps & disputed_gaps or letters)


def _edits(text: str, other: str) -> tuple[set[int], set[int], bool]:
    """Where ``other`` differs from ``text``: the characters of ``text`` it replaces or leaves out,
    the gaps (before character k) where it has more, and whether a letter of ``text`` is replaced
    or left out, or ``other`` has one more."""
    chars: set[int] = set()
    gaps: set[int] = set()
    letters = False
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, text, other, autojunk=False).get_opcodes():
        if tag == "insert":
            gaps.add(i1)
            letters = letters or any(c.isalpha() for c in other[j1:j2])
        elif tag != "equal":
            chars.update(range(i1, i2))
            letters = letters or any(c.isalpha() for c in text[i1:i2])
    return chars, gaps, letters


def _with_words_of(value: str, own: str) -> list[str]:
    """``value`` with the words of ``own`` (the network's reading) put in place of its own where
    they differ, one at a time and all at once; none where the two part into different numbers
    of words or differ in more than ``MAX_OWN_WORDS``."""
    words, others = value.split(), own.split()
    if len(words) != len(others):
        return []
    places = [k for k, (a, b) in enumerate(zip(words, others, strict=True)) if a != b]
    if not all(_one_letter_apart(words[k], others[k]) for k in places):
        return []
    if not places or len(places) > MAX_OWN_WORDS:
        return []
    mixed = [" ".join(others[k] if k == place else w for k, w in enumerate(words)) for place in places]
    return [*mixed, " ".join(others)]


def _one_letter_apart(word: str, other: str) -> bool:
    """Whether the network's ``other`` is Tesseract's ``word`` with one letter changed for another,
    or with one letter more that repeats neither neighbour (Tesseract drops a letter of small
    print, "Hadein" for "Hadelin"). Not a letter fewer: the network drops a letter it is unsure of
    ("Maimilian") where Tesseract's readings hold it; not a doubled letter ("Eremenkoo"); and not a
    small l for a capital I or the reverse, which in sans type only the context tells apart, nor
    any letter changed to or from a lone stroke (``STROKES``): at 4-6 px the dot of an i is blurred
    into its stem and the network reads it as surely wrong as Tesseract does ("Hamedanl")."""
    if len(other) == len(word) + 1:
        for k, letter in enumerate(other):
            if other[:k] + other[k + 1 :] == word:
                neighbours = other[max(0, k - 1) : k] + other[k + 1 : k + 2]
                return letter.isalpha() and letter not in neighbours
        return False
    changed = [(a, b) for a, b in zip(word, other, strict=False) if a != b]
    if len(word) != len(other) or len(changed) != 1:
        return False
    a, b = changed[0]
    return a not in STROKES and b not in STROKES and not (a.isalpha() and b.isalpha() and a.isupper() != b.isupper())


def _squeezed(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=1)
def name_line_net() -> NameLineNet:
    """One network per process, loaded on first use."""
    return NameLineNet()
