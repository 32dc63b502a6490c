"""Names in small print: the rules that decide whether a reading of a small copy's names is sure."""

from __future__ import annotations

from functions.ocr.parse import Word
from functions.ocr.smallprint import doubtful_letter, mixed_script, name_words


def _word(text: str, choices: list[tuple[tuple[str, float], ...]], confidence: float = 0.9) -> Word:
    return Word(text, confidence, None, tuple(choices))


def test_an_l_the_engine_nearly_read_as_an_i_is_doubtful() -> None:
    # "Neagole": the i of "Neagoie" blurred into an l on a 600 px copy
    letters = "Neagole"
    l_for_i = _word(letters, [((c, 0.9), ("i", 0.7)) if c == "l" else ((c, 0.9),) for c in letters])
    assert doubtful_letter([l_for_i])
    # A clear l, and an i with an l beside it, are not
    clear = _word("Bell", [(("B", 0.9),), (("e", 0.9),), (("l", 0.9), ("i", 0.3)), (("l", 0.9),)])
    i_with_l = _word("Ali", [(("A", 0.9),), (("l", 0.9),), (("i", 0.9), ("l", 0.85))])
    assert not doubtful_letter([clear, i_with_l])


def test_a_letter_the_engine_scored_below_another_is_doubtful() -> None:
    # "Andrei": the word's decoding kept the i, the engine scored an l above it
    andrei = _word("Andrei", [((c, 0.9),) for c in "Andre"] + [(("l", 0.77), ("i", 0.65))])
    assert doubtful_letter([andrei])
    assert not doubtful_letter([_word("Andrei", [((c, 0.9),) for c in "Andre"] + [(("i", 0.9), ("l", 0.5))])])
    assert not doubtful_letter([Word("Andrei", 0.9)])  # read without alternatives: nothing to doubt


def test_names_are_compared_as_the_instructors_are_repaired() -> None:
    first = [Word("Ranga", 0.9), Word("Karanam", 0.9), Word("[|", 0.5), Word("1.5M", 0.9)]
    again = [Word("Ranga", 0.9), Word("Karanam", 0.9), Word("|", 0.8), Word("1.5M", 0.9)]
    assert name_words(first) == name_words(again) == ["Ranga", "Karanam", "|", "1.5M"]
    assert name_words([Word("Tim", 0.9), Word("Buchalka’s", 0.9)]) == ["Tim", "Buchalka's"]


def test_a_name_mixing_latin_and_cyrillic_letters_is_a_misread() -> None:
    assert mixed_script(["Илья", "Kum,", "Мария", "Смирнова"])  # "Ким" read with Latin look-alikes
    # A Latin name beside a Russian one is not mixed
    assert not mixed_script(["Илья", "Ким,", "Bogdan", "Stashchuk"])
    assert not mixed_script(["Víctor", "Robles"])
