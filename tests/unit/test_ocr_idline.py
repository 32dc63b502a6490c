"""The id-line network's decoding (CTC constrained to the certificate number's pattern), its
numpy layers, and what the shipped weights read."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from functions.ocr import glyphs, idline, reader
from functions.ocr.parse import Line, Word, line_of
from functions.samples import id_lines
from functions.samples.generator import FONT_DIR

NUMBER = "4c00f41d-054f-428c-8fff-6b1beffcf17e"


def _path_log_probs(text: str, rng: np.random.Generator, frames_per_char: int = 2, sharp: float = 6.0) -> np.ndarray:
    """Network-like log-probabilities that spell ``text`` with noise: each character for a few
    frames, a blank after it."""
    path: list[int] = []
    for ch in text:
        path += [idline.ALPHABET.index(ch) + 1] * frames_per_char + [0]
    logits = rng.normal(size=(len(path), len(idline.ALPHABET) + 1))
    logits[np.arange(len(path)), path] += sharp
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def _brute_force(log_probs: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Each position's posterior by enumerating every frame labelling that collapses to a string
    of the pattern ``allowed`` (positions x classes)."""
    slots, classes = allowed.shape
    posterior = np.zeros((slots, classes))
    for labels in itertools.product(range(classes), repeat=log_probs.shape[0]):
        out, previous = [], 0
        for label in labels:
            if label and label != previous:
                out.append(label)
            previous = label
        if len(out) == slots and all(allowed[j, c] for j, c in enumerate(out)):
            weight = np.exp(sum(log_probs[t, c] for t, c in enumerate(labels)))
            for j, c in enumerate(out):
                posterior[j, c] += weight
    return posterior / posterior.sum(axis=1, keepdims=True)


def test_pattern_posteriors_equal_the_sum_over_every_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a small pattern (two free positions, a fixed one, a repeat-prone pair) and noisy frames
    allowed = np.array([[0, 1, 1], [0, 1, 1], [0, 1, 0], [0, 0, 1], [0, 1, 1]], dtype=float)
    monkeypatch.setattr(idline, "ALLOWED", allowed)
    log_probs = np.random.default_rng(3).normal(size=(8, 3))
    log_probs -= np.log(np.exp(log_probs).sum(axis=1, keepdims=True))
    # When decoded by forward-backward, then by enumerating all 3^8 labellings
    fast = idline.pattern_posteriors(log_probs)
    # Then both agree (the repeat rule included: a b b needs a blank between the two b)
    np.testing.assert_allclose(fast, _brute_force(log_probs, allowed), atol=1e-9)


def test_a_clear_line_decodes_to_its_number() -> None:
    log_probs = _path_log_probs(f"UC-{NUMBER}", np.random.default_rng(0))
    reading = idline.fuse([idline.pattern_posteriors(log_probs)])
    assert reading.uuid == NUMBER
    assert reading.confidence > 0.99
    assert reading.support(NUMBER).min() > 0.99


def test_the_pattern_fills_in_what_the_line_cannot_say() -> None:
    # Given frames that put an "e" where the UUID4 version nibble is (always 4) and a "c" where
    # its variant nibble is (8, 9, a or b)
    misread = f"UC-{NUMBER[:14]}e{NUMBER[15:19]}c{NUMBER[20:]}"
    log_probs = _path_log_probs(misread, np.random.default_rng(1))
    reading = idline.fuse([idline.pattern_posteriors(log_probs)])
    # Then the version is 4 and the variant one of its four digits, never the misread
    assert reading.uuid[14] == "4"
    assert reading.uuid[19] in "89ab"
    assert reading.posteriors[16].max() < 0.99  # the variant was not seen: not sure of it


def test_two_printings_multiply_their_evidence() -> None:
    # Given one printing unsure between 5 and 6 at a digit, the other leaning to 6
    rng = np.random.default_rng(2)
    first = idline.pattern_posteriors(_path_log_probs(f"UC-{NUMBER}", rng))
    second = first.copy()
    slot = idline.DIGIT_SLOTS[9]  # the "5" of "054f"
    five, six = idline.ALPHABET.index("5") + 1, idline.ALPHABET.index("6") + 1
    first[slot] = 0.0
    first[slot, [five, six]] = [0.55, 0.45]
    second[slot] = 0.0
    second[slot, [five, six]] = [0.2, 0.8]
    # When fused
    reading = idline.fuse([first, second])
    # Then the digit follows the product (0.11 against 0.36), and stays unsure
    assert reading.uuid[10] == "6"
    assert 0.7 < reading.digit_confidence[9] < 0.8


def test_support_scores_another_number_digit_by_digit() -> None:
    log_probs = _path_log_probs(f"UC-{NUMBER}", np.random.default_rng(4), sharp=9.0)
    reading = idline.fuse([idline.pattern_posteriors(log_probs)])
    other = "4c00f41d-054f-428c-8fff-6b1beffcf17a"  # the last digit differs
    support = reading.support(other)
    assert support[:-1].min() > 0.99
    assert support[-1] < 0.01


def test_numpy_layers_match_their_definitions() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 4, 5)).astype(np.float32)
    w = rng.normal(size=(3, 2, 3, 3)).astype(np.float32)
    b = rng.normal(size=3).astype(np.float32)
    out = idline._conv3x3(x, w, b)
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    for o, i, j in itertools.product(range(3), range(4), range(5)):
        assert out[o, i, j] == pytest.approx(float((w[o] * padded[:, i : i + 3, j : j + 3]).sum() + b[o]), abs=1e-4)
    pooled = idline._max_pool(np.arange(2 * 4 * 6, dtype=np.float32).reshape(2, 4, 6), 2, 2)
    assert pooled.shape == (2, 2, 3)
    assert pooled[1, 1, 2] == 47.0


def test_cut_id_lines_cuts_both_printings_alike() -> None:
    # Given a header strip with two dark lines, the second with a descender below it
    header = Image.new("L", (300, 80), 245)
    header.paste(90, (60, 10, 280, 22))
    header.paste(90, (40, 40, 280, 52))
    header.paste(90, (100, 52, 104, 56))  # the "y" of ude.my
    crops = idline.cut_id_lines(header, [(10, 22), (40, 56)], id_left=150, ink_right=280)
    # Then each crop is two ink heights of the number line high, from 6 px left of the id
    assert [c.size for c in crops] == [(280 + idline.RIGHT_SLACK - 144, 24)] * 2


def test_the_network_reads_numbers_in_fonts_it_was_not_trained_on() -> None:
    """The shipped weights, on freshly drawn headers in the evaluation set's fonts (held out of
    training), at full size: every number read right and sure."""
    fonts = id_lines.installed(id_lines.HELD_OUT_FONTS)
    if not fonts:
        pytest.skip("the held-out fonts (fonts-liberation, fonts-dejavu-core, fonts-noto-core) are not installed")
    net = idline.IdLineNet()
    rng = random.Random(11)
    for k in range(6):
        number = id_lines.random_uuid(rng)
        strip, left, bands = id_lines.draw_header(rng, fonts[k % len(fonts)], number)
        reading = net.read(idline.cut_id_lines(strip, bands, left, id_lines.STRIP_WIDTH - id_lines.RIGHT_MARGIN))
        assert reading is not None
        assert reading.uuid == number
        assert reading.confidence > 0.9


def test_the_network_is_not_sure_of_a_line_without_a_number() -> None:
    net = idline.IdLineNet()
    noise = Image.effect_noise((400, 24), 40).point(lambda v: 255 - v // 4)
    reading = net.read([noise, noise])
    assert reading is not None
    # The pattern makes 32 digits of any line; on noise the least sure of them stays far below
    # what the reader takes on the network's word.
    assert reading.confidence < 0.9 < reader.NET_SURE


def _reading(uuid: str, sure: float) -> idline.IdLineReading:
    """A network reading of ``uuid`` that gives each digit posterior ``sure``."""
    digits = uuid.replace("-", "")
    posteriors = np.full((32, 16), (1.0 - sure) / 15)
    for i, ch in enumerate(digits):
        posteriors[i, idline.HEX.index(ch)] = sure
    return idline.IdLineReading(uuid, posteriors)


OTHER = "9261b3e7-4582-4c8f-99f9-236eda92032c"
NO_F_OR_1 = "3c42da4c-6532-42d5-b389-7ca8c692e53e"


def test_a_vote_the_network_does_not_rule_out_stands() -> None:
    reading = _reading(NUMBER, 0.9)  # the other digits keep 0.0067 each: none ruled out
    assert reader.settle_id(OTHER, 0.95, reading, "cert.jpg", [], []) == (OTHER, 0.95)


def test_a_vote_the_sure_network_rules_out_gives_no_number() -> None:
    assert reader.settle_id(OTHER, 0.95, _reading(NUMBER, 0.9999), "cert.jpg", [], []) == (None, 0.0)


def test_on_a_full_size_page_a_sure_network_backed_by_a_reading_splits_the_readings() -> None:
    # Given three readings of "0f" as "df" (a 0 with the f's stem), and one reading it right, as
    # the sure network does
    right = "3d16e30e-22b6-4c43-bad2-faa0f93c6dd3"
    voted = right.replace("faa0f", "faadf")
    header = [
        line_of(f"Numero de certificado: UC-{voted}"),
        line_of(f"Url del certificado ude.my/UC-{right}"),
        line_of(f"UC-{voted}"),
        line_of(f"UC-{voted}"),
    ]
    sure = _reading(right, 0.9999)
    # Then the readings are disputed, and the network's number is given on a full-size page
    assert glyphs.disputed(voted, header) and not glyphs.disputed(voted, [header[0], header[2]])
    number, confidence = reader.settle_id(voted, 0.95, sure, "cert.jpg", header, [], full_size=True)
    assert number == right and confidence <= reader.NET_CONFIDENCE_CAP
    # But not on a smaller copy, nor where no reading prints the network's digit
    assert reader.settle_id(voted, 0.95, sure, "cert.jpg", header, []) == (None, 0.0)
    unbacked = [header[0], header[2]]
    assert reader.settle_id(voted, 0.95, sure, "cert.jpg", unbacked, [], full_size=True) == (None, 0.0)


def test_without_a_vote_a_sure_reading_is_given_with_a_capped_confidence() -> None:
    number, confidence = reader.settle_id(None, 0.0, _reading(NO_F_OR_1, 0.999), "cert.jpg", [], [])
    assert number == NO_F_OR_1
    assert confidence <= reader.NET_CONFIDENCE_CAP


def test_an_unsure_reading_is_not_given() -> None:
    assert reader.settle_id(None, 0.0, _reading(NO_F_OR_1, 0.9), "cert.jpg", [], []) == (None, 0.0)


def test_a_nearly_sure_reading_is_given_where_every_reading_prints_its_less_sure_digits_so() -> None:
    # Given the network nearly sure (0.97) of the 6 of "3c42da4c-6532-..." at place 9,
    # sure of the others
    nearly = _reading(NO_F_OR_1, 0.9999)
    nearly.posteriors[8] = np.full(16, 0.03 / 15)
    nearly.posteriors[8, idline.HEX.index("6")] = 0.97
    assert nearly.places_below(reader.NET_SURE) == [9]
    number_line, url_line = f"Certificate no: UC-{NO_F_OR_1}", f"Certificate url: ude.my/UC-{NO_F_OR_1}"
    # When every reading prints that digit as the network reads it, its number is given
    header = [line_of(number_line), line_of(url_line)]
    assert reader.settle_id(None, 0.0, nearly, "cert.jpg", header, [], small=True)[0] == NO_F_OR_1
    # Not where a reading prints another digit there, nor where no reading prints the place
    otherwise = [line_of(number_line), line_of(url_line.replace("6532", "8532"))]
    assert reader.settle_id(None, 0.0, nearly, "cert.jpg", otherwise, [], small=True) == (None, 0.0)
    assert reader.settle_id(None, 0.0, nearly, "cert.jpg", [], [], small=True) == (None, 0.0)
    # Nor when the network is less sure than NET_PRINTED_AT_LEAST
    unsure = _reading(NO_F_OR_1, 0.9999)
    unsure.posteriors[8] = np.full(16, 0.1 / 15)
    unsure.posteriors[8, idline.HEX.index("6")] = 0.9
    assert reader.settle_id(None, 0.0, unsure, "cert.jpg", header, [], small=True) == (None, 0.0)


def test_on_a_small_copy_an_f_before_a_7_read_as_a_1_keeps_the_network_from_giving_its_number() -> None:
    # The network takes a real small copy's 1 before a 7 for an f now and then, sure of it
    # ("cf17e" as "cff7e").
    sure = _reading(NUMBER.replace("cf17e", "cff7e"), 0.9999)
    header = [line_of(f"Certificate no: UC-{NUMBER}"), line_of(f"Certificate url: ude.my/UC-{NUMBER}")]
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header, [], small=True) == (None, 0.0)
    # On a larger copy the network is not seen wrong so: its number stands.
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header, [])[0] == sure.uuid
    # One reading of the two printing a 1 there is doubt enough; both printing the f, none.
    header[1] = line_of(f"Certificate url: ude.my/UC-{sure.uuid}")
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header, [], small=True) == (None, 0.0)
    header[0] = line_of(f"Certificate no: UC-{sure.uuid}")
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header, [], small=True)[0] == sure.uuid
    header[1] = line_of(f"Certificate url: ude.my/UC-{NUMBER}")
    # Tesseract reads a small f as a 1 as often as not: an f read as 1 by some readings is no doubt.
    right = _reading(NUMBER, 0.9999)
    header = [line_of(f"Certificate no: UC-{NUMBER.replace('cf17e', 'c117e')}"), header[1]]
    assert reader.settle_id(None, 0.0, right, "cert.jpg", header, [], small=True)[0] == NUMBER


def test_a_glyph_shape_against_the_sure_network_vetoes_its_number_on_a_large_copy_only() -> None:
    # The network reads the number's first c, but the glyph measured there is open nowhere: an e.
    sure = _reading(NO_F_OR_1, 0.9999)
    page = Image.new("L", (120, 120), 247)
    ImageDraw.Draw(page).text(
        (30, 20), "e", font=ImageFont.truetype(str(FONT_DIR / "dejavu/DejaVuSans.ttf"), 60), fill=90
    )
    box = page.point(lambda v: 255 if v < 150 else 0).getbbox()
    assert box is not None and glyphs.c_or_e(page, box) == "e"
    read = f"UC-{NO_F_OR_1}"
    boxes = tuple(box if i == 3 + NO_F_OR_1.index("c") else None for i in range(len(read)))
    checks = [(Line((Word(read, 0.9, (0, 0, 120, 120), (), boxes),)), page, 0)]
    header = [line_of(f"Certificate no: {read}"), line_of(f"Certificate url: ude.my/{read}")]
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header, checks) == (None, 0.0)
    # On a small copy a glyph is a few pixels wide: its measured shape does not overrule the network.
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header, checks, small=True)[0] == NO_F_OR_1


def test_a_six_every_tesseract_reading_prints_as_a_five_keeps_the_sure_network_from_giving_its_number() -> None:
    # The network reads a real certificate's 5 as a 6 now and then, sure of it; Tesseract reads it right.
    sure = _reading(NO_F_OR_1, 0.9999)
    fives = NO_F_OR_1.replace("6532", "5532")
    header = [line_of(f"Certificate no: UC-{fives}"), line_of(f"Certificate url: ude.my/UC-{fives}")]
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header, [])[0] is None
    # One reading of it is too little; a reading of the 6 as a 6, or another digit, is no such doubt.
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header[:1], [])[0] == NO_F_OR_1
    header[1] = line_of(f"Certificate url: ude.my/UC-{NO_F_OR_1}")
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header, [])[0] == NO_F_OR_1
    eights = NO_F_OR_1.replace("6532", "8532")
    header = [line_of(f"Certificate no: UC-{eights}"), line_of(f"Certificate url: ude.my/UC-{eights}")]
    assert reader.settle_id(None, 0.0, sure, "cert.jpg", header, [])[0] == NO_F_OR_1


def test_the_file_names_number_is_taken_only_where_the_network_finds_it_plausible() -> None:
    unsure = _reading(NUMBER, 0.9)
    assert reader.settle_id(None, 0.0, unsure, f"UC-{NUMBER}.jpg", [], []) == (NUMBER, reader.NAMED_ID_CONFIDENCE)
    # Another certificate's number in the name: the network gives its digits next to nothing.
    assert reader.settle_id(None, 0.0, unsure, f"UC-{OTHER}.jpg", [], []) == (None, 0.0)


def _misread(uuid: str, places: int) -> str:
    """``uuid`` with its first ``places`` hex digits (not the version nibble) read as another digit."""
    chars, changed = list(uuid), 0
    for i, ch in enumerate(chars):
        if changed == places:
            break
        if ch != "-" and i != 14:
            chars[i] = "0" if ch != "0" else "1"
            changed += 1
    return "".join(chars)


def test_the_named_number_survives_the_network_misreading_two_of_its_digits_not_three() -> None:
    # Given a blurred copy the network reads surely with two digits wrong
    named = f"UC-{NUMBER}.jpg"
    two_off, three_off = _reading(_misread(NUMBER, 2), 0.99), _reading(_misread(NUMBER, 3), 0.99)
    assert two_off.support(NUMBER).min() < reader.NET_NAMED
    # Then the number the file is named after is still taken, but not with a third digit against it
    assert reader.settle_id(None, 0.0, two_off, named, [], [])[0] == NUMBER
    assert reader.settle_id(None, 0.0, three_off, named, [], []) == (None, 0.0)


def test_the_reader_knows_where_the_weights_are_without_importing_numpy() -> None:
    assert reader.ID_LINE_WEIGHTS == idline.MODEL_PATH
    assert idline.MODEL_PATH.is_file()


def _scored_line(label: str, uuid: str, rivals: dict[int, tuple[str, float, float]]) -> Line:
    """``label UC-uuid`` read with every character's alternatives: 0.95 for the printed one, and at
    each index of ``uuid`` in ``rivals`` the printed character's and a rival's scores."""
    token = f"UC-{uuid}"
    choices = []
    for i, char in enumerate(token):
        if i - 3 in rivals:
            rival, own, other = rivals[i - 3]
            choices.append(tuple(sorted(((char, own), (rival, other)), key=lambda c: -c[1])))
        else:
            choices.append(((char, 0.95),))
    return Line((*(Word(w, 0.9) for w in label.split()), Word(token, 0.9, None, tuple(choices))))


def test_a_number_every_reading_agrees_on_is_in_doubt_where_one_scored_another_digit_nearly_as_high() -> None:
    # Given six readings agreeing on "...1fed" where a 0 is printed, each scoring the 0 close
    printed = NUMBER[:-1] + "d"  # NUMBER ends in "e": any last digit will do
    lines = [_scored_line("Certificate no:", printed, {35: ("0", 0.9, 0.6)}) for _ in range(2)]
    lines.append(_scored_line("Certificate url: ude.my/", printed, {35: ("O", 0.73, 0.81)}))
    # Then the number is in doubt (the reader asks the id-line network), but not with a far rival
    assert glyphs.rival_digit(printed, lines)
    assert not glyphs.rival_digit(printed, [_scored_line("Certificate no:", printed, {35: ("0", 0.9, 0.3)})])
    # And the network's sure 0 there is backed by the reading that scored the 0 first
    right = NUMBER[:-1] + "0"
    sure = _reading(right, 0.9999)
    assert reader.settle_id(printed, 0.97, sure, "cert.jpg", lines, [], full_size=True)[0] == right
    # But not where every reading scored the d first: then no number at all
    unbacked = lines[:2]
    assert reader.settle_id(printed, 0.97, sure, "cert.jpg", unbacked, [], full_size=True) == (None, 0.0)


def test_a_number_line_read_with_nothing_in_doubt_gives_the_number_without_the_url_line() -> None:
    # Given the number line read alone as a valid number, every character sure and far ahead
    sure = _scored_line("Certificate no:", NUMBER, {})
    # Then it settles the number: the url line is not read to agree with it
    assert reader._number_line_settles([sure])
    # But not where a digit had a close rival, a character was left unsure, or the number is no
    # valid UUID4; nor is the url line, nor two readings, taken so
    assert not reader._number_line_settles([_scored_line("Certificate no:", NUMBER, {35: ("0", 0.9, 0.6)})])
    assert not reader._number_line_settles([line_of(f"Certificate no: UC-{NUMBER[:-1]}?")])
    invalid = NUMBER[:14] + "1" + NUMBER[15:]  # a 1 where a UUID4 has its version, 4
    assert not reader._number_line_settles([line_of(f"Certificate no: UC-{invalid}")])
    assert not reader._number_line_settles([_scored_line("Certificate url: ude.my/", NUMBER, {})])
    assert not reader._number_line_settles([sure, sure])
