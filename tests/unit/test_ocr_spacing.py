"""Spaces the engine missed, put back from the paper between the glyphs (no OCR engine needed)."""

from __future__ import annotations

from dataclasses import replace

from PIL import Image, ImageDraw

from functions.ocr.parse import Line, Word
from functions.ocr.spacing import part_missed_spaces

Box = tuple[int, int, int, int]


def _page(glyphs: list[Box]) -> Image.Image:
    image = Image.new("L", (400, 60), 245)
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in glyphs:
        draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=30)
    return image


def _word(text: str, glyphs: list[Box]) -> Word:
    return Word(text, 0.9, (glyphs[0][0], 10, glyphs[-1][2], 50), (), tuple(glyphs))


def _glyphs(start: int, widths_and_gaps: list[int]) -> list[Box]:
    """Glyph boxes from ``start``: widths and the gaps after them, alternating."""
    boxes, x = [], start
    for k in range(0, len(widths_and_gaps), 2):
        width = widths_and_gaps[k]
        boxes.append((x, 10, x + width, 50))
        x += width + (widths_and_gaps[k + 1] if k + 1 < len(widths_and_gaps) else 0)
    return boxes


def test_a_gap_as_wide_as_the_lines_spaces_parts_a_word() -> None:
    # "com" then a 20 px space, then "Qt6" whose t and 6 stand 18 px apart: "Qt 6" read as one word
    com = _glyphs(10, [10, 4, 10, 4, 10])
    qt6 = _glyphs(68, [12, 4, 8, 18, 10])
    line = Line((_word("com", com), _word("Qt6", qt6)))
    parted = part_missed_spaces(_page(com + qt6), line)
    assert parted.text == "com Qt 6"
    assert [w.char_boxes for w in parted.words] == [tuple(com), tuple(qt6[:2]), tuple(qt6[2:])]


def test_gaps_between_letters_leave_the_words_as_read() -> None:
    # Letters 4-9 px apart (a wide "r." or a tabular "1") against 22 px spaces
    first = _glyphs(10, [10, 9, 10, 4, 10])
    second = _glyphs(75, [10, 6, 10, 9, 10, 9, 10])
    line = Line((_word("ab.", first), _word("2011", second)))
    assert part_missed_spaces(_page(first + second), line) == line


def test_a_line_of_one_word_has_no_space_to_measure_against() -> None:
    glyphs = _glyphs(10, [12, 4, 8, 18, 10])
    line = Line((_word("Qt6", glyphs),))
    assert part_missed_spaces(_page(glyphs), line) == line


def test_a_word_the_engine_parted_at_a_letter_gap_is_no_space_to_measure_against() -> None:
    # "W eb" (the engine parted "Web" 3 px apart), then "Do": letters 4 px apart, 24 px space
    w, eb, do = _glyphs(10, [14]), _glyphs(27, [10, 4, 10]), _glyphs(75, [10, 4, 10])
    line = Line((_word("W", w), _word("eb", eb), _word("Do", do)))
    # Then the 3 px gap is not taken for a space, and no word is cut into letters
    assert part_missed_spaces(_page(w + eb + do), line) == line


def test_a_line_that_would_be_parted_many_times_is_left_as_read() -> None:
    # Three gaps in one word about as wide as the line's only space: more than a missed space or two
    a, b = _glyphs(10, [10]), _glyphs(50, [10, 25, 10, 25, 10, 25, 10])
    line = Line((_word("a", a), _word("bcde", b)))
    assert part_missed_spaces(_page(a + b), line) == line


def _sure(text: str, *low: tuple[int, float]) -> tuple[tuple[tuple[str, float], ...], ...]:
    """Each character's own reading at 0.995, but those of ``low`` (index, confidence)."""
    confidence = dict(low)
    return tuple(((char, confidence.get(i, 0.995)),) for i, char in enumerate(text))


def test_a_line_of_one_word_is_measured_against_the_space_of_its_title() -> None:
    # "e Qt 6" read as one word: e, Q, t, 6 with gaps of 17, 3 and 15 px; the title line above
    # it has 19 px spaces
    glyphs = _glyphs(10, [20, 17, 36, 3, 16, 15, 23])
    line = Line((_word("eQt6", glyphs),))
    parted = part_missed_spaces(_page(glyphs), line, space=19.0)
    assert parted.text == "e Qt 6"
    assert [w.char_boxes for w in parted.words] == [tuple(glyphs[:1]), tuple(glyphs[1:3]), tuple(glyphs[3:])]
    # Then against a wider space the same gaps are gaps between letters
    assert part_missed_spaces(_page(glyphs), line, space=30.0) == line


def test_a_line_of_words_whose_space_does_not_measure_borrows_none() -> None:
    # "to Z": the engine's box of the o runs over the Z, so its space measures nothing
    t, o, z = (10, 10, 30, 50), (32, 10, 90, 50), (70, 10, 90, 50)
    line = Line((Word("to", 0.9, (10, 10, 90, 50), (), (t, o)), Word("Z", 0.9, z, (), (z,))))
    assert part_missed_spaces(_page([(10, 10, 30, 50), (33, 10, 50, 50), (70, 10, 90, 50)]), line, space=10.0) == line


def test_each_piece_keeps_the_confidence_of_its_own_glyphs() -> None:
    # "eQt6" read 0.48 for its Q (0.925 alone); its e, t and 6 were sure
    glyphs = _glyphs(10, [20, 17, 36, 3, 16, 15, 23])
    word = replace(_word("eQt6", glyphs), confidence=0.475, choices=_sure("eQt6", (1, 0.925)))
    parted = part_missed_spaces(_page(glyphs), Line((word,)), space=19.0)
    assert [round(w.confidence, 3) for w in parted.words] == [0.965, 0.475, 0.965]
    # Then where the word was less sure than all its glyphs, the engine doubted a space beside it:
    # the first and the last piece keep that doubt, a piece between them does not
    doubted = replace(word, confidence=0.3, choices=_sure("eQt6"))
    parted = part_missed_spaces(_page(glyphs), Line((doubted,)), space=19.0)
    assert [round(w.confidence, 3) for w in parted.words] == [0.3, 0.965, 0.3]


def test_a_line_parted_against_its_titles_space_is_read_again_with_those_spaces_widened() -> None:
    glyphs = _glyphs(10, [20, 17, 36, 3, 16, 15, 23])
    page = _page(glyphs)
    word = replace(_word("eQt6", glyphs), confidence=0.475, choices=_sure("eQt6", (3, 0.93)))
    seen: list[Image.Image] = []

    def read(image: Image.Image) -> list[Line]:
        # The engine now reads three words: here as they stand on the widened image
        seen.append(image)
        words = (
            Word("e", 0.93, (10, 10, 30, 50), _sure("e"), ((10, 10, 30, 50),)),
            Word("Qt", 0.94, (68, 10, 123, 50), _sure("Qt"), ((68, 10, 104, 50), (107, 10, 123, 50))),
            Word("6", 0.94, (161, 10, 184, 50), _sure("6"), ((161, 10, 184, 50),)),
        )
        return [Line(words)]

    parted = part_missed_spaces(page, Line((word,)), space=19.0, read=read)
    # Then each missed space was made twice the title's (17 -> 38 px, 15 -> 38 px) on blank paper
    assert seen[0].width == page.width + 21 + 23
    assert seen[0].crop((30, 0, 68, 60)).getextrema() == (245, 245)
    # Then the second reading is taken, its boxes put back where the glyphs stand on the page
    assert parted.text == "e Qt 6"
    assert [w.confidence for w in parted.words] == [0.93, 0.94, 0.94]
    assert [w.box for w in parted.words] == [(10, 10, 30, 50), (47, 10, 102, 50), (117, 10, 140, 50)]
    assert parted.words[2].char_boxes == (glyphs[3],)


def test_a_second_reading_that_parts_the_line_elsewhere_is_not_taken() -> None:
    glyphs = _glyphs(10, [20, 17, 36, 3, 16, 15, 23])
    word = replace(_word("eQt6", glyphs), choices=_sure("eQt6"))

    def fewer(image: Image.Image) -> list[Line]:
        return [Line((Word("eQt", 0.9, (10, 10, 123, 50)), Word("6", 0.9, (161, 10, 184, 50))))]

    def elsewhere(image: Image.Image) -> list[Line]:  # as many words, but "eQ t 6"
        return [
            Line(
                (
                    Word("eQ", 0.9, (10, 10, 104, 50)),
                    Word("t", 0.9, (107, 10, 123, 50)),
                    Word("6", 0.9, (161, 10, 184, 50)),
                )
            )
        ]

    for read in (fewer, elsewhere):
        parted = part_missed_spaces(_page(glyphs), Line((word,)), space=19.0, read=read)
        assert parted.text == "e Qt 6"
        assert [w.box for w in parted.words] == [(10, 10, 30, 50), (47, 10, 102, 50), (117, 10, 140, 50)]


def test_a_line_of_one_word_parted_many_times_is_taken_only_as_read_again() -> None:
    # "C++reQt6" read for "C++ e Qt 6", with a made-up r in the space after the +: three missed spaces
    glyphs = _glyphs(10, [20, 3, 20, 3, 20, 17, 20, 17, 36, 3, 16, 15, 23])
    boxes = [*glyphs[:3], (66, 10, 86, 50), *glyphs[3:]]  # the r's box: over the + and the paper
    word = Word("C++reQt6", 0.5, (10, 10, boxes[-1][2], 50), _sure("C++reQt6"), tuple(boxes))
    page = _page(glyphs)

    def read(image: Image.Image) -> list[Line]:  # spaced out: the engine reads the words as printed
        starts = [10, 111, 168, 263]
        return [
            Line(
                tuple(Word(t, 0.95, (x, 10, x + 20, 50)) for t, x in zip(["C++", "e", "Qt", "6"], starts, strict=True))
            )
        ]

    assert part_missed_spaces(page, Line((word,)), space=19.0, read=read).text == "C++ e Qt 6"
    # Then without the second reading, or when it reads otherwise, the line stays as read
    assert part_missed_spaces(page, Line((word,)), space=19.0) == Line((word,))
    assert part_missed_spaces(page, Line((word,)), space=19.0, read=lambda image: []) == Line((word,))
