"""Image rules of the reader that need no OCR engine: line bands, skew, frames and re-reads."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, cast

import pytest
from PIL import Image, ImageDraw, ImageFont

from contracts.records import CertificateFields
from functions.ocr.glyphs import (
    F_LEANS_AT_LEAST,
    ONE_LEANS_AT_MOST,
    _in_line,
    b_or_8,
    bullet_or_plus,
    c_and_e_contradict,
    c_or_e,
    counters,
    d_or_0,
    f_or_1_read_otherwise,
    j_or_u,
    j_read_as_1,
    one_or_l,
    open_s,
    raised_trade_mark,
    s_or_5,
    top_lean,
    with_glyph_boxes,
    z_or_2,
)
from functions.ocr.parse import Line, Word, glyph_shape, line_of
from functions.ocr.reader import (
    PAGE_RECT,
    PAGE_SIZE,
    HeaderCrop,
    _better_reading,
    _drop_mixed_script,
    _drop_unsure_text,
    _id_left,
    _row_score,
    _row_scorer,
    _same_title,
    _without_paper_after,
    column_means,
    deskew,
    framed_old_design,
    grey_page,
    is_ornate,
    landscape_window,
    normalise,
    register,
    reread_values,
    row_means,
    skew_angle,
    text_bands,
    title_style,
    trim_dark_edges,
)
from functions.samples.generator import FONT_DIR, SANS_TITLE_FONTS, SERIF_TITLE_FONTS


def _page_with_lines(tops: list[int], line_height: int) -> Image.Image:
    """A white 1600x1190 page with a block of "text" (dark bars with gaps like letters) per top."""
    page = Image.new("L", (1600, 1190), 247)
    draw = ImageDraw.Draw(page)
    for top in tops:
        for x in range(100, 1300, 40):
            draw.rectangle((x, top, x + 28, top + line_height), fill=40)
    return page


def test_each_text_line_is_one_band() -> None:
    page = _page_with_lines([300, 420, 620], 60)
    bands = text_bands(page, (64, 238, 1552, 1182))
    assert [(top, bottom) for top, bottom in bands] == [(300, 361), (420, 481), (620, 681)]


def test_two_title_lines_that_touch_are_cut_into_two_bands() -> None:
    # Given two 80 px title lines joined by one descender ("y" over "K") in one pixel column
    page = _page_with_lines([380, 470], 80)
    ImageDraw.Draw(page).rectangle((110, 460, 111, 470), fill=40)
    bands = text_bands(page, (64, 238, 1552, 1182))
    # Then they are read as two lines, cut in the gap between them
    assert len(bands) == 2
    (top1, bottom1), (top2, bottom2) = bands
    assert top1 == 380 and bottom2 == 551
    assert 455 <= bottom1 == top2 <= 475


def test_a_large_line_close_under_another_is_of_the_same_title() -> None:
    # A title's lines (70 px, 40-65 px apart) and its last line of x-height letters ("e ao", 36 px)
    assert _same_title((380, 450), (490, 560))
    assert _same_title((380, 450), (515, 551))
    # Not the student's name far below it, nor a line under a small one (the instructors)
    assert not _same_title((600, 670), (955, 1020))
    assert not _same_title((700, 722), (740, 810))


def test_a_caption_close_under_its_signature_gets_its_own_band_when_asked() -> None:
    # Given a 44 px signature with a 22 px caption 5 px under it (a re-save narrowed the gap)
    page = _page_with_lines([724], 44)
    ImageDraw.Draw(page).rectangle((300, 774, 900, 796), fill=60)
    box = (160, 690, 1440, 850)
    # Then by default the two are one band (a gap that small is usually inside a line)
    assert len(text_bands(page, box)) == 1
    # And cut at every empty row they are two
    assert text_bands(page, box, join_gap=1) == [(724, 769), (774, 797)]


def test_a_tilted_page_is_turned_level() -> None:
    page = _page_with_lines([300, 420, 540, 660, 780], 30)
    for angle in (0.8, -0.6):
        tilted = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        # The angle found undoes the tilt
        assert abs(skew_angle(tilted) + angle) <= 0.1
        assert abs(skew_angle(deskew(tilted))) <= 0.15


def test_the_fast_skew_scores_are_pillows_own() -> None:
    # Given the small binary copy the skew search looks at, of a page tilted either way
    page = _page_with_lines([300, 420, 540, 660, 780], 30)
    for tilt in (0.7, -1.1):
        tilted = page.rotate(tilt, resample=Image.Resampling.BICUBIC, fillcolor=255).resize((400, 298))
        binary = tilted.point(lambda v: 255 if v < 170 else 0)
        score = _row_scorer(binary)
        # Then every angle scores exactly what shearing and averaging the image with Pillow scores
        # (an angle is chosen between near ties: a last-digit difference would change it)
        for angle in (0.0, 0.05, -0.15, 0.3, -0.75, 1.35, -1.4):
            assert score(angle) == _row_score(binary, angle)


def test_the_fast_row_and_column_means_are_pillows_own() -> None:
    # Given greyscale images of odd sizes: noise, a page with text lines, and a mask of the page's grey
    noise = Image.effect_noise((1237, 911), 90)
    page = _page_with_lines([300, 420, 540, 660, 780], 30)
    mask = page.point(lambda v: 255 if 243 <= v <= 252 else 0)
    for image in (noise, page, mask, noise.crop((3, 5, 4, 700)), page.resize((1, 1))):
        # Then each row's and each column's mean is exactly the byte Pillow's box filter gives
        # (a page's edges are where the means cross a threshold: a last-bit difference moves them)
        assert row_means(image) == image.resize((1, image.height), Image.Resampling.BOX).tobytes()
        assert column_means(image) == image.resize((image.width, 1), Image.Resampling.BOX).tobytes()


def test_a_small_print_line_is_read_without_the_paper_after_its_text() -> None:
    # Given a line crop whose text (dark bars) ends at x 639 of 1500
    crop = Image.new("L", (1500, 40), 247)
    ImageDraw.Draw(crop).rectangle((20, 10, 639, 30), fill=40)
    # Then it is cut the margin after the text, its text and height kept
    cut = _without_paper_after(crop, 40)
    assert cut.size == (680, 40)
    assert cut.getpixel((639, 20)) == 40
    # And a crop the text nearly fills, or without text, is left as it is
    assert _without_paper_after(crop.crop((0, 0, 660, 40)), 40).size == (660, 40)
    assert _without_paper_after(Image.new("L", (300, 40), 247), 40).size == (300, 40)


def test_where_the_id_starts_is_told_in_header_pixels_whatever_each_line_was_enlarged_by() -> None:
    def read(text: str, id_at: int) -> list[Line]:
        line = line_of(text)
        words = [replace(w, box=(i * 200, 0, i * 200 + 150, 30)) for i, w in enumerate(line.words)]
        words[-1] = replace(words[-1], box=(id_at, 0, id_at + 400, 30))
        return [replace(line, words=tuple(words))]

    blank = Image.new("L", (1, 1))
    # Given the number line enlarged 2x, cut from header x 100, its id word at x 600 of the crop
    number = read("Certificate no: UC-0d4f", 600)
    # Then the id starts at header x 100 + 600 / 2, whatever the url line's scale
    assert _id_left([(HeaderCrop(100, 2, blank), number), (HeaderCrop(90, 1.25, blank), [])]) == 400
    # And when only the url line shows it (enlarged 1.25x, cut from header x 80), by that line's scale
    url = read("Certificate url: UC-0d4f", 500)
    assert _id_left([(HeaderCrop(100, 2, blank), []), (HeaderCrop(80, 1.25, blank), url)]) == 480
    assert _id_left([(HeaderCrop(100, 2, blank), []), (HeaderCrop(80, 2, blank), url)]) == 330


def test_a_level_page_is_left_as_it_is() -> None:
    page = _page_with_lines([300, 420, 540], 30)
    assert deskew(page) is page


def _title_page(font: str) -> tuple[Image.Image, list[Line]]:
    page = Image.new("L", (1600, 1190), 247)
    ImageDraw.Draw(page).text(
        (64, 380), "Mastering Ethical Hacking", font=ImageFont.truetype(str(FONT_DIR / font), 64), fill=30
    )
    return page, [line_of("Mastering Ethical Hacking", box=(40, 370, 1552, 460))]


@pytest.mark.parametrize("font", SERIF_TITLE_FONTS)
def test_a_serif_title_is_the_serif_design_whatever_the_date(font: str) -> None:
    page, lines = _title_page(font)
    assert title_style(page, lines, date(2025, 6, 1)) == "current-serif"


@pytest.mark.parametrize("font", SANS_TITLE_FONTS)
def test_a_sans_title_is_the_sans_design_whatever_the_date(font: str) -> None:
    page, lines = _title_page(font)
    assert title_style(page, lines, date(2023, 1, 1)) == "current-sans"


def test_without_a_readable_title_the_date_decides() -> None:
    blank = Image.new("L", (1600, 1190), 247)
    assert title_style(blank, [], date(2023, 1, 1)) == "current-serif"
    assert title_style(blank, [], date(2025, 1, 1)) == "current-sans"
    assert title_style(blank, [], None) == "current"


def test_on_a_small_copy_an_unsure_name_or_title_is_left_unread() -> None:
    fields = CertificateFields(title="Cok Steele", instructors=["Cok Steele"], student="Ana Lima")
    confidence = {"title": 0.95, "instructors": 0.65, "student": 0.9}
    # On a 600 px copy the unsure instructors go; on a full-size page they stay, with their confidence
    small = _drop_unsure_text(fields, dict(confidence), 600)
    assert small.instructors == [] and small.title == "Cok Steele" and small.student == "Ana Lima"
    assert _drop_unsure_text(fields, dict(confidence), 1600) == fields


def test_a_name_read_partly_with_latin_look_alikes_is_left_unread_at_any_size() -> None:
    # Given a full-size Russian page whose first instructor was read "Илья Kum" (for "Илья Ким")
    fields = CertificateFields(
        title="Docker и Kubernetes", instructors=["Илья Kum", "Bogdan Stashchuk"], student="Анна Kim"
    )
    confidence = {"title": 0.95, "instructors": 0.95, "student": 0.93}
    kept = _drop_mixed_script(fields, confidence)
    # Then the list and the student are unread, with no confidence; the title, which may mix scripts, stays
    assert kept.instructors == [] and kept.student is None and kept.title == "Docker и Kubernetes"
    assert confidence["instructors"] == 0.0 and confidence["student"] == 0.0 and confidence["title"] == 0.95
    # A Latin name beside a Russian one is kept
    both = CertificateFields(instructors=["Илья Ким", "Bogdan Stashchuk"])
    assert _drop_mixed_script(both, {"instructors": 0.95}) == both


def test_a_title_with_a_lone_latin_look_alike_between_russian_words_is_left_unread() -> None:
    # Given a Russian title whose one-letter "с" was read as a Latin "C"
    confidence = {"title": 0.95}
    misread = _drop_mixed_script(CertificateFields(title="SQL и базы данных C нуля"), confidence)
    # Then the title is unread, with no confidence
    assert misread.title is None and confidence["title"] == 0.0
    # While a title read in Cyrillic, or mixing scripts word by word, stays
    for title in ("SQL и базы данных с нуля", "Docker и Kubernetes с нуля", "C# для начинающих"):
        assert _drop_mixed_script(CertificateFields(title=title), {"title": 0.95}).title == title


def test_two_models_readings_are_paired_by_place_and_a_code_word_keeps_its_symbol() -> None:
    def line(*words: tuple[str, float, int, int]) -> Line:
        return Line(tuple(Word(text, conf, (x0, 0, x1, 40)) for text, conf, x0, x1 in words))

    spanish = line(
        ("CA", 0.95, 0, 60), ("y", 0.96, 70, 90), ("de", 0.96, 230, 260), ("Cero", 0.96, 270, 350), ("a", 0.9, 360, 375)
    )
    english = line(("C#", 0.8, 0, 62), ("y", 0.9, 70, 90), ("de", 0.9, 230, 260), ("Ceroa", 0.97, 270, 375))
    # "C#" wins its place; "Cero a", read as one word by the other model, stays as the language's model read it
    assert _better_reading([spanish], [english])[0].text == "C# y de Cero a"


def test_a_word_the_other_model_ran_into_the_next_is_not_paired_with_it() -> None:
    # The recogniser gave "4de" the box of "4": the lengths tell they are not the same word.
    portuguese = Line(tuple(Word(t, 0.9, (x0, 0, x1, 30)) for t, x0, x1 in (("4", 119, 132), ("de", 139, 159))))
    english = Line((Word("4de", 0.95, (119, 0, 132, 30)),))
    assert _better_reading([portuguese], [english])[0].text == "4 de"


def test_a_garbled_code_word_gives_way_to_the_surer_english_reading_of_its_place() -> None:
    indonesian = Line((Word("C4#--#", 0.6, (0, 0, 90, 40)), Word("untuk", 0.96, (110, 0, 220, 40))))
    english = Line((Word("C++", 0.94, (0, 0, 88, 40)), Word("untuk", 0.9, (110, 0, 220, 40))))
    assert _better_reading([indonesian], [english])[0].text == "C++ untuk"


def _glyph(char: str, font: str) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """``char`` drawn 60 px high in grey on a light page, and its ink box."""
    page = Image.new("L", (120, 120), 247)
    ImageDraw.Draw(page).text((30, 20), char, font=ImageFont.truetype(str(FONT_DIR / font), 60), fill=90)
    box = page.point(lambda v: 255 if v < 150 else 0).getbbox()
    assert box is not None
    return page, box


@pytest.mark.parametrize("font", ["dejavu/DejaVuSans.ttf", "liberation/LiberationSans-Regular.ttf"])
def test_f_and_1_are_told_apart_by_the_lean_of_their_top(font: str) -> None:
    lean_f, lean_1 = top_lean(*_glyph("f", font)), top_lean(*_glyph("1", font))
    assert lean_f is not None and lean_f >= F_LEANS_AT_LEAST  # the hook of an f leans right
    assert lean_1 is not None and lean_1 <= ONE_LEANS_AT_MOST  # the flag of a 1 leans left


def _read_with(number: str, at: int, char: str) -> list[Line]:
    """The number and url lines of a header whose readings print ``number`` with ``char`` at ``at``."""
    read = f"UC-{number[:at]}{char}{number[at + 1 :]}"
    return [line_of(f"Certificate no: {read}"), line_of(f"Certificate url: ude.my/{read}")]


def _measured(number: str, at: int, glyph: str) -> list[tuple[Line, Image.Image, int]]:
    """The number line with ``glyph`` drawn and boxed at the id's place ``at``."""
    page, box = _glyph(glyph, "dejavu/DejaVuSans.ttf")
    read = f"UC-{number}"
    boxes = tuple(box if i == 3 + at else None for i in range(len(read)))
    return [(Line((Word(read, 0.9, (0, 0, 120, 120), (), boxes),)), page, 0)]


def test_a_small_copys_f_before_a_7_read_as_1_puts_the_networks_f_in_doubt_unless_its_shape_is_an_f() -> None:
    number = "9e6397d4-b962-45d3-88b0-cbcf26433798"
    before_7 = number.replace("cbcf2", "cbf72")  # a real 1 before a 7 looks like an f when shrunk
    at = before_7.index("f7")
    assert f_or_1_read_otherwise(before_7, _read_with(before_7, at, "1"), [])
    # One reading of the two printing the 1 is enough.
    header = [_read_with(before_7, at, "1")[0], _read_with(before_7, at, "f")[1]]
    assert f_or_1_read_otherwise(before_7, header, [])
    # The glyph measured there: an f's hook leans right, so the network's f stands; a 1's does not.
    assert not f_or_1_read_otherwise(before_7, _read_with(before_7, at, "1"), _measured(before_7, at, "f"))
    assert f_or_1_read_otherwise(before_7, _read_with(before_7, at, "1"), _measured(before_7, at, "1"))
    # Elsewhere an f read as a 1 is what Tesseract does with most small f's: no doubt.
    elsewhere = number.index("f")
    assert not f_or_1_read_otherwise(number, _read_with(number, elsewhere, "1"), [])


def test_a_small_copys_1_every_reading_prints_as_f_puts_the_networks_1_in_doubt() -> None:
    number = "9e6397d4-b962-45d3-88b1-cbcf26433798"
    at = number.index("1")
    assert f_or_1_read_otherwise(number, _read_with(number, at, "f"), [])
    assert not f_or_1_read_otherwise(number, [_read_with(number, at, "f")[0], _read_with(number, at, "1")[1]], [])
    assert not f_or_1_read_otherwise(number, _read_with(number, at, "f"), _measured(number, at, "1"))


@pytest.mark.parametrize("font", ["dejavu/DejaVuSans-Bold.ttf", "liberation/LiberationSans-Bold.ttf"])
def test_j_and_u_are_told_apart_by_their_stems(font: str) -> None:
    # Given "UJ" printed, each glyph's box measured, but read the other way round by the engine
    page = Image.new("L", (200, 120), 247)
    draw = ImageDraw.Draw(page)
    glyph_font = ImageFont.truetype(str(FONT_DIR / font), 60)
    boxes = []
    for x, char in ((20, "U"), (110, "J")):
        draw.text((x, 20), char, font=glyph_font, fill=90)
        ink = page.crop((x - 10, 0, x + 80, 120)).point(lambda v: 255 if v < 150 else 0).getbbox()
        assert ink is not None
        boxes.append((ink[0] + x - 10, ink[1], ink[2] + x - 10, ink[3]))
    misread = Line((Word("JU", 0.9, (0, 0, 200, 120), (), tuple(boxes)),))
    # Then the glyphs' shapes set them right
    assert j_or_u(page, misread).text == "UJ"


def test_a_code_word_wins_its_place_even_read_shorter_by_the_other_model() -> None:
    portuguese = Line((Word("de", 0.9, (110, 0, 150, 40)), Word("C", 0.9, (160, 0, 190, 40))))
    english = Line((Word("de", 0.9, (110, 0, 150, 40)), Word("C++", 0.9, (160, 0, 230, 40))))
    assert _better_reading([portuguese], [english])[0].text == "de C++"
    # A stray + on an ordinary word is no code word
    own, other = Line((Word("Python", 0.9, (0, 0, 100, 40)),)), Line((Word("Python+", 0.5, (0, 0, 104, 40)),))
    assert _better_reading([own], [other])[0].text == "Python"


def _grey_page_on_white(box: tuple[int, int, int, int], size: tuple[int, int] = PAGE_SIZE) -> Image.Image:
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=248)
    for top in range(box[1] + 100, box[3] - 100, 120):  # a few lines of "text"
        draw.rectangle((box[0] + 60, top, box[0] + 700, top + 30), fill=40)
    return page


def test_a_page_with_wide_margins_is_placed_where_a_download_has_it() -> None:
    # Given the grey page shrunk inside wide white margins (a certificate saved with a border)
    page = _grey_page_on_white((150, 120, 1450, 1076))
    registered, scale = register(page, grey_page(page), PAGE_RECT, PAGE_SIZE)
    # Then it is enlarged and moved onto the download's page box
    found = grey_page(registered)
    assert found is not None
    assert all(abs(a - b) <= 2 for a, b in zip(found.box, PAGE_RECT, strict=True))
    assert scale == pytest.approx(1536 / 1300)


def test_a_page_saved_with_margins_is_placed_from_the_saved_image_in_one_resampling() -> None:
    from PIL import ImageChops, ImageOps, ImageStat

    # Given a download with fine print (strokes a pixel wide, two apart), saved with white margins
    download = _grey_page_on_white(PAGE_RECT)
    draw = ImageDraw.Draw(download)
    for x in range(100, 1500, 3):
        draw.line((x, 600, x, 640), fill=40)
    saved = ImageOps.expand(download, border=(64, 48), fill=255)
    page = normalise(saved)  # shrunk to the page width
    found = grey_page(page)
    # When it is placed where a download has its page, from the image it was made from and without it
    once, scale = register(page, found, PAGE_RECT, PAGE_SIZE, source=saved)
    twice, same_scale = register(page, found, PAGE_RECT, PAGE_SIZE)
    # Then both are placed alike, and the fine print comes out nearer the download's from the saved image
    assert scale == same_scale and once.size == twice.size == PAGE_SIZE

    def error(image: Image.Image) -> float:
        box = (100, 600, 1500, 641)
        return float(ImageStat.Stat(ImageChops.difference(image.crop(box), download.crop(box))).mean[0])

    assert error(once) < error(twice) / 2


def test_a_page_where_a_download_has_it_or_cut_on_every_side_is_left_as_it_is() -> None:
    as_downloaded = _grey_page_on_white(PAGE_RECT)
    assert register(as_downloaded, grey_page(as_downloaded), PAGE_RECT, PAGE_SIZE) == (as_downloaded, 1.0)
    cut_all_round = _grey_page_on_white((0, 0, 1600, 1190))
    found = grey_page(cut_all_round)
    assert found is not None and found.edges == (False, False, False, False)
    assert register(cut_all_round, found, PAGE_RECT, PAGE_SIZE) == (cut_all_round, 1.0)


def test_a_page_cut_short_at_its_foot_gets_the_full_canvas() -> None:
    # Given a screenshot that ends 150 px above the page's foot, its top where a download has it
    full = _grey_page_on_white(PAGE_RECT)
    cut = full.crop((0, 0, PAGE_SIZE[0], PAGE_SIZE[1] - 150))
    found = grey_page(cut)
    assert found is not None and found.edges[3] is False
    registered, scale = register(cut, found, PAGE_RECT, PAGE_SIZE)
    # Then it is read on a canvas of the download's size, the top of the page in its place
    assert registered.size == PAGE_SIZE and scale == pytest.approx(1.0)
    assert registered.crop((0, 0, PAGE_SIZE[0], PAGE_SIZE[1] - 150)).tobytes() == cut.tobytes()


def test_the_old_design_is_told_by_its_blue_border_and_a_grey_copy_by_its_busy_border() -> None:
    import random

    from functions.samples import designs, generator

    rng = random.Random(4)
    old = designs.render_old(designs.random_old_truth(rng), rng)
    current = generator.render(generator._random_truth(rng, 1), rng)
    for image, ornate in ((old, True), (current, False)):
        cut = image.crop((32, 24, image.width - 32, image.height - 24))  # 2 % cut all round
        grey = image.convert("L").convert("RGB")
        blue_bar = Image.new("RGB", (image.width, image.height + 100), (66, 103, 178))  # an app's bar on top
        blue_bar.paste(image, (0, 100))
        red_bar = Image.new("RGB", (image.width, image.height + 30), (200, 30, 30))  # colour on a grey copy
        red_bar.paste(grey, (0, 30))
        for copy in (image, cut, grey, grey.crop((32, 24, image.width - 32, image.height - 24)), blue_bar, red_bar):
            assert is_ornate(copy, deskew(normalise(copy))) is ornate


@pytest.mark.parametrize("font", ["dejavu/DejaVuSans.ttf", "liberation/LiberationSans-Regular.ttf"])
def test_closed_counters_tell_a_9_or_an_8_read_as_s_from_an_s(font: str) -> None:
    assert [counters(*_glyph(char, font)) for char in "S598B"] == [0, 0, 1, 2, 2]
    # An S the engine read over a 9 (the old design's tiny print) becomes unsure; a real S stays
    for char, kept in (("9", "?"), ("S", "S")):
        page, box = _glyph(char, font)
        word = Word("UC-ZYOQUOSL", 0.9, box=(0, 0, 120, 120), char_boxes=(None,) * 9 + (box, None))
        assert open_s(page, Line((word,))).text == f"UC-ZYOQUO{kept}L"


@pytest.mark.parametrize("font", ["dejavu/DejaVuSans.ttf", "liberation/LiberationSans-Regular.ttf"])
def test_an_s_with_a_counter_is_the_engines_next_choice_with_as_many(font: str) -> None:
    def read_as_s(char: str, alternatives: tuple[tuple[str, float], ...]) -> Word:
        choices = (*(((c, 0.95),) for c in "UC-ZYOQUO"), alternatives, (("L", 0.95),))
        return Word("UC-ZYOQUOSL", 0.9, (0, 0, 120, 120), choices, (None,) * 9 + (_glyph(char, font)[1], None))

    # A 9 read as S, the engine's next choice a 9: the 9, and the S is no longer a rival
    nine = open_s(_glyph("9", font)[0], Line((read_as_s("9", (("S", 0.92), ("9", 0.64), ("8", 0.24))),)))
    assert nine.text == "UC-ZYOQUO9L"
    assert [c for c, _ in nine.words[0].choices[9]] == ["9", "8"]
    # An 8 (two counters) whose next choices are a close 8 and B stays unsure
    eight = read_as_s("8", (("S", 0.9), ("8", 0.5), ("B", 0.45)))
    assert open_s(_glyph("8", font)[0], Line((eight,))).text == "UC-ZYOQUO?L"
    # A counter with no matching choice stays unsure
    assert open_s(_glyph("9", font)[0], Line((read_as_s("9", (("S", 0.9),)),))).text == "UC-ZYOQUO?L"


BOLD_AND_REGULAR = [
    "dejavu/DejaVuSans-Bold.ttf",
    "liberation/LiberationSans-Bold.ttf",
    "liberation/LiberationSans-Regular.ttf",
]


@pytest.mark.parametrize("font", BOLD_AND_REGULAR)
@pytest.mark.parametrize(("pair", "settle"), [("S5", s_or_5), ("B8", b_or_8), ("Z2", z_or_2), ("D0", d_or_0)])
def test_look_alikes_are_set_by_their_shape_and_lose_their_rival(
    pair: str, settle: Callable[[Image.Image, Line], Line], font: str
) -> None:
    # S and 5 by the corners of their top; B and 8 by the left side of their waist; Z and 2, D and
    # 0 by their top left corner
    for printed in pair:
        page, box = _glyph(printed, font)
        for read in pair:
            choices = (*(((c, 0.95),) for c in "UC-ABC"), ((read, 0.9), (pair.replace(read, ""), 0.8)))
            word = Word(f"UC-ABC{read}", 0.9, (0, 0, 120, 120), choices, (None,) * 6 + (box,))
            shaped = settle(page, Line((word,))).words[0]
            assert shaped.text == f"UC-ABC{printed}"
            # The alternative the shape rules out is no longer a rival
            assert [c for c, _ in shaped.choices[6]] == [printed]


@pytest.mark.parametrize("font", ["liberation/LiberationSans-Bold.ttf", "liberation/LiberationSans-Regular.ttf"])
def test_a_j_read_as_a_1_or_an_i_is_a_j_by_its_corners(font: str) -> None:
    page, box = _glyph("J", font)
    for read in "1I":
        word = Word(f"UC-AB{read}", 0.9, (0, 0, 120, 120), (), (None,) * 5 + (box,))
        assert j_read_as_1(page, Line((word,))).text == "UC-ABJ"


@pytest.mark.parametrize(
    "font", ["liberation/LiberationSans-Bold.ttf", "noto/NotoSans-Bold.ttf", "dejavu/DejaVuSans.ttf"]
)
def test_a_1_and_an_i_stay_as_read_beside_the_j_check(font: str) -> None:
    # A 1's flag fills the top left corner, or its stem the top right without a hook; an I is a bar.
    for printed in "1I":
        page, box = _glyph(printed, font)
        word = Word(f"UC-AB{printed}", 0.9, (0, 0, 120, 120), (), (None,) * 5 + (box,))
        assert j_read_as_1(page, Line((word,))).text == f"UC-AB{printed}"


def test_a_9_or_8_enclosing_its_counters_loses_the_s_the_engine_nearly_read() -> None:
    for printed, rival in (("9", "S"), ("8", "S"), ("8", "5"), ("6", "G"), ("6", "S")):
        page, box = _glyph(printed, "liberation/LiberationSans-Bold.ttf")
        choices = (*(((c, 0.95),) for c in "UC-AB"), ((printed, 0.8), (rival, 0.7)))
        word = Word(f"UC-AB{printed}", 0.9, (0, 0, 120, 120), choices, (None,) * 5 + (box,))
        assert open_s(page, Line((word,))).words[0].choices[5] == ((printed, 0.8),)
    # An S keeps its place among a 9's alternatives when the glyph holds no counter (it is open).
    page, box = _glyph("S", "liberation/LiberationSans-Bold.ttf")
    choices = (*(((c, 0.95),) for c in "UC-AB"), (("9", 0.8), ("S", 0.7)))
    word = Word("UC-AB9", 0.9, (0, 0, 120, 120), choices, (None,) * 5 + (box,))
    assert open_s(page, Line((word,))).words[0].choices[5] == (("9", 0.8), ("S", 0.7))


def test_an_unmeasured_s_or_5_is_unsure_and_an_unmeasured_b_or_8_stays_as_read() -> None:
    # Two glyphs touching, or no boxes at all
    page = Image.new("L", (120, 120), 247)
    word = Word("UC-ABC5", 0.9, (0, 0, 120, 120), (), (None,) * 7)
    assert s_or_5(page, Line((word,))).text == "UC-ABC?"
    assert s_or_5(page, line_of("UC-ABCS")).text == "UC-ABC?"
    # ... and either of the two, alike: another reading's S or 5 may stand for it (``pick_short_id``)
    read_s = Word("UC-ABCS", 0.9, (0, 0, 120, 120), tuple(((c, 0.9),) for c in "UC-ABCS"), (None,) * 7)
    assert s_or_5(page, Line((read_s,))).words[0].choices[6] == (("S", 0.9), ("5", 0.9))
    # A B or an 8 keeps its reading (a rival, if any, still makes it unsure)
    assert b_or_8(page, line_of("UC-ABCB")).text == "UC-ABCB"


@pytest.mark.parametrize("font", ["dejavu/DejaVuSans.ttf", "liberation/LiberationSans-Bold.ttf"])
def test_c_and_e_are_told_apart_by_the_middle_of_their_right_side(font: str) -> None:
    assert c_or_e(*_glyph("c", font)) == "c"
    assert c_or_e(*_glyph("e", font)) == "e"
    page, (x0, y0, x1, y1) = _glyph("e", font)
    assert c_or_e(page, (x0, y0, x0 + (x1 - x0) // 3, y1)) is None  # a part of a glyph tells nothing


def test_a_full_number_whose_c_the_page_shows_as_an_e_is_contradicted() -> None:
    uuid = "bb55cdfb-371d-41c8-b1c9-c1bd53967d74"
    page = Image.new("L", (1400, 60), 247)
    font = ImageFont.truetype(str(FONT_DIR / "liberation/LiberationSans-Bold.ttf"), 40)
    ImageDraw.Draw(page).text((10, 5), f"UC-{uuid}", font=font, fill=60)
    advance = [font.getlength(f"UC-{uuid}"[:i]) + 10 for i in range(len(uuid) + 4)]
    ink = page.point(lambda v: 255 if v < 150 else 0)
    boxes = tuple(ink.crop((round(advance[i]), 0, round(advance[i + 1]), 60)).getbbox() for i in range(len(uuid) + 3))
    glyphs = tuple(
        (round(advance[i]) + b[0], b[1], round(advance[i]) + b[2], b[3]) if b else None for i, b in enumerate(boxes)
    )
    as_read = Line((Word(f"UC-{uuid}", 0.9, (0, 0, 1400, 60), (), glyphs),))
    assert not c_and_e_contradict(uuid, [(as_read, page, 0)])
    misread = uuid.replace("cdfb", "edfb")  # the c of "cdfb" read as an e
    assert c_and_e_contradict(misread, [(as_read, page, 0)])
    # A measured box that runs into the line under it (a block reading joined two) is not used
    tall = tuple((b[0], b[1], b[2], b[3] + 80) if b and i == 7 else b for i, b in enumerate(glyphs))
    assert _in_line(tall)[7] is None
    assert _in_line(tall)[:7] == glyphs[:7] and _in_line(tall)[8:] == glyphs[8:]
    assert _in_line((None, None)) == (None, None)


def test_a_phones_dark_bars_are_trimmed_and_the_page_kept_whole() -> None:
    # A light page between a status bar (with its clock and icons) and a navigation bar
    page = Image.new("RGB", (800, 600), (247, 248, 250))
    ImageDraw.Draw(page).rectangle((100, 100, 700, 140), fill=(30, 30, 30))
    shot = Image.new("RGB", (800, 600 + 60 + 120), (0, 0, 0))
    shot.paste(page, (0, 60))
    ImageDraw.Draw(shot).rectangle((40, 20, 120, 40), fill=(235, 235, 235))
    trimmed = trim_dark_edges(shot)
    assert trimmed.size == page.size
    assert trimmed.tobytes() == page.tobytes()


def test_a_dark_image_is_not_trimmed_to_nothing() -> None:
    # More than 30 % dark on a side is no frame around a certificate: the image stays as it is
    image = Image.new("RGB", (800, 600), (10, 10, 10))
    ImageDraw.Draw(image).rectangle((0, 500, 799, 599), fill=(250, 250, 250))
    assert trim_dark_edges(image).size == (800, 600)


class _Rereader:
    """An engine that reads the crops it is given as ``texts``, one after the other, and notes
    each crop's size."""

    def __init__(self, *texts: str) -> None:
        self.texts = list(texts)
        self.sizes: list[tuple[int, int]] = []

    def lines(self, image: Image.Image, psm: int, **_: Any) -> list[Line]:
        self.sizes.append(image.size)
        return [line_of(self.texts[min(len(self.sizes), len(self.texts)) - 1])]


def test_a_date_that_does_not_parse_is_read_again_enlarged() -> None:
    page = Image.new("L", (1600, 1190), 250)
    misread = Line(line_of("Date Feb. '7, 2022").words, (64, 1053, 1552, 1074))
    length = Line(line_of("Length 4 total hours").words, (64, 1093, 1552, 1115))
    engine = _Rereader("Date Feb. 7, 2022")
    out = reread_values(page, [misread, length], cast(Any, engine))
    # Then the date line is replaced by the reading every size agrees on, in the same place; the
    # length line, which parsed, is not read again
    assert [line.text for line in out] == ["Date Feb. 7, 2022", "Length 4 total hours"]
    assert out[0].box == misread.box
    assert len(engine.sizes) == 4 and all(height > 1074 - 1053 + 12 for _, height in engine.sizes)


def test_a_date_two_sizes_agree_on_is_taken_when_no_size_reads_another() -> None:
    page = Image.new("L", (1600, 1190), 250)
    lines = [Line(line_of("Date Feb. '7, 2022").words, (64, 1053, 1552, 1074))]
    engine = _Rereader("Date Feb. 7, 2022", "Date Feb. '7, 2022", "Date Feb. 7, 2022", "Date Feb. '7, 2022")
    assert [line.text for line in reread_values(page, lines, cast(Any, engine))] == ["Date Feb. 7, 2022"]


def test_a_date_the_sizes_read_differently_stays_unread() -> None:
    # "'7" read as 17 at one size and 7 at two others: any of them could be the misread
    page = Image.new("L", (1600, 1190), 250)
    lines = [Line(line_of("Date Feb. '7, 2022").words, (64, 1053, 1552, 1074))]
    engine = _Rereader("Date Feb. 17, 2022", "Date Feb. 7, 2022", "Date Feb. 7, 2022")
    assert reread_values(page, lines, cast(Any, engine)) is lines


def test_a_date_misread_at_every_size_stays_as_read() -> None:
    page = Image.new("L", (1600, 1190), 250)
    lines = [Line(line_of("Date Feb. '7, 2022").words, (64, 1053, 1552, 1074))]
    engine = _Rereader("Date Feb. '7, 2022")
    assert reread_values(page, lines, cast(Any, engine)) is lines
    assert len(engine.sizes) == 4  # every size was tried


def _screen_with_page(page_size: tuple[int, int], top: int) -> Image.Image:
    """A white 1080x2340 phone screen with a light grey page (the current design's) at ``top``,
    under a browser's light address bar and above its light tool bar."""
    screen = Image.new("RGB", (1080, 2340), (255, 255, 255))
    draw = ImageDraw.Draw(screen)
    draw.rectangle((0, top, page_size[0] - 1, top + page_size[1] - 1), fill=(247, 248, 250))
    draw.rectangle((100, top + 200, 900, top + 260), fill=(30, 30, 30))  # a bold title line
    draw.rectangle((50, 30, 170, 70), fill=(20, 20, 20))  # the clock
    draw.rectangle((40, 140, 1040, 220), fill=(248, 249, 250))  # the address bar, the page's grey
    draw.rectangle((0, 2180, 1080, 2340), fill=(248, 249, 250))  # the tool bar
    return screen


def test_a_certificate_across_an_upright_phone_screen_is_found() -> None:
    window = landscape_window(_screen_with_page((1080, 803), 760))
    assert window is not None
    top, bottom = window
    # Then the window holds the page and a little margin, not the browser's bars
    margin = round(0.03 * 1080)
    assert (top, bottom) == (760 - margin, 760 + 803 + margin)


def test_a_certificate_turned_by_90_degrees_is_no_window() -> None:
    # Its page runs the whole height: it is turned, not shown on an upright screen
    assert landscape_window(_screen_with_page((1080, 2340), 0)) is None


def test_blue_links_around_a_current_certificate_are_no_old_design_border() -> None:
    import random

    from functions.samples.generator import _random_truth, render

    # Given a current-design certificate posted on a site with blue links above, below and beside it
    rng = random.Random(3)
    shot = Image.new("RGB", (2000, 1600), (255, 255, 255))
    shot.paste(render(_random_truth(rng, 0), rng).resize((1000, 744)), (500, 430))
    draw = ImageDraw.Draw(shot)
    blue = (10, 102, 194)
    draw.rectangle((500, 380, 720, 400), fill=blue)  # the poster's name
    draw.rectangle((500, 1200, 900, 1220), fill=blue)  # like, comment, share
    for y in range(500, 1180, 60):  # menus of links on both sides
        draw.rectangle((360, y, 480, y + 14), fill=blue)
        draw.rectangle((1520, y, 1640, y + 14), fill=blue)
    # Then no old-design border is cut out of it
    assert framed_old_design(shot) is None


def test_an_old_certificate_on_a_web_page_is_cut_out_by_its_border() -> None:
    import random

    from functions.samples import designs

    rng = random.Random(5)
    page = designs.render_old(designs.random_old_truth(rng), rng).convert("RGB").resize((1200, 896))
    shot = Image.new("RGB", (1920, 1080), (255, 255, 255))
    shot.paste(page, (360, 120))
    framed = framed_old_design(shot)
    assert framed is not None
    # The certificate with a small margin, not the page around it
    assert 1200 * 0.92 <= framed.width <= 1200 * 1.08 and 896 * 0.92 <= framed.height <= 896 * 1.08


def test_glyph_boxes_follow_the_ink_in_order_when_the_engines_boxes_are_a_glyph_off() -> None:
    page = Image.new("L", (400, 60), 247)
    font = ImageFont.truetype(str(FONT_DIR / "liberation/LiberationSans-Bold.ttf"), 40)
    ImageDraw.Draw(page).text((10, 5), "UC-1AN", font=font, fill=60)
    ink = page.point(lambda v: 255 if v < 150 else 0)
    edges = [round(font.getlength("UC-1AN"[:i])) + 10 for i in range(7)]
    printed = []
    for left, right in itertools.pairwise(edges):
        box = ink.crop((left, 0, right, 60)).getbbox()
        assert box is not None
        printed.append((left + box[0], box[1], left + box[2], box[3]))
    # The engine's character boxes, each shifted right by most of a glyph (the dash's over the 1)
    shift = (edges[-1] - edges[0]) * 2 // 3 // 6
    engine = tuple((b[0] + shift, b[1], b[2] + shift, b[3]) for b in printed)
    word = Word("UC-1AN", 0.9, (edges[0], 0, edges[-1], 59), (), engine)
    assert with_glyph_boxes(page, Line((word,)), r"\S").char_boxes == tuple(printed)
    # Shifted further than a glyph, the engine's boxes are not trusted to be in order: no box
    # is given where two of them fall on one glyph
    far = tuple((b[0] + 2 * (edges[1] - edges[0]), b[1], b[2] + 2 * (edges[1] - edges[0]), b[3]) for b in printed)
    measured = with_glyph_boxes(page, Line((replace(word, char_boxes=far),)), r"\S").char_boxes
    assert measured != tuple(printed)


@pytest.mark.parametrize(
    "font", ["dejavu/DejaVuSans-Bold.ttf", *(f"liberation/LiberationSans-{s}.ttf" for s in ("Bold", "Regular"))]
)
def test_1_and_l_are_told_apart_by_where_their_stem_stands(font: str) -> None:
    for printed in "1L":
        page, box = _glyph(printed, font)
        for read in "1L":
            word = Word(f"UC-ABC{read}", 0.9, (0, 0, 120, 120), (), (None,) * 6 + (box,))
            assert one_or_l(page, Line((word,))).text == f"UC-ABC{printed}"
    # Unmeasured, it stays as read
    assert one_or_l(page, line_of("UC-ABCL")).text == "UC-ABCL"


def _run_together(text: str, into: int = 4) -> tuple[Image.Image, Word]:
    """``text`` in the old id's bold print (enlarged), each glyph's ink drawn ``into`` px into the
    one before it, as a word with each glyph's drawn box as the engine's box."""
    face = ImageFont.truetype(str(FONT_DIR / "liberation/LiberationSans-Bold.ttf"), 40)
    page = Image.new("L", (400, 60), 247)
    right, boxes = 10, []
    for char in text:
        left, top, width, bottom = face.getbbox(char)
        x = right - into - left
        ImageDraw.Draw(page).text((x, 5), char, font=face, fill=60)
        boxes.append((x + left, 5 + top, x + width, 5 + bottom))
        right = x + width
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    return page, Word(text, 0.9, (10, top, boxes[-1][2], bottom), (), tuple(boxes))


def test_an_0_or_an_o_run_into_a_neighbour_is_told_by_its_counter() -> None:
    for text, shown in (("UC-4OM", "O"), ("UC-40M", "0"), ("UC-MOB", None), ("UC-M0B", None)):
        page, word = _run_together(text)
        measured = with_glyph_boxes(page, Line((word,)), r"\S").char_boxes
        cap_height = float(word.char_boxes[0][3] - word.char_boxes[0][1])  # the U's
        # The glyphs touch: none has a run of ink of its own
        assert measured[3] is None and measured[5] is None, text
        # The ring's box, from its counter and strokes, shows which it is, whatever was read;
        # run into glyphs on both sides, its box is not guessed
        for read in "0O":
            assert glyph_shape(read, measured[4], cap_height) == shown, (text, read)


def test_an_s_or_a_5_run_into_a_neighbour_is_cut_from_it_and_told_by_its_shape() -> None:
    def settled(text: str, read: str, into: int) -> str:
        page, word = _run_together(text, into)
        line = with_glyph_boxes(page, Line((word,)), r"\S")
        misread = replace(line.words[0], text=text[:4] + read + text[5:])
        return s_or_5(page, Line((misread,))).text[4]

    # Touching S and 5 between neighbours, whichever of the two the engine read
    for text in ("UC-8S4", "UC-854", "UC-8S8", "UC-858"):
        page, word = _run_together(text, into=2)
        assert None in with_glyph_boxes(page, Line((word,)), r"\S").char_boxes[3:6:2], text  # they touch
        for read in "S5":
            assert settled(text, read, 2) == text[4], (text, read)
    # Never the other one: cut where the touch is, or left unsure (beside a T's bar too)
    for before, printed, after in itertools.product("8B3E7T", "S5", "8B3EZT"):
        text = f"UC-{before}{printed}{after}"
        assert {settled(text, read, 2) for read in "S5"} <= {printed, "?"}, text
    # Run into a neighbour along a thick join (no touch to cut at), it is left unsure
    assert settled("UC-8S4", "S", 9) == "?"


@pytest.mark.parametrize(
    "font", ["dejavu/DejaVuSerif-BoldItalic.ttf", "liberation/LiberationSans-Bold.ttf", "dejavu/DejaVuSans.ttf"]
)
def test_an_m_read_as_a_trade_mark_sign_is_put_back_where_it_stands_on_the_line(font: str) -> None:
    typeface = ImageFont.truetype(str(FONT_DIR / font), 40)
    for (first, word, rest), read, expected in (
        (("by", "TM", "online"), "T™", "TM"),  # the course "... Bootcamp by TM": an M on the line
        (("by", "T™", "online"), "T™", "T™"),  # a raised sign stays one
        (("Blockchain", "A-Z™:", "Learn"), "A-Z™:", "A-Z™:"),
        (("Blockchain", "A-ZM:", "Learn"), "A-Z™:", "A-ZM:"),
    ):
        # Given the line drawn, and the engine's box for the word ending inside its last glyph
        page = Image.new("L", (800, 70), 247)
        draw = ImageDraw.Draw(page)
        printed = f"{first} {word} {rest}"
        x = 10 + draw.textlength(first + " ", font=typeface)
        draw.text((10, 10), printed, font=typeface, fill=40)
        end = x + draw.textlength(word, font=typeface)
        next_x = end + draw.textlength(" ", font=typeface)
        words = (
            Word(first, 0.9, (10, 10, round(x) - 8, 60)),
            Word(read, 0.9, (round(x), 10, round(end) - 12, 60)),
            Word(rest, 0.9, (round(next_x), 10, round(next_x + 60), 60)),
        )
        # Then the sign is an M exactly where the glyph stands on the baseline
        assert raised_trade_mark(page, Line(words)).words[1].text == expected, (font, printed)


@pytest.mark.parametrize("font", ["liberation/LiberationSans-Bold.ttf", "dejavu/DejaVuSans-Bold.ttf"])
def test_a_bullet_read_as_a_plus_on_a_small_copy_is_put_back_by_its_filled_glyph(font: str) -> None:
    typeface = ImageFont.truetype(str(FONT_DIR / font), 20)
    for printed in ("•", "+"):
        # Given an instructor's decorated name, as a 640 px copy shows it enlarged to 1600 px
        page = Image.new("L", (600, 40), 247)
        draw = ImageDraw.Draw(page)
        draw.text((10, 8), f"Davila {printed} 1.000.000+", font=typeface, fill=30)
        page = page.resize((240, 16), Image.Resampling.LANCZOS).resize((600, 40), Image.Resampling.LANCZOS)
        start = 10 + draw.textlength("Davila ", font=typeface)
        end = start + draw.textlength(printed, font=typeface)
        words = (
            Word("Davila", 0.95, (10, 8, round(start) - 5, 32)),
            Word("+", 0.8, (round(start) - 2, 8, round(end) + 2, 32), (((("+", 0.8), ("*", 0.3))),)),
            Word("1.000.000+", 0.9, (round(end) + 5, 8, 200, 32)),
        )
        # When the engine reads its mark as a plus, Then a filled disc is the bullet, a cross stays a plus
        settled = bullet_or_plus(page, Line(words)).words[1]
        assert settled.text == printed, (font, printed)
        assert settled.choices[0][0][0] == printed
