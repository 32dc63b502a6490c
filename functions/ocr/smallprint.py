"""Names in small print on small copies: read again, and given only where the readings agree.

On a copy narrower than 1000 px (a website's 600x448 thumbnail, a 720-900 px screenshot) the
instructors' names are a few pixels high, and Tesseract misreads some of them with high
confidence, the same way at every size now and then. A name is therefore given only when
readings of its print at more than one size agree, word for word, and none of its letters is one
the engine doubted: the current design's instructors line is read again, enlarged 1.5 and 2 times
(and 2.5 where one of them differs), without a letter the engine doubted (``doubtful_letter``: at
600 px the dot of an i is blurred into its stem, and an i read as l is the commonest misread).

The helpers here take readings (``Word``); the reader reads.
"""

from __future__ import annotations

import unicodedata

from functions.ocr.parse import Word, repair_text


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
