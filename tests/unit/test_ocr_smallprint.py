"""Names in small print: the rules that decide whether a reading of a small copy's names is sure."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from functions.ocr.parse import Line, Word, line_of
from functions.ocr.reader import CertificateReader
from functions.ocr.smallprint import (
    CaptionName,
    agreed_words,
    caption_names,
    caption_segments,
    doubtful_letter,
    mixed_script,
    name_words,
    near_tie,
)


def _word(text: str, choices: list[tuple[tuple[str, float], ...]], confidence: float = 0.9) -> Word:
    return Word(text, confidence, None, tuple(choices))


def _names(text: str) -> list[str] | None:
    captions = caption_names([line_of(text)])
    return None if captions is None else [c.name for c in captions]


def test_a_caption_read_on_its_own_gives_the_name_before_its_caption_word() -> None:
    assert _names("Kirill Eremenko, Instructor") == ["Kirill Eremenko"]
    assert _names("Dr. Angela Yu, Instructor") == ["Dr. Angela Yu"]
    # The comma read as a period, the caption word misread, specks before and after
    assert _names("TakenMind Internship. Instructor") == ["TakenMind Internship"]
    assert _names("‘Gustavo Guanabara, Inatrutor -") == ["Gustavo Guanabara"]
    # Two captions the cut left together give both names
    assert _names("Paulo Dias, Instrutor Nelio Alves, Instrutor") == ["Paulo Dias", "Nelio Alves"]


def test_a_reading_that_is_not_made_of_captions_gives_no_name() -> None:
    assert _names("Kirill Eremenko") is None  # a signature, no caption word
    assert _names("&") is None
    assert _names("Rob Percival, Something") is None
    assert _names("Rob Percival Instructor") is None  # no comma: the caption word may be a name's
    assert _names("Paulo Dias, Instrutor Nelio") is None  # a caption cut in two


def test_a_caption_name_carries_the_nearest_tie_of_its_own_letters() -> None:
    def sure(text: str) -> list[tuple[tuple[str, float], ...]]:
        return [((c, 0.9),) for c in text]

    line = Line(
        (
            _word("Ben", [(("B", 0.9),), (("e", 0.9), ("o", 0.45)), (("n", 0.9),)]),
            _word("Tristem,", sure("Tristem,")),
            _word(
                "Instructor", [(("I", 0.5), ("l", 0.5)), *sure("nstructor")]
            ),  # the caption word's tie does not count
        )
    )
    assert caption_names([line]) == [CaptionName("Ben Tristem", 0.5)]


def test_a_near_tie_is_the_share_of_a_letters_confidence_another_character_scored() -> None:
    assert near_tie([_word("ab", [(("a", 0.8), ("o", 0.8)), (("b", 0.9),)])]) == 1.0
    assert near_tie([_word("ab", [(("a", 0.8),), (("b", 0.9), ("h", 0.09))])]) == pytest.approx(0.1)
    assert near_tie([_word("ab", [])]) == 0.0  # read without alternatives


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


def test_a_band_of_captions_is_cut_at_the_gaps_between_them() -> None:
    # Given a band with two captions 40 px apart, each of words 5 px apart
    page = Image.new("L", (800, 40), 255)
    draw = ImageDraw.Draw(page)
    for x0, x1 in ((100, 160), (165, 260), (300, 380), (385, 420)):
        draw.rectangle((x0, 10, x1, 25), fill=30)
    # Then there are two captions, each with its words together
    assert caption_segments(page, (0, 0, 800, 40), 170) == [(100, 261), (300, 421)]
    # And a speck is none
    draw.rectangle((600, 15, 605, 18), fill=30)
    assert caption_segments(page, (0, 0, 800, 40), 170) == [(100, 261), (300, 421)]


def test_a_name_mixing_latin_and_cyrillic_letters_is_a_misread() -> None:
    assert mixed_script(["Илья", "Kum,", "Мария", "Смирнова"])  # "Ким" read with Latin look-alikes
    # A Latin name beside a Russian one is not mixed
    assert not mixed_script(["Илья", "Ким,", "Bogdan", "Stashchuk"])
    assert not mixed_script(["Víctor", "Robles"])


def test_the_names_are_the_words_all_readings_but_one_agree_on() -> None:
    page = ["Ellas", "Ribeiro", "Da", "Silva"]  # the page's own reading, one letter wrong
    enlarged = ["Elias", "Ribeiro", "Da", "Silva"]
    # The first reading has no casting vote: three enlarged readings outvote it
    assert agreed_words([page, enlarged, enlarged, enlarged]) == enlarged
    # Two against two is no agreement
    other = ["Elias", "Ribeiro", "Da", "Silua"]
    assert agreed_words([page, page, other, other]) is None
    # Nor are readings that part the line into different numbers of words
    assert agreed_words([page, ["Elias", "RibeiroDa", "Silva"], ["Elias"], enlarged]) is None


def test_a_reading_abstains_on_the_words_the_engine_was_not_sure_of() -> None:
    doubled = ["Kirill", "Ereemenko,", "Academind", "Team"]  # a letter read twice, at 0.4-0.54
    right = ["Kirill", "Eremenko,", "Academind", "Team"]
    unsure = [True, False, True, True]
    # Three doubtful readings of a word against one sure one: the sure one is the word
    readings = [doubled, doubled, right, doubled]
    assert agreed_words(readings) == doubled  # counted alike, they outvote it
    assert agreed_words(readings, [unsure, unsure, [True] * 4, unsure]) == right
    # No sure reading of a word: no word
    assert agreed_words(readings, [unsure] * 4) is None
    # Two sure readings that differ: no word either
    assert agreed_words([doubled, right], [[True] * 4, [True] * 4]) is None


def _rereading(readings: dict[float, str]) -> CertificateReader:
    """A reader whose instructors line reads as ``readings`` gives at each size (no engine)."""
    reader = object.__new__(CertificateReader)

    def instructors_at(page: object, body: object, group: object, engine: object, scale: float) -> list[Word]:
        return [Word(text, 0.9) for text in readings[scale].split()]

    reader._instructors_at = instructors_at  # type: ignore[method-assign]
    return reader


def test_a_small_copys_unsure_names_are_given_only_when_every_size_reads_them_alike() -> None:
    group = [line_of("Instructors Kirill Eremenko")]
    alike = {1.5: "Kirill Eremenko", 2.0: "Kirill Eremenko", 2.5: "Kirill Eremenko"}
    reader = _rereading(alike)
    args = (Image.new("L", (10, 10)), group, group, None)
    assert reader._agreed_instructors(*args, small=True, unanimous=True) == (["Kirill", "Eremenko"], False)
    # One size of three reading another letter leaves unsure names unread (the names network has
    # no print to rule on here); sure ones are settled by the readings that agree.
    reader = _rereading({**alike, 2.5: "Kirill Eromenko"})
    assert reader._agreed_instructors(*args, small=True, unanimous=True) == (None, False)
    reader = _rereading({**alike, 1.5: "Kirill Eromenko"})
    assert reader._agreed_instructors(*args, small=True) == (["Kirill", "Eremenko"], False)
    assert reader._agreed_instructors(*args, small=True, unanimous=True) == (None, False)
