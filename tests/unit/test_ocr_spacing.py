"""Spaces the engine missed, put back from the paper between the glyphs (no OCR engine needed)."""

from __future__ import annotations

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
