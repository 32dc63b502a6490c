"""Parsing rules of the OCR reader: each test fails if its rule breaks."""

from __future__ import annotations

from datetime import date

import pytest

from functions.ocr.parse import (
    Line,
    Word,
    caption_instructors,
    dash_of,
    glyph_confidence,
    id_in_file_name,
    id_support,
    instructor_lines,
    instructor_words,
    join_title,
    line_of,
    parse_body,
    parse_date,
    parse_length,
    pick_certificate_id,
    repair_code,
    repair_text,
    repair_title,
    repair_uuid,
    split_instructors,
    value_misread,
)

UUID = "2dac930d-2887-4171-b46c-93cc533ab0d6"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date April 30, 2025", date(2025, 4, 30)),
        ("Date Sept. 5, 2023", date(2023, 9, 5)),
        ("Mar. 3, 2024", date(2024, 3, 3)),
        ("18 Mar 2023", date(2023, 3, 18)),
        ("Date Aug. 31,2025", date(2025, 8, 31)),
        ("Date April1, 2026", date(2026, 4, 1)),
        ("Date March 25, 2023,", date(2023, 3, 25)),
    ],
)
def test_dates_in_every_printed_format_become_iso_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_an_impossible_date_is_unreadable_not_guessed() -> None:
    assert parse_date("Date Feb. 31, 2024") is None
    assert parse_date("Date sometime") is None


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Length 19.5 total hours", 19.5),
        ("46 total hours", 46.0),
        ("Length 1 total hour", 1.0),
        ("45 total mins", 0.75),
    ],
)
def test_length_is_hours_and_minutes_become_fractions_of_an_hour(text: str, hours: float) -> None:
    value, length_text = parse_length(text)
    assert value == pytest.approx(hours)
    assert length_text is not None and "total" in length_text


@pytest.mark.parametrize(
    "reading",
    [
        "2dac930d-2887-4171-b46c-93cc533ab0d6",
        "2dac93Od-2887-4171-b46c-93cc533ab0d6",  # O for 0
        "2dac930d-2887-417l-b46c-93cc533ab0d6",  # l for 1
        "2dac930d-2887-4171-h46c-93cc533ab0d6",  # h for b
        "2dac930d-2887-4171-b46c-Q3cc533ab0d6",  # Q for 9
        "2dac930d-2887-4171-b46c-93cc533ab0d6.",  # trailing dot
        "2dac930d-2887-4171-b46c-93cc533 ab0d6",  # split by a space
    ],
)
def test_confusable_characters_are_repaired_toward_a_uuid4(reading: str) -> None:
    assert repair_uuid(reading) == UUID


def test_t_for_f_is_repaired() -> None:
    assert repair_uuid("43869466-tc02-4b1c-a628-cd1eeetc7835") == "43869466-fc02-4b1c-a628-cd1eeefc7835"


def test_a_string_that_cannot_be_a_uuid4_is_rejected() -> None:
    assert repair_uuid("2dac930d-2887-5171-b46c-93cc533ab0d6") is None  # version 5
    assert repair_uuid("2dac930d-2887-4171-746c-93cc533ab0d6") is None  # variant 7
    assert repair_uuid("0004") is None


def test_number_and_url_lines_that_agree_give_a_confident_id() -> None:
    header = [
        line_of(f"Certificate no: UC-{UUID}", 0.9),
        line_of(f"Certificate url: ude.my/UC-{UUID}", 0.9),
        line_of("Reference Number: 0004", 0.95),
    ]
    value, confidence = pick_certificate_id(header)
    assert value == UUID
    assert confidence > 0.8


def test_a_misread_character_loses_the_vote_to_the_other_readings() -> None:
    misread = UUID.replace("b46c", "b46e")
    header = [
        line_of(f"Certificate no: UC-{misread}", 0.6),
        line_of(f"Certificate url: ude.my/UC-{UUID}", 0.9),
        line_of(f"Certificate no: UC-{UUID}", 0.8),
    ]
    value, confidence = pick_certificate_id(header)
    assert value == UUID
    assert confidence < 0.9


def test_an_unsure_character_is_filled_in_by_a_sure_reading_but_not_against_two_unsure() -> None:
    unsure = line_of(f"Certificate no: UC-{UUID.replace('b46c', 'b4?c')}", 0.9)
    sure = line_of(f"Certificate url: ude.my/UC-{UUID}", 0.9)
    assert pick_certificate_id([unsure, sure])[0] == UUID
    assert pick_certificate_id([unsure, unsure, unsure, sure]) == (None, 0.0)


def test_a_character_no_reading_is_sure_of_makes_the_id_unreadable() -> None:
    unsure = UUID.replace("b46c", "b4?c")
    header = [line_of(f"Certificate no: UC-{unsure}", 0.9), line_of(f"Certificate url: ude.my/UC-{unsure}", 0.9)]
    assert pick_certificate_id(header) == (None, 0.0)


def test_readings_that_disagree_on_a_character_give_no_id_rather_than_a_guess() -> None:
    misread = UUID.replace("b46c", "b46e")
    header = [line_of(f"Certificate no: UC-{misread}", 0.9), line_of(f"Certificate url: ude.my/UC-{UUID}", 0.9)]
    assert pick_certificate_id(header) == (None, 0.0)


def test_the_uuid4_version_and_variant_nibbles_constrain_the_vote() -> None:
    # An unsure version nibble is the 4 every UUID4 has; a variant nibble outside 8/9/a/b is a misread.
    header = [line_of(f"Certificate no: UC-{UUID[:14]}?{UUID[15:]}", 0.9)]
    assert pick_certificate_id(header)[0] == UUID
    bad_variant = UUID[:19] + "6" + UUID[20:]
    assert pick_certificate_id([line_of(f"Certificate no: UC-{bad_variant}", 0.9)]) == (None, 0.0)


def test_a_cent_sign_is_a_misread_c() -> None:
    assert repair_uuid(UUID.replace("b46c", "b46¢")) == UUID


def test_a_brace_is_a_misread_f() -> None:
    assert repair_uuid("773afe02-{4ef-4142-b72f-ac4a79a5{d62") == "773afe02-f4ef-4142-b72f-ac4a79a5fd62"


def test_a_slash_before_a_seven_is_the_seven_read_twice() -> None:
    assert repair_uuid("e1464134-d521-405f-b1/7a-002b/a33c6/7c") == "e1464134-d521-405f-b17a-002b7a33c67c"


def _with_choices(text: str, confidence: float, alternatives: dict[int, tuple[tuple[str, float], ...]]) -> Line:
    """A line whose last word carries per-character alternatives (``alternatives`` by index)."""
    *head, last = text.split()
    choices = tuple(alternatives.get(i, ()) for i in range(len(last)))
    return Line((*(Word(w, confidence) for w in head), Word(last, confidence, None, choices)))


def test_an_unsure_character_votes_with_the_engines_hex_alternatives() -> None:
    unsure = f"UC-{UUID.replace('b46c', 'b4?c')}"
    at = unsure.index("?")
    # "?" alone is no evidence; the engine's alternatives for it are (G is a misread 6).
    assert pick_certificate_id([line_of(f"Certificate no: {unsure}", 0.9)]) == (None, 0.0)
    line = _with_choices(f"Certificate no: {unsure}", 0.9, {at: (("6", 0.9), ("G", 0.4))})
    value, confidence = pick_certificate_id([line])
    assert value == UUID
    assert 0.4 <= confidence < 0.6  # only half sure: read from alternatives
    # Alternatives that are not hex digits (nor misreads of one) give nothing.
    assert pick_certificate_id([_with_choices(f"Certificate no: {unsure}", 0.9, {at: (("%", 0.9),)})]) == (None, 0.0)


def test_readings_a_glyph_short_vote_where_they_line_up_with_the_others() -> None:
    unsure = line_of(f"Certificate no: UC-{UUID.replace('b46c', 'b4?c')}", 0.9)
    short = line_of(f"Certificate url: ude.my/UC-{UUID[:-1]}", 0.9)  # the last digit dropped
    assert pick_certificate_id([unsure]) == (None, 0.0)
    assert pick_certificate_id([unsure, short, short])[0] == UUID
    # Alone, a reading of the wrong length gives no id.
    assert pick_certificate_id([short, short]) == (None, 0.0)


def test_an_id_voted_from_unsure_lines_is_not_given() -> None:
    assert pick_certificate_id([line_of(f"Certificate no: UC-{UUID}", 0.9)])[0] == UUID
    assert pick_certificate_id([line_of(f"Certificate no: UC-{UUID}", 0.3)]) == (None, 0.0)


def test_the_reference_number_is_never_taken_for_the_id() -> None:
    value, confidence = pick_certificate_id([line_of("Reference Number: 0004"), line_of("Certificate no: UC-")])
    assert value is None
    assert confidence == 0.0


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        (f"UC-{UUID}.jpg", UUID),  # as Udemy names a download
        (f"uc-{UUID.upper()}.PNG", UUID),
        (f"certificate UC_{UUID.replace('-', '')} (1).pdf", UUID),
        (f"{UUID}.jpg", None),  # a bare UUID may be any name a website build gave the file
        ("UC-2dac930d-2887-5171-b46c-93cc533ab0d6.jpg", None),  # not a UUID4
        (f"UC-{UUID}0.jpg", None),  # longer than a number
        ("python-course.jpg", None),
    ],
)
def test_the_certificate_number_a_file_is_named_after_is_found(file_name: str, expected: str | None) -> None:
    assert id_in_file_name(file_name) == expected


def test_a_blurred_reading_of_the_number_supports_it_and_another_number_does_not() -> None:
    blurred = [
        line_of("Certificate no: UC-2dac93Od-2BB7-4l7l-b4Gc-93cc5Eeab0dG", 0.5),
        line_of("Reference Number: 0004", 0.9),
    ]
    assert id_support(UUID, blurred) > 0.8
    assert id_support("773afe02-f4ef-4142-b72f-ac4a79a5fd62", blurred) < 0.5
    assert id_support(UUID, [line_of("Reference Number: 0004", 0.9)]) == 0.0


def test_title_lines_join_with_single_spaces_and_a_spaced_dash_stays_as_printed() -> None:
    assert join_title(["Beginning C++ Programming -", "From  Beginner to Beyond"]) == (
        "Beginning C++ Programming - From Beginner to Beyond"
    )


def test_a_word_hyphenated_across_lines_is_joined_without_a_space() -> None:
    assert join_title(["Mastering Cross-", "Platform Apps"]) == "Mastering Cross-Platform Apps"
    assert join_title(["Shop [E-", "commerce]"]) == "Shop [E-commerce]"


def test_instructors_split_on_commas() -> None:
    assert split_instructors("Instructors Tim Buchalka's Learn Programming Academy, Dr. Frank Mitropoulos") == [
        "Tim Buchalka's Learn Programming Academy",
        "Dr. Frank Mitropoulos",
    ]


def test_a_job_title_after_a_comma_stays_with_its_person() -> None:
    assert split_instructors("Dr. Angela Yu, Developer and Lead Instructor, Abdul Bari") == [
        "Dr. Angela Yu, Developer and Lead Instructor",
        "Abdul Bari",
    ]


def test_an_organisation_name_with_a_comma_stays_whole() -> None:
    assert split_instructors("MTF Institute of Management, Technology and Finance") == [
        "MTF Institute of Management, Technology and Finance"
    ]


def test_a_person_with_a_role_decoration_is_not_merged_into_the_previous_name() -> None:
    assert split_instructors("Ligency Team, Neil Anderson | Network Engineer") == [
        "Ligency Team",
        "Neil Anderson | Network Engineer",
    ]


def test_body_fields_come_from_their_places_on_the_page() -> None:
    lines = [
        line_of("CERTIFICATE OF COMPLETION", box=(96, 310, 520, 330)),
        line_of("Data Analysis with Pandas", box=(96, 370, 1400, 450)),
        line_of("and Python", box=(96, 480, 700, 560)),
        line_of("Instructors Boris Paskhaver", box=(96, 600, 450, 625)),
        line_of("Niniola Hannah", box=(96, 955, 650, 1015)),
        line_of("Date April 30, 2025", box=(96, 1050, 330, 1075)),
        line_of("Length 19.5 total hours", box=(96, 1088, 360, 1113)),
    ]
    body = parse_body(lines)
    assert body.title == "Data Analysis with Pandas and Python"
    assert body.instructors == ["Boris Paskhaver"]
    assert body.student == "Niniola Hannah"
    assert body.completed_on == date(2025, 4, 30)
    assert body.length_hours == 19.5
    assert body.has_heading and body.has_labels


def test_the_instructors_confidence_is_their_letters_not_the_mark_before_a_decoration() -> None:
    # Given a names line whose bullet the engine read as a cent sign, unsure of it
    words = (Word("Instructors", 0.95), Word("Diego", 0.96), Word("Davila", 0.94), Word("¢", 0.2))
    words += (Word("1.000.000+", 0.92), Word("Students", 0.96))
    lines = [
        line_of("CERTIFICATE OF COMPLETION", box=(96, 310, 520, 330)),
        line_of("Unity Game Development", box=(96, 370, 1400, 450)),
        Line(words, (96, 600, 700, 625)),
        line_of("Niniola Hannah", box=(96, 955, 650, 1015)),
        line_of("Date April 30, 2025", box=(96, 1050, 330, 1075)),
    ]
    body = parse_body(lines)
    # Then the mark is the bullet, and the list is as sure as its names' words
    assert body.instructors == ["Diego Davila • 1.000.000+ Students"]
    assert body.confidence["instructors"] == 0.945


def test_without_the_instructors_label_the_students_name_does_not_end_the_title() -> None:
    # Given a page whose instructors line was not read (a blurred small copy)
    lines = [
        line_of("CERTIFICATE OF COMPLETION", box=(96, 310, 520, 330)),
        line_of("The Complete React & Redux Bootcamp", box=(96, 370, 1400, 450)),
        line_of("Carlos O'Connor", box=(96, 955, 650, 1015)),
        line_of("Date April 30, 2025", box=(96, 1050, 330, 1075)),
    ]
    body = parse_body(lines)
    # Then the big line right above the date is the student, not the title's last line
    assert body.title == "The Complete React & Redux Bootcamp"
    assert body.student == "Carlos O'Connor"
    assert body.instructors == []


def test_a_dr_read_with_an_o_is_put_right_at_the_start_of_a_name() -> None:
    assert split_instructors("Or. Angela Yu, Rob Percival") == ["Dr. Angela Yu", "Rob Percival"]
    assert caption_instructors("Or. Angela Yu, Instructor") == ["Dr. Angela Yu"]
    # "Or" elsewhere, or without its period, is left as read
    assert split_instructors("Oren Levi, Jose Or. Portilla") == ["Oren Levi", "Jose Or. Portilla"]


@pytest.mark.parametrize(
    ("reading", "width", "expected"),
    [("-", 24, "-"), ("-", 30, "-"), ("=", 28, "-"), ("-", 36, "–"), ("—", 50, "–"), ("—", 26, "-")],
)
def test_an_isolated_dash_is_a_hyphen_or_an_en_dash_by_its_width(reading: str, width: int, expected: str) -> None:
    # Given a dash word on a title line whose x-height is 50 px
    word = Word(reading, 0.9, (400, 60, 400 + width, 72))
    # Then a dash narrower than about 0.64 x-heights is a hyphen, a wider one an en dash
    assert dash_of(word, 50.0) == expected


def test_without_a_box_a_dash_keeps_its_reading() -> None:
    assert dash_of(Word("-", 0.9), 50.0) == "-"
    assert dash_of(Word("—", 0.9), 50.0) == "–"
    assert dash_of(Word("=", 0.9), 0.0) == "-"


def test_the_title_dash_is_measured_on_the_page() -> None:
    words = (Word("Flutter", 0.9, (60, 21, 399, 90)), Word("-", 0.9, (436, 59, 471, 70)), Word("Zero", 0.9))
    lines = [
        line_of("CERTIFICATE OF COMPLETION", box=(64, 306, 700, 330)),
        Line(words, (64, 362, 1500, 460), 51.0),
        line_of("Instructors Colt Steele", box=(64, 500, 700, 522)),
    ]
    assert parse_body(lines).title == "Flutter – Zero"


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("CLF-CO2", "CLF-C02"),
        ("CLF-CO2:", "CLF-C02:"),
        ("(SAA-CO3)", "(SAA-C03)"),
        ("O365", "O365"),
        ("A-Z", "A-Z"),
        ("CO-OP", "CO-OP"),
        ("[E-commerce]", "[E-commerce]"),
        ("AZ-104", "AZ-104"),
        ("SAA-C0O3", "SAA-C03"),  # one zero read twice
        ("CLF-Co2", "CLF-C02"),  # a lower-case o for the zero
        ("AZ-900", "AZ-900"),
    ],
)
def test_a_letter_o_in_a_code_with_digits_is_a_zero(token: str, expected: str) -> None:
    assert repair_code(token) == expected


def test_a_code_wrapped_after_its_hyphen_is_repaired_after_the_join() -> None:
    lines = [
        line_of("CERTIFICATE OF COMPLETION", box=(64, 306, 700, 330)),
        line_of("Cloud Practitioner CLF-", box=(64, 362, 1500, 460)),
        line_of("CO2 Bootcamp", box=(64, 472, 1500, 570)),
        line_of("Instructors Colt Steele", box=(64, 600, 700, 622)),
    ]
    assert parse_body(lines).title == "Cloud Practitioner CLF-C02 Bootcamp"


def test_a_digit_read_as_itself_outweighs_a_lookalike_letter() -> None:
    # The number line reads "fc02" and the url line "lc02": f is a hex digit, l only looks like 1.
    header = [
        line_of("Certificate no: UC-43869466-fc02-4b1c-a628-cd1eeefc7835", 0.9),
        line_of("Certificate url: ude.my/UC-43869466-lc02-4b1c-a628-cd1eeefc7835", 0.9),
    ]
    assert pick_certificate_id(header)[0] == "43869466-fc02-4b1c-a628-cd1eeefc7835"
    # Two digits read as themselves that disagree still give no id.
    header[1] = line_of("Certificate url: ude.my/UC-43869466-1c02-4b1c-a628-cd1eeefc7835", 0.9)
    assert pick_certificate_id(header) == (None, 0.0)


def test_an_upper_case_letter_in_the_id_is_a_misread_digit() -> None:
    # The id is printed in lower case: "cBab" is c8ab, "O" is 0; upper-case A, C, E, F are the letters.
    assert repair_uuid("b6c23906-2872-45a8-969e-cBab4e407b1a") == "b6c23906-2872-45a8-969e-c8ab4e407b1a"
    assert repair_uuid("2dac93Od-2887-4171-b46c-93CC533Ab0d6") == UUID


@pytest.mark.parametrize("look_alike", ["D", "o", "s"])
def test_a_look_alike_of_several_digits_is_unsure_and_a_lone_reading_of_it_gives_no_id(look_alike: str) -> None:
    # D was a b or a 0, s an 8 or a 5, o any round glyph: one reading alone cannot tell which
    reading = f"2dac93{look_alike}d-2887-4171-b46c-93cc533ab0d6"
    assert repair_uuid(reading) is None
    assert pick_certificate_id([line_of(f"Certificate no: UC-{reading}", 0.9)]) == (None, 0.0)
    # Another reading that is sure of the digit settles it
    sure = line_of(f"Certificate url: ude.my/UC-{UUID}", 0.9)
    assert pick_certificate_id([line_of(f"Certificate no: UC-{reading}", 0.9), sure])[0] == UUID


def test_each_character_votes_with_its_own_confidence() -> None:
    # Given two readings of one line that differ in one character, each sure of its reading there
    misread = UUID.replace("b46c", "b46e")
    at = len("UC-") + misread.index("b46e") + 3
    id_word = f"UC-{misread}"

    def reading(text: str, sure_at: float) -> Line:
        choices = tuple(((c, sure_at if i == at else 0.95),) for i, c in enumerate(text))
        return Line((Word("Certificate", 0.95), Word("no:", 0.95), Word(text, 0.3, None, choices)))

    # Then the character the engine was surer of wins, whatever the words' overall confidence
    assert pick_certificate_id([reading(id_word, 0.2), reading(f"UC-{UUID}", 0.95)])[0] == UUID
    assert pick_certificate_id([reading(id_word, 0.95), reading(f"UC-{UUID}", 0.2)])[0] == misread


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        ("Master en APls RESTful con NodejS: Crea 3", "Master en APIs RESTful con NodeJS: Crea 3"),
        ("Express REST APlis: The Complete Guide", "Express REST APIs: The Complete Guide"),
        ("-NET MAUI - Desenvolvendo um App", ".NET MAUI - Desenvolvendo um App"),
        ("«NET MAUI", ".NET MAUI"),
        ("C# ile NET Core Web API Projesi", "C# ile .NET Core Web API Projesi"),
        ("C#ile.NET Core", "C# ile .NET Core"),
        ("Desenvolvimento Web com C++e Qt 6", "Desenvolvimento Web com C++ e Qt 6"),
        ("C#/ .NET 8 Masterclass", "C# / .NET 8 Masterclass"),
        ("The Hitchhiker’s Guide", "The Hitchhiker's Guide"),
        ("Desarrollo Web Completo con HTMLS, CSS3, JS", "Desarrollo Web Completo con HTML5, CSS3, JS"),
        ("Curso de HTMLS5 e CSS3", "Curso de HTML5 e CSS3"),
        # Real spellings stay as they are.
        ("ASP.NET Core and VB.NET", "ASP.NET Core and VB.NET"),
        ("HTML/CSS, URLs and APIs", "HTML/CSS, URLs and APIs"),
        ("TCP/ IP and A-NET", "TCP/ IP and A-NET"),
        ("Node.js and React JS", "Node.js and React JS"),
        ("HTML5 Canvas and HTMLStyles", "HTML5 Canvas and HTMLStyles"),
    ],
)
def test_title_misreads_that_cannot_be_real_spellings_are_repaired(reading: str, expected: str) -> None:
    assert repair_title(reading) == expected


def test_names_get_the_typed_apostrophe_and_the_bullet_that_decorates_them() -> None:
    assert repair_text("Tim Buchalka’s Learn Programming Academy") == "Tim Buchalka's Learn Programming Academy"
    assert repair_text("Diego Davila » 1.000.000+ Students", bullets=True) == "Diego Davila • 1.000.000+ Students"
    assert repair_text("Diego Davila * 1.000.000+ Students", bullets=True) == "Diego Davila • 1.000.000+ Students"
    assert repair_text("A*B", bullets=True) == "A*B"  # between words only
    assert repair_text("Docker * Kubernetes") == "Docker * Kubernetes"  # not in a title
    assert repair_text("HT'ML5, CSS3 with Conan O'Brien") == "HTML5, CSS3 with Conan O'Brien"
    assert repair_text("MCDONALD'S") == "MCDONALD'S"


def test_a_bracket_glued_to_the_bar_of_an_instructors_decoration_is_the_bars_edge() -> None:
    assert repair_text("Ranga Karanam [| 1.5M Learners", bullets=True) == "Ranga Karanam | 1.5M Learners"
    assert repair_text("Neil Anderson |] Network Engineer", bullets=True) == "Neil Anderson | Network Engineer"
    assert repair_text("Learn [|] Code", bullets=True) == "Learn [|] Code"  # not a lone bar's edge
    assert repair_text("Excel [| Basics") == "Excel [| Basics"  # not in a title


def test_the_instructors_lines_are_the_label_line_and_the_small_lines_that_continue_it() -> None:
    lines = [
        line_of("CERTIFICATE OF COMPLETION", box=(64, 314, 700, 331)),
        line_of("Learn Docker", box=(64, 383, 800, 475)),
        line_of("Instructors Colt Steele, Mosh Hamedani,", box=(64, 520, 1500, 545)),
        line_of("Ranga Karanam | 1.5M Learners", box=(64, 554, 900, 579)),
        line_of("Priya Sharma", box=(64, 940, 700, 1010)),
        line_of("Date Aug. 31, 2025", box=(64, 1040, 500, 1063)),
    ]
    group = instructor_lines(lines)
    assert [ln.text for ln in group] == [lines[2].text, lines[3].text]
    assert [w.text for w in instructor_words(group)][:2] == ["Colt", "Steele,"]
    # The same lines parse_body takes its names from
    assert parse_body(lines).instructors == ["Colt Steele", "Mosh Hamedani", "Ranga Karanam | 1.5M Learners"]
    assert instructor_lines(lines[:2]) == []


def test_an_instructor_label_with_one_misread_letter_is_still_the_label() -> None:
    lines = [
        line_of("CERTIFICADO DE FINALIZACION", box=(64, 314, 700, 331)),
        line_of("Aprende Docker y", box=(64, 383, 800, 475)),
        line_of("Kubernetes en 10 dias", box=(64, 493, 900, 566)),
        line_of("instuctores Victor Robles", box=(64, 621, 700, 640)),
        line_of("Diego Morales Navarro", box=(64, 974, 800, 1033)),
        line_of("Fecha 30 de junio de 2022", box=(64, 1061, 500, 1084)),
    ]
    body = parse_body(lines)
    assert body.title == "Aprende Docker y Kubernetes en 10 dias"
    assert body.instructors == ["Victor Robles"]
    assert body.student == "Diego Morales Navarro"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("tr", "Java Programlama: Temelden Ileri Seviyeye"), ("es", "Java Programlama: Temelden lleri Seviyeye")],
)
def test_a_capital_i_read_as_l_at_a_word_start_is_repaired_where_no_word_starts_with_ll(
    language: str, expected: str
) -> None:
    # Turkish (like English, Portuguese and Indonesian) has no word starting "ll"; Spanish has (llave).
    assert repair_title("Java Programlama: Temelden lleri Seviyeye", language) == expected


def test_an_id_starting_with_an_unsure_character_still_votes() -> None:
    # "?c" right after "UC-" is the id's first two characters, not a second "UC"
    uuid = "4c00f41d-054f-428c-8fff-6b1beffcf17e"
    line = _with_choices(f"Certificate no: UC-?{uuid[1:]}", 0.9, {3: (("4", 0.9),)})
    assert pick_certificate_id([line, line_of(f"Certificate url: ude.my/UC-{uuid}", 0.9)])[0] == uuid
    assert pick_certificate_id([line])[0] == uuid


def test_a_capital_l_in_a_group_one_too_long_is_the_thin_glyph_dropped() -> None:
    assert repair_uuid("438L69466-fc02-4b1c-a628-cd1eeefc7835") == "43869466-fc02-4b1c-a628-cd1eeefc7835"


def test_a_group_one_too_long_is_not_cut_at_its_thin_glyph_when_another_may_be_the_extra_one() -> None:
    uuid = "b6c23906-2872-45a8-969e-c8ab4e407b1a"
    # "cB8" is an 8 read twice and "bia" ends in a real 1: dropping the i would shift the group.
    doubled = uuid[:-12] + "cB8ab4e407bia"
    assert repair_uuid(doubled) is None
    header = [line_of(f"Certificate no: UC-{doubled}", 0.9), line_of(f"Certificate url: ude.my/UC-{uuid}", 0.9)]
    assert pick_certificate_id(header)[0] == uuid
    # Where every glyph that may be the extra one reads the same without it, it is dropped.
    assert repair_uuid(UUID.replace("4171", "417l1")) == UUID


def test_a_title_does_not_end_with_the_dash_of_a_wrapped_line() -> None:
    lines = [
        line_of("CERTIFICATE OF COMPLETION", box=(64, 306, 700, 330)),
        Line((Word("Python", 0.95), Word("Bootcamp", 0.95), Word("-", 0.3)), (64, 362, 1500, 460)),
        line_of("Instructors Colt Steele", box=(64, 500, 700, 522)),
    ]
    assert parse_body(lines).title == "Python Bootcamp"


@pytest.mark.parametrize(
    ("text", "misread"),
    [
        ("Date Feb. '7, 2022", True),
        ("Date Feb. 7, 2022", False),
        ("Fecha 11 de Octubre de 2022", False),
        ("Tarih 3 Agustos 2023 x", False),
        ("Length 4 total hours", False),
        ("Length a total hours", True),
        ("Instructors Jose Portilla", False),
    ],
)
def test_a_labelled_date_or_length_that_does_not_parse_is_read_again(text: str, misread: bool) -> None:
    assert value_misread(line_of(text)) is misread


def _title(*words: Word) -> str | None:
    lines = [
        line_of("CERTIFICATE OF COMPLETION", box=(64, 306, 700, 330)),
        Line(words, (64, 362, 1500, 460)),
        line_of("Instructors Colt Steele", box=(64, 500, 700, 522)),
    ]
    return parse_body(lines).title


def test_a_trailing_glyph_read_sure_is_no_speck_however_unsure_the_space_before_it() -> None:
    # "e Qt 6": the engine doubted the space between Qt and 6 (both words 0.64), not the 6 (0.995)
    sure = ((("6", 0.995),),)
    assert _title(Word("e", 0.71, choices=((("e", 0.99),),)), Word("Qt", 0.64), Word("6", 0.64, choices=sure)) == (
        "e Qt 6"
    )
    # Then a mark the engine was unsure of is still a speck (0.96 alone: 0.72 as a word)
    unsure = ((("'", 0.96),),)
    assert _title(Word("Bootcamp", 0.95), Word("'", 0.9, choices=unsure)) == "Bootcamp"
    # Then without the glyph's own confidence the word's decides, as before
    assert _title(Word("Bootcamp", 0.95), Word("|", 0.6)) == "Bootcamp"
    assert _title(Word("Qt", 0.95), Word("6", 0.9)) == "Qt 6"


def test_a_trailing_letter_or_digit_is_the_titles_however_unsure_its_glyph() -> None:
    # "Mastering Excel Module 7" on a 600 px copy: the 7's glyph 0.947 (0.63 as a word)
    seven = Word("7", 0.63, choices=((("7", 0.947),),))
    assert _title(Word("Mastering", 0.95), Word("Excel", 0.95), Word("Module", 0.93), seven) == (
        "Mastering Excel Module 7"
    )
    assert _title(Word("Statistics", 0.95), Word("with", 0.95), Word("R", 0.4)) == "Statistics with R"


def test_a_glyph_read_with_its_alternatives_is_judged_by_its_own_confidence() -> None:
    # A title line read again with every character's alternatives: the 6's first alternative
    # scored 0.92 (another scale), its glyph 0.97; the word 0.66 for the doubted space before it
    six = Word("6", 0.66, choices=((("6", 0.92), ("o", 0.27)),), glyphs=(0.97,))
    assert _title(Word("Qt", 0.61), six) == "Qt 6"
    # Then an unsure mark is still a speck, whatever its alternatives say
    speck = Word("'", 0.9, choices=((("'", 0.99),),), glyphs=(0.9,))
    assert _title(Word("Bootcamp", 0.95), speck) == "Bootcamp"


def test_a_glyph_confidence_is_on_the_scale_of_word_confidences() -> None:
    # Tesseract's word confidence is 1 - 7 x (1 - its least sure glyph's) where its spaces are sure
    word = Word("com", 0.958, choices=((("c", 0.9944),), (("o", 0.9954),), (("m", 0.9944),)))
    assert glyph_confidence(word) == pytest.approx(0.9608)
    assert glyph_confidence(Word("com", 0.958)) is None
    assert glyph_confidence(Word("Q", 0.0, choices=((("Q", 0.5),),))) == 0.0
