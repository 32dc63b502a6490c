"""Parsing rules for the localised current design, the old ornate design and language detection:
each test fails if its rule breaks."""

from __future__ import annotations

from datetime import date

import pytest

from functions.ocr.parse import (
    Line,
    Word,
    caption_instructors,
    detect_language,
    glyph_shape,
    line_of,
    parse_body,
    parse_date,
    parse_length,
    parse_old_sentence,
    pick_certificate_id,
    pick_short_id,
    repair_title,
    split_instructors,
)
from functions.ocr.reader import _numbers_agreed, _text_agreed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fecha 11 de Octubre de 2022", date(2022, 10, 11)),  # Spanish, month capitalised
        ("Fecha 15 de agosto de 2025", date(2025, 8, 15)),  # Spanish, lower case
        ("Fecha 3 de dic. de 2024", date(2024, 12, 3)),
        ("Fecha 7 de septiembre de 2023", date(2023, 9, 7)),
        ("Data 22 de Agosto de 2023", date(2023, 8, 22)),  # Portuguese
        ("Data 22 de ago. de 2023", date(2023, 8, 22)),
        ("Data 5 de set. de 2024", date(2024, 9, 5)),
        ("Data 9 de out. de 2024", date(2024, 10, 9)),
        ("Data 1 de fev. de 2024", date(2024, 2, 1)),
        ("Data 30 de dez. de 2023", date(2023, 12, 30)),
        ("29 de Novembro de 2018", date(2018, 11, 29)),
        ("Tarih 25 Temmuz 2023", date(2023, 7, 25)),  # Turkish
        ("Tarih 3 Şubat 2024", date(2024, 2, 3)),
        ("Tarih 3 Subat 2024", date(2024, 2, 3)),  # the cedilla lost in OCR
        ("Tarih 14 Ağustos 2023", date(2023, 8, 14)),
        ("Tarih 1 Eylül 2022", date(2022, 9, 1)),
        ("Tarih 2 Ekim 2022", date(2022, 10, 2)),
        ("Tarih 12 Kasım 2025", date(2025, 11, 12)),
        ("Tarih 31 Aralık 2025", date(2025, 12, 31)),
        ("Tarih 9 Mayıs 2024", date(2024, 5, 9)),
        ("Tarih 20 Haziran 2024", date(2024, 6, 20)),
        ("Tarih 6 Nisan 2024", date(2024, 4, 6)),
        ("Tarih 8 Ocak 2024", date(2024, 1, 8)),
        ("Tanggal 23 Okt. 2025", date(2025, 10, 23)),  # Indonesian
        ("Tanggal 17 Agu. 2025", date(2025, 8, 17)),
        ("Tanggal 4 Mei 2025", date(2025, 5, 4)),
        ("Tanggal 24 Des. 2024", date(2024, 12, 24)),
        ("Feb. 12, 2021", date(2021, 2, 12)),
    ],
)
def test_dates_in_every_certificate_language_become_iso_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "hours", "printed"),
    [
        ("Duración 32 horas en total", 32.0, "32 horas en total"),
        ("Duración 12,5 horas en total", 12.5, "12,5 horas en total"),
        ("Duração 89 horas no total", 89.0, "89 horas no total"),
        ("Duragao 11 horas no total", 11.0, "11 horas no total"),
        ("Uzunluk Toplam 8 saat", 8.0, "Toplam 8 saat"),
        ("Uzunluk Toplam 45 dakika", 0.75, "Toplam 45 dakika"),
        ("Durasi 12 total jam", 12.0, "12 total jam"),
        ("Durasi 30 total menit", 0.5, "30 total menit"),
        ("Duración 45 minutos en total", 0.75, "45 minutos en total"),
    ],
)
def test_lengths_in_every_language(text: str, hours: float, printed: str) -> None:
    assert parse_length(text) == (hours, printed)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("CERTIFICADO DE FINALIZACIÓN Instructores Fecha Duración 18 horas en total", "es"),
        ("CERTIFICADO DE CONCLUSÃO Instrutores Data Duração 11 horas no total", "pt"),
        ("BİTİRME SERTİFİKASI Eğitmenler Tarih Uzunluk Toplam 8 saat", "tr"),
        ("BITIRME SERTIFIKASI Egitmenler Tarih Uzunluk", "tr"),
        ("SERTIFIKAT PENYELESAIAN Instruktur Tanggal Durasi 12 total jam", "id"),
        ("CERTIFICATE OF COMPLETION Instructors Date Length 4 total hours", "en"),
        ("Certificamos que Diego concluiu com sucesso 4 horas do curso online", "pt"),
        ("This is to certify that Carlos successfully completed", "en"),
    ],
)
def test_the_language_comes_from_the_label_and_heading_words(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_no_label_words_is_no_language() -> None:
    assert detect_language("Mustafa Kaan Demir 25 2023") is None


def test_spanish_portuguese_and_turkish_headers_give_the_id_but_never_the_reference_number() -> None:
    uuid = "9261b3e7-4582-4c8f-99f9-236eda92032c"
    for header in (
        [f"Número de certificado: UC-{uuid}", f"Url del certificado ude.my/UC-{uuid}", "Número de referencia: 0004"],
        [f"Nº do certificado: UC-{uuid}", f"URL do certificado: ude.my/UC-{uuid}", "Número de referência: 0004"],
        [f"Sertifika no: UC-{uuid}", f"Sertifika URL'si: ude.my/UC-{uuid}", "Referans Numarası: 0004"],
    ):
        value, _ = pick_certificate_id([line_of(t) for t in header])
        assert value == uuid
        assert pick_certificate_id([line_of(header[2])]) == (None, 0.0)


@pytest.mark.parametrize(
    ("labels", "student", "title"),
    [
        (("CERTIFICADO DE FINALIZACIÓN", "Instructores", "Fecha", "Duración"), "Víctor Robles", "Master en APIs"),
        (("CERTIFICADO DE CONCLUSÃO", "Instrutores", "Data", "Duração"), "Eduardo Pereira", "Data Science"),
        (("BİTİRME SERTİFİKASI", "Eğitmenler", "Tarih", "Uzunluk"), "Mustafa Demir", "Blue Team"),
        (("SERTIFIKAT PENYELESAIAN", "Instruktur", "Tanggal", "Durasi"), "Budi Santoso", "Belajar Python"),
    ],
)
def test_localised_labels_place_every_body_field(labels: tuple[str, str, str, str], student: str, title: str) -> None:
    heading, instructors, date_label, length_label = labels
    length = {
        "Duración": "18 horas en total",
        "Duração": "18 horas no total",
        "Uzunluk": "Toplam 18 saat",
        "Durasi": "18 total jam",
    }[length_label]
    lines = [
        line_of(heading, box=(96, 310, 520, 330)),
        line_of(title, box=(96, 370, 1400, 450)),  # a title starting "Data" is not the date label
        line_of(f"{instructors} Ana Souza, Spacedu Treinamentos", box=(96, 600, 450, 625)),
        line_of(student, box=(96, 955, 650, 1015)),
        line_of(f"{date_label} 15 de agosto de 2025", box=(96, 1050, 330, 1075)),
        line_of(f"{length_label} {length}", box=(96, 1088, 360, 1113)),
    ]
    body = parse_body(lines)
    assert body.title == title
    assert body.instructors == ["Ana Souza", "Spacedu Treinamentos"]
    assert body.student == student
    assert body.completed_on == date(2025, 8, 15)
    assert body.length_hours == 18
    assert body.has_heading and body.has_labels


def test_localised_instructor_labels_are_stripped() -> None:
    for label in ("Instructores", "Instrutores", "Eğitmenler", "Egitmenler", "Instruktur"):
        assert split_instructors(f"{label} Alican Kiraz, Jose Portilla") == ["Alican Kiraz", "Jose Portilla"]


def test_the_old_sentence_with_hours() -> None:
    old = parse_old_sentence(
        "This is to certify that Carlos Henrique\nsuccessfully completed 1.5 total hours of Git\n"
        "Going Fast: One Hour Git Crash Course online\ncourse on Feb. 12, 2021"
    )
    assert old.student == "Carlos Henrique"
    assert old.title == "Git Going Fast: One Hour Git Crash Course"
    assert old.completed_on == date(2021, 2, 12)
    assert old.length_hours == 1.5
    assert old.language == "en"


def test_the_old_sentence_without_hours() -> None:
    old = parse_old_sentence(
        "This is to certify that Hitvardhan Singh Solanki successfully completed the online course "
        "Blockchain A-Z™: Learn How To Build Your First Blockchain on March 24, 2019"
    )
    assert old.student == "Hitvardhan Singh Solanki"
    assert old.title == "Blockchain A-Z™: Learn How To Build Your First Blockchain"
    assert old.completed_on == date(2019, 3, 24)
    assert old.length_hours is None


def test_hours_or_a_date_the_two_models_read_differently_are_left_unread() -> None:
    # Given an old Portuguese sentence read with the English model and again with the Portuguese one
    english = parse_old_sentence(
        "Certificamos que Ahmed Hassan concluiu com sucesso 49 horas do curso online "
        "Logica de Programacao Essencial em 10 de Novembro de 2018"
    )
    own = parse_old_sentence(
        "Certificamos que Ahmed Hassan concluiu com sucesso 19 horas do curso online "
        "Lógica de Programação Essencial em 10 de Novembro de 2018"
    )
    # Then the own model's reading is kept, without the hours the readings disagree on
    kept = _numbers_agreed(own, english)
    assert (kept.title, kept.completed_on) == ("Lógica de Programação Essencial", date(2018, 11, 10))
    assert kept.length_hours is None and kept.length_text is None
    # And with the date misread instead, the date goes and the hours stay
    other_day = parse_old_sentence(
        "Certificamos que Ahmed Hassan concluiu com sucesso 19 horas do curso online "
        "Lógica de Programação Essencial em 16 de Novembro de 2018"
    )
    kept = _numbers_agreed(other_day, own)
    assert (kept.completed_on, kept.length_hours) == (None, 19.0)
    # Readings that agree lose nothing
    assert _numbers_agreed(own, own) == own


def test_a_small_old_copys_title_two_sizes_read_otherwise_is_left_unread() -> None:
    # Given the sentence of a real old certificate shrunk to 600 px read at two sizes, one of them
    # losing the t of "First" into the space after it
    text = (
        "This is to certify that Ahmed Hassan successfully completed 14.5 hours of Blockchain A-Z™: "
        "Learn How To Build Your {} Blockchain online course on June 9, 2018"
    )
    right, lost = parse_old_sentence(text.format("First")), parse_old_sentence(text.format("Firs"))
    # Then the title is not given, and what both read alike is
    kept = _text_agreed(lost, right)
    assert kept.title is None
    assert (kept.student, kept.completed_on, kept.length_hours) == ("Ahmed Hassan", date(2018, 6, 9), 14.5)
    assert _text_agreed(right, right) == right


def test_a_title_containing_on_and_online_stays_whole() -> None:
    old = parse_old_sentence(
        "This is to certify that Ana Lima successfully completed 8.5 hours of Hands on Online Marketing "
        "online course on Aug. 13, 2019"
    )
    assert old.title == "Hands on Online Marketing"
    assert old.length_hours == 8.5


def test_the_old_sentence_in_portuguese() -> None:
    old = parse_old_sentence(
        "Certificamos que Diego Morales Navarro concluiu com sucesso 4 horas do curso online Curso de PDO "
        "com Foco em Segurança da Informação em 29 de Novembro de 2018"
    )
    assert old.student == "Diego Morales Navarro"
    assert old.title == "Curso de PDO com Foco em Segurança da Informação"
    assert old.completed_on == date(2018, 11, 29)
    assert old.length_hours == 4
    assert old.language == "pt"


def test_an_unmatched_old_sentence_gives_no_fields() -> None:
    old = parse_old_sentence("Certificate of Completion #BeAble Udemy")
    assert (old.student, old.title, old.completed_on, old.length_hours) == (None, None, None, None)


def test_caption_instructors_split_on_the_caption_word_not_on_commas() -> None:
    line = "Hadelin de Ponteves, Instructor Kirill Eremenko, Instructor SuperDataScience Team, Instructor"
    assert caption_instructors(line) == ["Hadelin de Ponteves", "Kirill Eremenko", "SuperDataScience Team"]
    assert caption_instructors("FSN Cursos Online Fábio Souza, Instrutor") == ["FSN Cursos Online Fábio Souza"]
    assert caption_instructors("MTF Institute of Management, Technology and Finance, Instructor") == [
        "MTF Institute of Management, Technology and Finance"
    ]
    assert caption_instructors("Chason 'Saylor") == []
    # A bullet in a name misread as * is a bullet, as on the current design's instructor line.
    bullet = caption_instructors("Diego Davila * 1.000.000+ Students, Instructor")
    assert bullet == ["Diego Davila • 1.000.000+ Students"]
    # A caption word with OCR noise in its tail still ends the name before it.
    noisy = "Gustavo Guanabara, Instrutor8 FSN Cursos Online Fábio Souza, Instrutor"
    assert caption_instructors(noisy) == ["Gustavo Guanabara", "FSN Cursos Online Fábio Souza"]


def test_short_ids_vote_over_the_number_and_url_lines() -> None:
    lines = [
        line_of("Certificate no: UC-Z2YLWUKN :"),
        line_of("Certificate url: ude.my/UC-Z2YLWUKN ="),
        line_of("Certificate url: ude.my/UC-Z2YLWUKM"),
    ]
    value, confidence = pick_short_id(lines)
    assert value == "Z2YLWUKN"
    assert 0 < confidence < 1
    assert pick_short_id([line_of("Reference Number: 0004")]) == (None, 0.0)
    assert pick_short_id([line_of("Url do certificado: ude.my/UC -PJPQKZT8")]) == ("PJPQKZT8", 0.76)
    # 0/O and 1/I are never taken as the engine read them: without their glyphs' shapes, no id.
    assert pick_short_id([line_of("Url do certificado: ude.my/UC -ZYOQUO9L")]) == (None, 0.0)


def _short_id_line(label: str, value: str, at: int, alternatives: tuple[tuple[str, float], ...]) -> Line:
    """``label UC-value`` with the engine's alternatives for the id character at ``at``."""
    token = f"UC-{value}"
    choices = tuple(alternatives if i == at + 3 else ((c, 0.95),) for i, c in enumerate(token))
    return Line((*(Word(w, 0.9) for w in label.split()), Word(token, 0.9, None, choices)))


def test_a_near_tie_between_look_alike_characters_leaves_the_short_id_unread() -> None:
    read_8 = _short_id_line("Certificate no:", "PJPQKZT8", 7, (("8", 0.92), ("B", 0.75)))
    value, confidence = pick_short_id([read_8, read_8])
    assert (value, confidence) == (None, 0.0)
    # A faint alternative, or one that does not look alike (J/U), is no doubt.
    faint = _short_id_line("Certificate no:", "PJPQKZT8", 7, (("8", 0.92), ("B", 0.3)))
    assert pick_short_id([faint, faint])[0] == "PJPQKZT8"
    unlike = _short_id_line("Certificate url: ude.my/", "PJPQKZT8", 1, (("J", 0.91), ("U", 0.67)))
    assert pick_short_id([unlike])[0] == "PJPQKZT8"


def test_a_near_tie_on_one_reading_gives_way_where_every_reading_on_both_lines_prints_the_same() -> None:
    # Given the number line's Z nearly read as a 2, and both lines printing Z2YLWUKN
    doubted = _short_id_line("Certificate no:", "Z2YLWUKN", 0, (("Z", 0.83), ("2", 0.68)))
    url = _short_id_line("Certificate url: ude.my/", "Z2YLWUKN", 0, (("Z", 0.95),))
    # Then the two printings outvote the doubt
    assert pick_short_id([doubted, url])[0] == "Z2YLWUKN"
    # But not where a reading prints the rival there, nor where one line alone was read
    rival = _short_id_line("Certificate url: ude.my/", "22YLWUKN", 0, (("2", 0.95),))
    assert pick_short_id([doubted, url, rival]) == (None, 0.0)
    assert pick_short_id([doubted, doubted]) == (None, 0.0)


def test_two_printings_of_a_short_id_that_differ_leave_it_unread_however_sure_one_of_them_is() -> None:
    # Given the number line read twice, surely, with a 9 where the url line, less sure, reads a Q
    number = Line((Word("Certificate", 0.93), Word("no:", 0.93), Word("UC-7AZGJ849", 0.9)))
    url = Line((Word("Certificate", 0.93), Word("url:", 0.93), Word("ude.my/UC-7AZGJ84Q", 0.3)))
    # Then no id: the 9 outweighs the Q, but one printing of the number says otherwise
    assert pick_short_id([number, number, url]) == (None, 0.0)
    # Where a second url reading prints the 9 too, every line prints it
    url_9 = Line((Word("Certificate", 0.93), Word("url:", 0.93), Word("ude.my/UC-7AZGJ849", 0.3)))
    assert pick_short_id([number, number, url, url_9])[0] == "7AZGJ849"


def test_a_short_id_read_one_too_long_counts_only_where_the_glyph_left_out_looks_like_an_extra_one() -> None:
    # Given the url line reading the id right and the number line with one glyph more
    url = line_of("Certificate url: ude.my/UC-3YCKAHKE")
    # Then an unsure glyph, a stroke or a glyph read twice is left out, and the lines agree
    for too_long in ("3YC?KAHKE", "3YCJKAHKE", "3YCKKAHKE"):
        assert pick_short_id([line_of(f"Certificate no: UC-{too_long}"), url])[0] == "3YCKAHKE"
    # But an X before the K may be the id's own glyph, and the url line's K the misread: the number
    # line is no second reading then, and one line alone is not enough for what it shares with it
    number = line_of("Certificate no: UC-3YCXKAHKE", 0.95)
    assert pick_short_id([number, url]) == pick_short_id([url])


def _measured_line(label: str, value: str, widths: dict[int, int]) -> Line:
    """``label UC-value`` whose id glyphs are 30 px high and 24 px wide unless ``widths`` says."""
    token = f"UC-{value}"
    boxes = tuple((20 * i, 0, 20 * i + widths.get(i - 3, 24), 30) for i in range(len(token)))
    choices = tuple(((c, 0.95),) for c in token)
    return Line((*(Word(w, 0.9) for w in label.split()), Word(token, 0.9, None, choices, boxes)))


@pytest.mark.parametrize(
    ("read", "widths", "expected"),
    [
        ("6O1GBDUE", {1: 27, 2: 16}, "6O1GBDUE"),  # a round O and a flagged 1, as printed
        ("601GBDUE", {1: 27, 2: 16}, "6O1GBDUE"),  # read as digits: the shapes still say O
        ("6OIGBDUE", {1: 18, 2: 7}, "60IGBDUE"),  # a tall oval is a zero, a bar is an I
    ],
)
def test_zero_and_letter_o_one_and_letter_i_are_told_apart_by_their_shape(
    read: str, widths: dict[int, int], expected: str
) -> None:
    lines = [_measured_line("Certificate no:", read, widths), _measured_line("Certificate url: ude.my/", read, widths)]
    assert pick_short_id(lines)[0] == expected


def test_a_look_alike_whose_shape_is_unclear_or_seen_on_one_line_leaves_the_short_id_unread() -> None:
    between = {1: 23}  # 23/30: neither a round O nor a tall zero
    lines = [
        _measured_line("Certificate no:", "6O1GBDUE", between),
        _measured_line("Certificate url:", "6O1GBDUE", between),
    ]
    assert pick_short_id(lines) == (None, 0.0)
    assert pick_short_id([_measured_line("Certificate no:", "6O1GBDUE", {1: 27, 2: 16})]) == (None, 0.0)


def test_glyph_shape_ignores_boxes_of_two_glyphs_run_together() -> None:
    assert glyph_shape("O", (0, 0, 27, 30), 30.0) == "O"
    assert glyph_shape("O", (0, 0, 40, 45), 30.0) is None  # taller than the id's capitals
    assert glyph_shape("0", None, 30.0) is None
    assert glyph_shape("K", None, 30.0) == "K"


def test_short_id_readings_that_disagree_give_no_id() -> None:
    lines = [line_of("Certificate no: UC-ZYOQUOSL"), line_of("Certificate url: ude.my/UC-ZYOQUO9L")]
    assert pick_short_id(lines) == (None, 0.0)


def test_an_unsure_character_of_a_short_id_abstains_where_another_line_reads_one_of_its_alternatives() -> None:
    number = _short_id_line("N do certificado:", "UC38S9VK", 4, (("S", 0.94),))
    url = _short_id_line("Url do certificado: ude.my/", "UC38?9VK", 4, (("S", 0.94), ("8", 0.0)))
    assert pick_short_id([number, url])[0] == "UC38S9VK"
    # The number line's "?" was more like a 3, a J or a 9: the url line's 2 is not taken on its own.
    doubted = _short_id_line("N do certificado:", "?XXAEDXE", 0, (("3", 0.66), ("J", 0.53), ("9", 0.25)))
    other = _short_id_line("Url do certificado: ude.my/", "2XXAEDXE", 0, (("2", 0.9),))
    assert pick_short_id([doubted, other]) == (None, 0.0)
    # Where every reading is unsure of a character there is no id; one unsure of three is no reading.
    assert pick_short_id([url, url]) == (None, 0.0)
    assert pick_short_id([line_of("Certificate url: ude.my/UC-UC3??9?K")]) == (None, 0.0)


def test_a_lower_case_l_in_a_short_id_is_the_capital_i_or_the_one_its_shape_shows() -> None:
    widths = {1: 7, 2: 27, 5: 16}  # a bar (I), a round O, a bar with a flag (1)
    lines = [
        _measured_line("Certificate no:", "AlOCTlQ7", widths),
        _measured_line("Certificate url:", "AIOCT1Q7", widths),
    ]
    assert pick_short_id(lines)[0] == "AIOCT1Q7"


def test_a_short_ids_reading_is_as_sure_as_its_own_words_not_the_borders_marks_beside_it() -> None:
    marks = [Word("a9", 0.1), Word("Be4|", 0.1)]
    line = Line(
        (*marks, Word("Certificate", 0.9), Word("url:", 0.9), Word("ude.my/UC-PJPQKZT8", 0.9), Word("_—_", 0.1))
    )
    # One line read: 0.8 of its words' confidence (the whole line's mean, 0.5, would give 0.4).
    assert pick_short_id([line]) == ("PJPQKZT8", 0.72)


def test_a_space_inside_a_short_id_is_dropped() -> None:
    assert pick_short_id([line_of("Certificate url: ude.my/UC-PJ PQKZT8")])[0] == "PJPQKZT8"


@pytest.mark.parametrize("misread", ["Tarin", "Tanggai", "Fecba"])
def test_a_date_label_with_one_misread_letter_still_places_the_date_and_the_student(misread: str) -> None:
    lines = [
        line_of("BİTİRME SERTİFİKASI", box=(96, 310, 520, 330)),
        line_of("Blue Team", box=(96, 370, 1400, 450)),
        line_of("Eğitmenler Ahmet Kaya", box=(96, 600, 450, 625)),
        line_of("Zeynep Kaya", box=(96, 955, 650, 1015)),
        line_of(f"{misread} 2 Nisan 2024", box=(96, 1050, 330, 1075)),
    ]
    body = parse_body(lines)
    assert body.student == "Zeynep Kaya"
    assert body.completed_on == date(2024, 4, 2)


def test_a_short_word_one_letter_from_a_label_is_not_taken_for_it() -> None:
    lines = [
        line_of("Blue Team", box=(96, 370, 1400, 450)),
        line_of("Zeynep Kaya", box=(96, 955, 650, 1015)),
        line_of("Dara 2 Nisan 2024", box=(96, 1050, 330, 1075)),  # "data" is too short to forgive a letter
    ]
    assert parse_body(lines).completed_on is None


def test_russian_dates_labels_and_language() -> None:
    assert parse_date("Дата 17 окт. 2023 г.") == date(2023, 10, 17)
    assert parse_date("Дата 3 мая 2024 г.") == date(2024, 5, 3)
    assert parse_date("Дата 12 Сент. 2026 г.") == date(2026, 9, 12)
    assert parse_date("Дата 16 Aпр. 2022 г.") == date(2022, 4, 16)  # a Latin A among Cyrillic letters
    assert detect_language("СЕРТИФИКАТ ОБ ОКОНЧАНИИ\nПреподаватели Илья Ким\nПродолжительность 17 total hours") == "ru"
    lines = [
        line_of("СЕРТИФИКАТ ОБ ОКОНЧАНИИ", box=(64, 306, 700, 330)),
        line_of("JavaScript для начинающих", box=(64, 362, 1400, 450)),
        line_of("Преподаватели Мария Смирнова, Олег Иванов", box=(64, 500, 900, 525)),
        line_of("Иван Петров", box=(64, 955, 600, 1015)),
        line_of("Дата 12 Сент. 2026 г.", box=(64, 1050, 400, 1075)),
        line_of("Продолжительность 61 total hours", box=(64, 1088, 500, 1113)),
    ]
    body = parse_body(lines, 1600, "ru")
    assert body.has_heading and body.has_labels
    assert body.title == "JavaScript для начинающих"
    assert body.instructors == ["Мария Смирнова", "Олег Иванов"]
    assert body.student == "Иван Петров"
    assert (body.completed_on, body.length_hours) == (date(2026, 9, 12), 61)


def test_a_day_glued_to_its_month_is_still_a_date() -> None:
    assert parse_date("Tanggal 4Juni 2022") == date(2022, 6, 4)


def test_a_date_line_with_a_misread_label_still_places_the_date_and_the_student() -> None:
    lines = [
        line_of("CERTIFICATE OF COMPLETION", box=(96, 310, 520, 330)),
        line_of("Learn SQL for Data Analysis", box=(96, 370, 1400, 450)),
        line_of("Instructors Boris Paskhaver", box=(96, 600, 450, 625)),
        line_of("Moez Wanave", box=(96, 955, 650, 1015)),
        line_of("Oate March 11, 2024", box=(96, 1050, 330, 1075)),
        line_of("Length 66.5 total hours", box=(96, 1088, 360, 1113)),
    ]
    body = parse_body(lines)
    assert (body.student, body.completed_on) == ("Moez Wanave", date(2024, 3, 11))


def test_a_short_russian_word_read_in_latin_look_alikes_is_repaired() -> None:
    assert repair_title("Полный курс no Python 3", "ru") == "Полный курс по Python 3"
    assert repair_title("Docker u Kubernetes", "ru") == "Docker u Kubernetes"  # no Cyrillic neighbour
    assert repair_title("Python no more", "en") == "Python no more"


def test_a_url_line_run_on_into_the_seals_ribbon_counts_where_it_matches_a_clean_reading() -> None:
    # The long Portuguese url line runs into the ribbon: "UC-ZYOQUO9LZe—" holds the id and marks
    number = _measured_line("Nº do certificado:", "ZYOQUO9L", {2: 27, 5: 27})
    run_on = _measured_line("Url do certificado: ude.my/", "ZYOQUO9LZe", {2: 27, 5: 27})
    # Alone, the number line's O's are read on one line only: no id
    assert pick_short_id([number]) == (None, 0.0)
    assert pick_short_id([number, run_on])[0] == "ZYOQUO9L"
    # A run-on reading that matches no clean reading is no evidence, alone or beside another
    assert pick_short_id([run_on, run_on]) == (None, 0.0)
    other = _measured_line("Url do certificado: ude.my/", "ZYOQUO8LZe", {2: 27, 5: 27})
    assert pick_short_id([number, other]) == (None, 0.0)
    # Nor is one run on into a mark left unsure ("?"): "UC-PJPQKZT8?" is no clean reading
    assert pick_short_id([line_of("Certificate url: ude.my/UC-PJPQKZT8?")] * 2) == (None, 0.0)


def test_a_short_id_read_one_too_long_counts_where_another_line_differs_only_in_an_o_or_a_zero() -> None:
    # Given the url line reading the last 0 of "SX5GWUU0" with an extra unsure glyph before it, and
    # the number line reading that 0 as an O (a round glyph's shape decides which it is)
    number = _measured_line("Certificate no:", "SX5GWUUO", {7: 18})
    url = _measured_line("Certificate url: ude.my/", "SX5?GWUU0", {8: 18})
    # Then the url line, its extra glyph left out, is the second reading, and the shape says 0
    assert pick_short_id([number, url])[0] == "SX5GWUU0"
    # But not where the lines differ in anything else
    other = _measured_line("Certificate url: ude.my/", "SX5?GWUV0", {8: 18})
    assert pick_short_id([number, other])[0] is None


def test_an_s_the_engine_nearly_read_as_an_8_leaves_the_short_id_unread() -> None:
    read_s = _short_id_line("Certificate url: ude.my/", "PJPQKZTS", 7, (("S", 0.84), ("8", 0.8)))
    assert pick_short_id([read_s, read_s]) == (None, 0.0)


def test_a_short_id_read_one_character_too_long_counts_where_leaving_one_out_gives_another_reading() -> None:
    # Given the number line reading a J as "IJ" and the url line reading the id right, a 1 in it
    url = _measured_line("Certificate url: ude.my/", "1ENTHJXJ", {0: 16})
    number = _measured_line("Certificate no:", "1ENTHIJXJ", {0: 16})
    # Then the number line, with its extra I left out, is the second line the 1 needs
    assert pick_short_id([number, url])[0] == "1ENTHJXJ"
    assert pick_short_id([url])[0] is None  # one line alone: a 1 read on one line only is too little
    # A reading too long that no other line's reading is inside gives nothing, nor does it alone
    other = _measured_line("Certificate url: ude.my/", "1ENTHKXJ", {0: 16})
    assert pick_short_id([number, other])[0] is None
    assert pick_short_id([number])[0] is None


def _unsure_at(line: Line, pos: int, alternatives: tuple[tuple[str, float], ...]) -> Line:
    """``line`` (a ``_measured_line``) with the engine's ``alternatives`` for id character ``pos``."""
    token = line.words[-1]
    choices = tuple(alternatives if i == pos + 3 else c for i, c in enumerate(token.choices))
    return Line((*line.words[:-1], Word(token.text, token.confidence, None, choices, token.char_boxes)))


def test_a_short_id_read_one_too_long_counts_where_the_other_line_left_that_character_unsure() -> None:
    # Given the number line unsure whether the 5 of "JYIZ50V8" is an S or a 5, and the url line
    # reading the 5 sure, with an unsure extra glyph after it
    number = _unsure_at(_measured_line("Certificate no:", "JYIZ?0V8", {2: 7, 5: 18}), 4, (("5", 0.6), ("S", 0.5)))
    url = _measured_line("Certificate url: ude.my/", "JYIZ5?0V8", {2: 7, 6: 18})
    # Then the url line, its unsure glyph left out, is the second reading, and its 5 is the id's
    assert pick_short_id([number, url])[0] == "JYIZ50V8"
    # But not where the url line read two sure characters there: which one is extra is unknown
    two_sure = _measured_line("Certificate url: ude.my/", "JYIZ5S0V8", {2: 7, 6: 18})
    assert pick_short_id([number, two_sure])[0] is None
    # Nor where the number line's own doubt did not hold a 5
    not_five = _unsure_at(_measured_line("Certificate no:", "JYIZ?0V8", {2: 7, 5: 18}), 4, (("S", 0.6), ("8", 0.5)))
    assert pick_short_id([not_five, url])[0] is None
