"""The names network's scoring of candidate texts (CTC), the line cut it reads, the candidates the
reader puts to it, and what the shipped weights rule on lines in type they were not trained on."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from functions.ocr import namelines, reader
from functions.ocr.parse import Word
from functions.ocr.smallprint import MAX_VARIANTS, rival_variants
from functions.samples import name_lines
from functions.samples.generator import FONT_DIR

CLASSES = len(namelines.ALPHABET) + 1


def _uniform(steps: int) -> np.ndarray:
    return np.full((steps, CLASSES), -np.log(CLASSES))


def _spelling(text: str, frames: int = 2, sharp: float = 8.0) -> np.ndarray:
    """Log-probabilities that spell ``text``: each character for ``frames`` steps, then a blank."""
    path: list[int] = []
    for ch in text:
        path += [namelines.CLASS_OF[ch]] * frames + [0]
    logits = np.zeros((len(path), CLASSES))
    logits[np.arange(len(path)), path] = sharp
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def test_a_texts_likelihood_counts_every_path_that_spells_it() -> None:
    # Given a network that finds every class equally likely at each step
    # Then "a" over two steps has three paths (a a, blank a, a blank) of C^-2 each
    assert np.exp(namelines.text_log_likelihood(_uniform(2), "a")) == pytest.approx(3 / CLASSES**2)
    # And a doubled letter needs a blank between its two: no path in two steps, one in three
    assert namelines.text_log_likelihood(_uniform(2), "ll") == float("-inf")
    assert np.exp(namelines.text_log_likelihood(_uniform(3), "ll")) == pytest.approx(1 / CLASSES**3)


def test_a_texts_likelihood_equals_the_sum_over_enumerated_paths() -> None:
    # Given noisy frames over three classes only (blank, a, b; the rest impossible)
    rng = np.random.default_rng(5)
    live = [0, namelines.CLASS_OF["a"], namelines.CLASS_OF["b"]]
    log_probs = np.full((6, CLASSES), -np.inf)
    noise = rng.normal(size=(6, 3))
    log_probs[:, live] = noise - np.log(np.exp(noise).sum(axis=1, keepdims=True))
    for text in ("ab", "aab", "ba", "bab"):
        # When every labelling of the six frames is enumerated and collapsed
        total = 0.0
        for labels in itertools.product(live, repeat=6):
            out, previous = [], 0
            for label in labels:
                if label and label != previous:
                    out.append(namelines.ALPHABET[label - 1])
                previous = label
            if "".join(out) == text:
                total += float(np.exp(sum(log_probs[t, c] for t, c in enumerate(labels))))
        # Then the forward pass gives the same probability
        assert np.exp(namelines.text_log_likelihood(log_probs, text)) == pytest.approx(total, rel=1e-9)


def test_the_networks_own_reading_drops_blanks_and_repeats() -> None:
    assert namelines.best_path(_spelling("Anna Lee, Instructor")) == "Anna Lee, Instructor"


def _ruled(monkeypatch: pytest.MonkeyPatch, printed: str, candidates: list[str]) -> namelines.Ruling:
    net = namelines.NameLineNet.__new__(namelines.NameLineNet)
    monkeypatch.setattr(namelines.NameLineNet, "log_probs", lambda self, crop: _spelling(printed))
    return net.ruling(Image.new("L", (200, 30), 255), candidates, _caption_texts, _caption_value)


def _caption_texts(name: str) -> list[str]:
    return [f"{name}, Instructor"]


def _caption_value(text: str) -> str | None:
    return text.removesuffix(", Instructor") if text.endswith(", Instructor") else None


def test_the_ruling_takes_the_candidate_the_line_spells(monkeypatch: pytest.MonkeyPatch) -> None:
    ruling = _ruled(monkeypatch, "Ana Lima, Instructor", ["Ana Lina", "Ana Lima", "Ama Lima"])
    assert ruling.text == "Ana Lima"
    assert ruling.margin >= namelines.RULING_MARGIN


def test_no_candidate_is_taken_where_the_networks_own_reading_is_another(monkeypatch: pytest.MonkeyPatch) -> None:
    # The likeliest of two wrong candidates is still wrong: the network's own reading says so
    ruling = _ruled(monkeypatch, "Ana Lima, Instructor", ["Ana Luna", "Ama Luna"])
    assert ruling.text is None
    assert ruling.best == "Ana Luna"
    assert ruling.own_reading == "Ana Lima, Instructor"


def test_the_networks_misreading_of_digits_no_reading_disputes_does_not_stop_the_ruling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The readings dispute only "Ana" and "Ama"; the network reads the tag's "1.5M" as "J. SM"
    ruling = _ruled(
        monkeypatch, "Ana Lima | J. SM Learners, Instructor", ["Ama Lima | 1.5M Learners", "Ana Lima | 1.5M Learners"]
    )
    assert ruling.text == "Ana Lima | 1.5M Learners"


def test_no_candidate_is_taken_where_the_network_reads_letters_every_reading_agrees_on_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every reading has "Orne" where the network reads "Online": they may all be wrong
    ruling = _ruled(monkeypatch, "Cursos Online Souza, Instructor", ["Cursos Orne Sousa", "Cursos Orne Souza"])
    assert ruling.best == "Cursos Orne Souza"
    assert ruling.margin >= namelines.RULING_MARGIN
    assert ruling.text is None


def test_a_word_of_the_networks_reading_one_letter_off_a_readings_word_takes_its_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tesseract read "Rod" and "Hadein" where the network reads "Rob" and "Hadelin"
    assert _ruled(monkeypatch, "Rob Percival, Instructor", ["Rod Percival"]).text == "Rob Percival"
    assert _ruled(monkeypatch, "Hadelin Ponte, Instructor", ["Hadein Ponte"]).text == "Hadelin Ponte"


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("Maimilian Weber", "Maximilian Weber"),  # the network dropped a letter Tesseract read
        ("Kirill Ometz", "Kiril Ometz"),  # a doubled letter
        ("Ana Ia Cruz", "Ana la Cruz"),  # a capital I for a small l
        ("Anna Kowalczyk", "Ana Kowalczyk"),  # a doubled letter Tesseract read single
        ("Jonas Weber", "Jomes Weber"),  # two letters off
        ("Mosh Hamedanl", "Mosh Hamedans"),  # a letter changed to a lone stroke (an i blurred into an l)
    ],
)
def test_a_word_of_the_networks_reading_does_not_replace_one_it_is_not_one_letter_beyond(
    monkeypatch: pytest.MonkeyPatch, printed: str, read: str
) -> None:
    assert _ruled(monkeypatch, f"{printed}, Instructor", [read]).text is None


def test_a_candidate_outside_the_alphabet_is_not_scored(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _ruled(monkeypatch, "Ana Lima, Instructor", ["Анна Лима"]).text is None


def _draw(text: str, font: str, size: float, gap_after: str = "") -> Image.Image:
    face = ImageFont.truetype(str(FONT_DIR / font), size)
    image = Image.new("L", (round(face.getlength(text)) + 200, round(size * 3)), 245)
    ImageDraw.Draw(image).text((100, size), text, font=face, fill=40)
    return image


def test_the_cut_keeps_the_ink_and_a_margin_in_proportion_to_its_height() -> None:
    band = _draw("Ana Lima, Instructor", "liberation/LiberationSans-Regular.ttf", 16)
    dark = np.asarray(band) < 100
    rows = np.flatnonzero(dark.any(axis=1))
    height = rows[-1] + 1 - rows[0]
    cut = namelines.cut_line(band)
    # No ink is lost (the cut is contrast-stretched: as dark or darker), with about a third of the
    # ink's height above and below it
    assert (np.asarray(cut) < 100).sum() >= dark.sum()
    assert 1.4 * height <= cut.height <= 1.8 * height
    assert cut.width < band.width - 150


def test_the_names_begin_after_the_widest_gap_past_the_label() -> None:
    # Given an instructors line drawn as the design draws it: label, 17 px and a space, then names
    regular = ImageFont.truetype(str(FONT_DIR / "liberation/LiberationSans-Regular.ttf"), 23)
    bold = ImageFont.truetype(str(FONT_DIR / "liberation/LiberationSans-Bold.ttf"), 23)
    band = Image.new("L", (900, 40), 250)
    draw = ImageDraw.Draw(band)
    draw.text((20, 8), "Instructores", font=regular, fill=30)
    names_left = 20 + regular.getlength("Instructores") + 17 + bold.getlength(" ")
    draw.text((names_left, 8), "Ana Lima, Bo Li, Eva Sá", font=bold, fill=30)
    # Then the names are cut from inside that gap
    start = namelines.after_label(band)
    assert start is not None
    assert 20 + regular.getlength("Instructores") < start < names_left
    assert namelines.after_label(Image.new("L", (300, 40), 250)) is None


def _word(text: str, rivals: dict[int, tuple[str, float, float]]) -> Word:
    choices = []
    for i, char in enumerate(text):
        own, rival = (rivals[i][1], (rivals[i][0], rivals[i][2])) if i in rivals else (0.95, None)
        choices.append(((char, own), rival) if rival else ((char, own),))
    return Word(text, 0.9, None, tuple(choices))


def test_each_letter_with_a_rival_gives_a_variant_with_the_rival() -> None:
    # Given "Nell" whose third letter the engine nearly read as an i, and "Anderson" read surely
    words = [_word("Nell", {2: ("i", 0.6, 0.5)}), _word("Anderson", {})]
    variants = [" ".join(w.text for w in v) for v in rival_variants(words)]
    # Then the reading itself comes first, then the one swap
    assert variants == ["Nell Anderson", "Neil Anderson"]


def test_a_faint_rival_gives_no_variant_and_the_variants_are_bounded() -> None:
    assert len(rival_variants([_word("Nell", {2: ("i", 0.9, 0.1)})])) == 1
    crowded = _word("abcdefghijklmnop", {i: ("x", 0.5, 0.4) for i in range(16)})
    assert len(rival_variants([crowded])) == 1 + MAX_VARIANTS


def test_the_reader_knows_where_the_names_weights_are() -> None:
    assert reader.NAME_LINE_WEIGHTS == namelines.MODEL_PATH
    assert namelines.MODEL_PATH.is_file()


def _small_copy(text: str, font: str, size: float, width: int) -> Image.Image:
    """``text`` drawn at the 1600 px scale, kept as a ``width`` px wide JPEG copy, enlarged back."""
    band = _draw(text, font, size)
    factor = width / 1600
    small = band.resize((round(band.width * factor), round(band.height * factor)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.convert("RGB").save(buffer, "JPEG", quality=80)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L").resize(band.size, Image.Resampling.LANCZOS)


@pytest.mark.parametrize("width", [600, 760])
def test_the_network_tells_a_small_captions_name_from_tesseracts_misreadings(width: int) -> None:
    # Given the caption "Mosh Hamedani, Instructor" of a small copy, in a font never trained on,
    # which Tesseract reads as "Moth", "Mozh" or "Mosh" depending on the size it is enlarged to
    caption = _small_copy("Mosh Hamedani, Instructor", name_lines.HELD_OUT_FONTS[0][0].split("/", 1)[1], 16, width)
    candidates = ["Moth Hamedani", "Mozh Hamedani", "Mosh Hamedani"]
    net = namelines.name_line_net()
    # Then the network rules for the printed name
    assert net.ruling(caption, candidates, _caption_texts, _caption_value).text == "Mosh Hamedani"
    # And the misreadings alone settle it too: "Moth" is one letter off the network's own "Mosh"
    assert net.ruling(caption, candidates[:2], _caption_texts, _caption_value).text == "Mosh Hamedani"
    # But where no reading is within a letter of it, the network rules for none
    far = ["Moth Hanedam", "Mozh Hanedam"]
    assert net.ruling(caption, far, _caption_texts, _caption_value).text is None


def test_the_training_names_hold_no_word_of_the_evaluation_sets_instructors() -> None:
    # The evaluation set measures the network on names it has never seen
    from functions.samples import generator

    held_out = {
        w.strip(",.'|").lower() for n in (*generator.INSTRUCTORS, *generator.COMMA_INSTRUCTORS) for w in n.split()
    }
    rng = np.random.default_rng(0)
    drawn = set()
    for seed in rng.integers(0, 2**31, size=400):
        rnd = __import__("random").Random(int(seed))
        text = name_lines.caption_text(rnd) + " " + " ".join(name_lines.instructors_text(rnd))
        assert namelines.encodable(text)
        drawn |= {w.strip(",.'|•+").lower() for w in text.split()}
    # Words of roles and titles are not names
    generic = {"instructor", "lead", "developer", "engineer", "dr", "and", "of", "de", "team", "academy", "-", ""}
    assert not (drawn & held_out) - generic
