"""Every certificate design seen in the wild, drawn with known ground truth.

* the current (2022+) design in English is drawn by :func:`functions.samples.generator.render`;
* :func:`render_localised` draws the same layout with Spanish, Portuguese, Indonesian, Turkish or Russian labels;
* :func:`render_old` draws the old ornate 2016-2020 design (English or Portuguese): a blue
  guilloche-like border, an italic serif heading, one centred italic sentence, signature-like
  instructor names with printed captions and a tiny short id at the bottom left.

:func:`random_localised_truth` and :func:`random_old_truth` draw the fields for those designs in the
label format of ``/work/shared/real-dev/labels.jsonl``.
"""

from __future__ import annotations

import math
import random
import string
import uuid
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype")

# Labels of the localised current design, from real certificates (see certificate-designs.md).
LOCALISED: dict[str, dict[str, Any]] = {
    "es": {
        "heading": "CERTIFICADO DE FINALIZACIÓN",
        "number": "Número de certificado: {uid}",
        "url": "Url del certificado ude.my/{uid}",
        "reference": "Número de referencia: 0004",
        "instructors": "Instructores",
        "date": "Fecha",
        "length": "Duración",
        "months": (
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ),
        "date_format": "{d} de {m} de {y}",
        "hours": "{n} horas en total",
    },
    "pt": {
        "heading": "CERTIFICADO DE CONCLUSÃO",
        "number": "Nº do certificado: {uid}",
        "url": "URL do certificado: ude.my/{uid}",
        "reference": "Número de referência: 0004",
        "instructors": "Instrutores",
        "date": "Data",
        "length": "Duração",
        "months": (
            "Janeiro",
            "Fevereiro",
            "Março",
            "Abril",
            "Maio",
            "Junho",
            "Julho",
            "Agosto",
            "Setembro",
            "Outubro",
            "Novembro",
            "Dezembro",
        ),
        "date_format": "{d} de {m} de {y}",
        "hours": "{n} horas no total",
    },
    "id": {
        "heading": "SERTIFIKAT PENYELESAIAN",
        "number": "No. sertifikat: {uid}",
        "url": "Url sertifikat: ude.my/{uid}",
        "reference": "Nomor Referensi: 0004",
        "instructors": "Instruktur",
        "date": "Tanggal",
        "length": "Durasi",
        "months": ("Jan.", "Feb.", "Maret", "April", "Mei", "Juni", "Juli", "Agu.", "Sep.", "Okt.", "Nov.", "Des."),
        "date_format": "{d} {m} {y}",
        "hours": "{n} total jam",
    },
    "tr": {
        "heading": "BİTİRME SERTİFİKASI",
        "number": "Sertifika no: {uid}",
        "url": "Sertifika URL'si: ude.my/{uid}",
        "reference": "Referans Numarası: 0004",
        "instructors": "Eğitmenler",
        "date": "Tarih",
        "length": "Uzunluk",
        "months": (
            "Ocak",
            "Şubat",
            "Mart",
            "Nisan",
            "Mayıs",
            "Haziran",
            "Temmuz",
            "Ağustos",
            "Eylül",
            "Ekim",
            "Kasım",
            "Aralık",
        ),
        "date_format": "{d} {m} {y}",
        "hours": "Toplam {n} saat",
    },
    # Russian pages keep English fragments ("17 total hours"), as real ones do.
    "ru": {
        "heading": "СЕРТИФИКАТ ОБ ОКОНЧАНИИ",
        "number": "Номер сертификата: {uid}",
        "url": "URL-адрес сертификата: ude.my/{uid}",
        "reference": "Номер ссылки: 0004",
        "instructors": "Преподаватели",
        "date": "Дата",
        "length": "Продолжительность",
        "months": (
            "янв.",
            "февр.",
            "марта",
            "апр.",
            "мая",
            "июня",
            "июля",
            "авг.",
            "сент.",
            "окт.",
            "нояб.",
            "дек.",
        ),
        "date_format": "{d} {m} {y} г.",
        "hours": "{n} total hours",
    },
}
LANGUAGES = tuple(LOCALISED)

LOCAL_TITLES = {
    "es": (
        "Master en APIs RESTful con NodeJS: Crea 3 backends completos",
        "Curso completo de Python 3 desde cero",
        "Desarrollo Web Completo con HTML5, CSS3, JS AJAX PHP y MySQL",
        "C# y .NET 8: de Cero a Experto",
        "Aprende Docker y Kubernetes en 10 días",
        "Excel para principiantes 2024",
    ),
    "pt": (
        ".NET MAUI - Desenvolvendo um App de Controle Financeiro",
        "Curso de PDO com Foco em Segurança da Informação",
        "Java COMPLETO 2025 Programação Orientada a Objetos + Projetos",
        "Git e Github para Iniciantes",
        "Desenvolvimento Web com C++ e Qt 6",
        "Análise de Dados com Python e Pandas",
    ),
    "id": (
        "Belajar Python untuk Pemula",
        "Menjadi Web Developer dalam 30 Hari",
        "Kursus Lengkap Laravel 11 dan Vue 3",
        "Dasar Pemrograman C++ untuk Kompetisi",
        "Flutter & Dart: Membuat Aplikasi Android dan iOS",
    ),
    "tr": (
        "Blue Team: Incident Handler",
        "Java Programlama: Temelden Ileri Seviyeye",
        "C# ile .NET Core Web API Projesi",
        "Docker ve Kubernetes: 2024 Uygulamali Kurs",
        "Siber Guvenlik Temelleri",
    ),
    "ru": (
        "Полный курс по Python 3",
        "Docker и Kubernetes: практическое руководство",
        "JavaScript для начинающих",
        "SQL и базы данных с нуля",
    ),
}
LOCAL_INSTRUCTORS = {
    "es": (
        "Víctor Robles",
        "Juan Pablo De la torre Valdez",
        "Fernando Herrera",
        "Nicolas Schurmann",
        "Pildoras Informaticas",
    ),
    "pt": (
        "Elias Ribeiro Da Silva Costa",
        "Spacedu Treinamentos",
        "Nelio Alves",
        "Leonardo Moura Leitao",
        "Rodrigo Manguinho",
    ),
    "id": ("Sandhika Galih", "Eko Kurniawan Khannedy", "Rizky Ramadhan", "Buildwith Angga"),
    "tr": ("Alican Kiraz", "Oak Academy", "Mehmet Yilmaz", "Ahmet Kaya"),
    "ru": ("Илья Ким", "Bogdan Stashchuk", "Олег Иванов", "Мария Смирнова"),
}
# Student names readable with the English Tesseract model, which keeps é but drops the marks of
# á, í, ó, ã, ç, š, ü (and cannot read ł, ş, ı): students are kept to those names so that the
# set measures the reader, while titles and instructors keep the accents real ones have.
LOCAL_STUDENTS = {
    "es": ("Gino Robla", "Andrés Gomez", "José Ramirez", "Diego Morales Navarro", "Lucas Martin"),
    "pt": ("Eduardo Maciel Pereira", "Joana Silva", "André Costa", "Carlos Henrique", "Gabriela Souza"),
    "id": ("Budi Santoso", "Siti Rahmawati", "Dewi Lestari", "Agus Pratama"),
    "tr": ("Mustafa Kaan Demir", "Ayse Yilmaz", "Emre Aydin", "Zeynep Kaya"),
    "ru": ("Иван Петров", "Anna Volkova", "Дмитрий Соколов", "Alexey Ivanov"),
}

# The old ornate design.
OLD_SUBJECTS = (
    "Blockchain A-Z™: Learn How To Build Your First Blockchain",
    "Data Analysis and Visualization - Complete Bootcamp by TM",
    "Git Going Fast: One Hour Git Crash Course",
    "The Complete JavaScript Course 2018: Build Real Projects!",
    "Learn C++ Programming -Beginner to Advance- Deep Dive in C++",
    "Python for Data Science and Machine Learning Bootcamp",
    "The Web Developer Bootcamp",
    "Complete C# Unity Developer 2D: Learn to Code Making Games",
    "Angular 8 (formerly Angular 2) - The Complete Guide",
    "ASP.NET MVC 5 with Entity Framework in 6 Hours",
    "AWS Certified Solutions Architect - Associate 2019",
    "iOS 12 & Swift - The Complete iOS App Development Bootcamp",
)
OLD_SUBJECTS_PT = (
    "Curso de PDO com Foco em Segurança da Informação",
    "Lógica de Programação Essencial",
    "Desenvolvimento Web Completo - 20 cursos + 20 projetos",
    "Java 8 COMPLETO Programação Orientada a Objetos + Projetos",
)
OLD_INSTRUCTORS = (
    "Hadelin de Ponteves",
    "Kirill Eremenko",
    "SuperDataScience Team",
    "TakenMind Internship",
    "Jason Taylor",
    "Jose Portilla",
    "Rob Percival",
    "Colt Steele",
    "Ben Tristem",
    "Maximilian Schwarzmuller",
    "Mosh Hamedani",
    "Dr. Angela Yu",
)
OLD_INSTRUCTORS_PT = ("FSN Cursos Online Fábio Souza", "Nelio Alves", "Gustavo Guanabara", "Paulo Dias")
OLD_STUDENTS = (
    "Hitvardhan Singh Solanki",
    "Ishan Nangia",
    "Carlos Henrique",
    "Diego Morales Navarro",
    "Emily Johnson",
    "Rahul Sharma",
    "José Pérez",
    "Chloé Martin",
    "Ahmed Hassan",
)
OLD_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
PT_MONTHS = LOCALISED["pt"]["months"]
SHORT_ID_ALPHABET = string.ascii_uppercase + string.digits

BLUE = (52, 104, 140)
DARK_BLUE = (40, 70, 96)
SLATE = (62, 78, 88)
INK = (28, 29, 31)
GREY = (106, 111, 115)
PAGE_COLOUR = (247, 248, 250)
PURPLE = (164, 53, 240)


@lru_cache(maxsize=64)
def font(rel: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / rel), size)


def format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def format_local_date(day: date, language: str, capitalise: bool = False) -> str:
    spec = LOCALISED[language]
    month = spec["months"][day.month - 1]
    if capitalise:
        month = month[:1].upper() + month[1:]
    return str(spec["date_format"]).format(d=day.day, m=month, y=day.year)


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days))


def random_localised_truth(rng: random.Random, language: str, titles: tuple[str, ...] = ()) -> dict[str, Any]:
    """Fields for a localised current-design certificate in ``language`` (es, pt, id, tr, ru)."""
    spec = LOCALISED[language]
    cert_id = "UC-" + str(uuid.UUID(int=rng.getrandbits(128), version=4))
    pool = LOCAL_TITLES[language] + titles
    title = rng.choice(pool)
    n = rng.choice((1, 1, 2, 2, 3))
    names = list(LOCAL_INSTRUCTORS[language])
    instructors = rng.sample(names, min(n, len(names)))
    student = rng.choice(LOCAL_STUDENTS[language])
    completed = _random_date(rng, date(2022, 1, 1), date(2026, 12, 31))
    # Whole hours only: how localised pages print halves (12,5 or 12.5) is not known from a real one.
    hours: float = rng.randrange(1, 90)
    return {
        "file": "",
        "certificate_id": cert_id,
        "title": title,
        "instructors": instructors,
        "student": student,
        "completed_on": completed.isoformat(),
        "length_hours": hours,
        "length_text": str(spec["hours"]).format(n=format_number(hours)),
        "language": language,
        "design": f"localised-{language}",
    }


LATE_OLD_SHARE = 0.2  # English old-design certificates of the design's last version (2020-2021)


def random_old_truth(rng: random.Random, language: str = "en") -> dict[str, Any]:
    """Fields for an old ornate certificate (2016 to 2021), English or Portuguese."""
    cert_id = "UC-" + "".join(rng.choice(SHORT_ID_ALPHABET) for _ in range(8))
    pool: tuple[str, ...]
    if language == "pt":
        title = rng.choice(OLD_SUBJECTS_PT)
        pool = OLD_INSTRUCTORS_PT
    else:
        title = rng.choice(OLD_SUBJECTS)
        pool = OLD_INSTRUCTORS
    n = rng.choice((1, 1, 2, 2, 3, 4))
    instructors = rng.sample(pool, min(n, len(pool)))
    completed = _random_date(rng, date(2016, 1, 1), date(2020, 4, 1))
    length_hours: float | None
    if rng.random() < 0.25:  # "successfully completed the online course <title>": no hours printed
        length_hours, length_text = None, None
    else:
        half = language == "en" and rng.random() < 0.4  # "8.5 hours"; Portuguese halves not seen
        length_hours = rng.randrange(1, 60) + (0.5 if half else 0.0)
        unit = "horas" if language == "pt" else "hours"
        length_text = f"{format_number(length_hours)} {unit}"
    student = rng.choice(OLD_STUDENTS)
    # Drawn apart, so that adding this version left every other generated certificate as it was.
    late = random.Random(f"late {cert_id}")
    if language == "en" and late.random() < LATE_OLD_SHARE:
        # The design's last version (2020-2021): a full UUID number, over a "Version 3" line, and
        # "completed 1.5 total hours of ... on Feb. 12, 2021" (a real one, 2021).
        cert_id = "UC-" + str(uuid.UUID(int=late.getrandbits(128), version=4))
        completed = _random_date(late, date(2020, 4, 1), date(2021, 12, 31))
        length_hours = late.randrange(1, 60) + (0.5 if late.random() < 0.4 else 0.0)
        length_text = f"{format_number(length_hours)} total hours"
    return {
        "file": "",
        "certificate_id": cert_id,
        "title": title,
        "instructors": instructors,
        "student": student,
        "completed_on": completed.isoformat(),
        "length_hours": length_hours,
        "length_text": length_text,
        "language": language,
        "design": "old",
    }


# --------------------------------------------------------------------------- localised current design


def render_localised(truth: dict[str, Any], rng: random.Random) -> Image.Image:
    """The current flat design with the labels of ``truth['language']``."""
    from functions.samples import generator as g

    spec = LOCALISED[truth["language"]]
    img = Image.new("RGB", (g.WIDTH, g.HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle((32, 32, g.WIDTH - 33, g.HEIGHT - 29), fill=PAGE_COLOUR)
    g._draw_logo(draw)
    regular, bold = rng.choice(g.TEXT_FONTS)
    jitter = rng.randint(-3, 3)
    uid = truth["certificate_id"]
    header_font = font(regular, 16)
    lines = (str(spec["number"]).format(uid=uid), str(spec["url"]).format(uid=uid), str(spec["reference"]))
    for i, line in enumerate(lines):
        draw.text((g.RIGHT, 102 + 30 * i), line, font=header_font, fill=GREY, anchor="ra")

    heading_font = font(bold, 23)
    x = float(g.LEFT)
    for ch in str(spec["heading"]):
        draw.text((x, 306 + jitter), ch, font=heading_font, fill=GREY)
        x += heading_font.getlength(ch) + 3.2

    serif = rng.random() < 0.5
    title_rel = rng.choice(g.SERIF_TITLE_FONTS if serif else g.SANS_TITLE_FONTS)
    y = _draw_title(draw, str(truth["title"]), title_rel, 362 + jitter)
    label_font, name_font = font(regular, 23), font(bold, 23)
    _draw_instructors(draw, str(spec["instructors"]), list(truth["instructors"]), label_font, name_font, y)

    student_font = font(rng.choice(g.SANS_TITLE_FONTS), 62)
    draw.text((g.LEFT, 955 + jitter), str(truth["student"]), font=student_font, fill=INK)
    day = date.fromisoformat(truth["completed_on"])
    date_text = format_local_date(day, truth["language"], capitalise=rng.random() < 0.5)
    for i, (label, value) in enumerate(((spec["date"], date_text), (spec["length"], truth["length_text"]))):
        yy = 1050 + 38 * i + jitter
        draw.text((g.LEFT, yy), str(label), font=label_font, fill=INK)
        draw.text((g.LEFT + label_font.getlength(str(label)) + 16, yy), str(value), font=name_font, fill=INK)
    return img


def _draw_title(draw: ImageDraw.ImageDraw, title: str, title_rel: str, y: int) -> int:
    from functions.samples import generator as g

    size = 96
    while True:
        title_font = font(title_rel, size)
        lines = g._wrap_title(title, title_font, g.RIGHT - g.LEFT - 40)
        if len(lines) <= 3 or size <= 60:
            break
        size -= 6
    step = int(size * 1.15)
    for line in lines:
        draw.text((g.LEFT, y), line, font=title_font, fill=INK)
        y += step
    return y + 30


def _draw_instructors(
    draw: ImageDraw.ImageDraw,
    label: str,
    names: list[str],
    label_font: ImageFont.FreeTypeFont,
    name_font: ImageFont.FreeTypeFont,
    y: int,
) -> None:
    from functions.samples import generator as g

    draw.text((g.LEFT, y), label, font=label_font, fill=INK)
    x = g.LEFT + label_font.getlength(label) + 17
    start_x = x
    for i, name in enumerate(names):
        piece = name + ("," if i < len(names) - 1 else "")
        width = name_font.getlength(piece)
        if x > start_x and x + width > g.RIGHT:
            x = start_x
            y += 34
        draw.text((x, y), piece, font=name_font, fill=INK)
        x += width + name_font.getlength("  ")


# --------------------------------------------------------------------------- old ornate design

OLD_SIZE = (1600, 1194)
ITALIC_SERIF = ("dejavu/DejaVuSerif-BoldItalic.ttf", "liberation/LiberationSerif-BoldItalic.ttf")
SIGNATURE_FONTS = ("liberation/LiberationSerif-Italic.ttf", "dejavu/DejaVuSerif-Italic.ttf")
CAPTION_FONTS = ("liberation/LiberationSans-Regular.ttf", "dejavu/DejaVuSans.ttf")


def old_sentence(truth: dict[str, Any]) -> str:
    """The one sentence of the old design, in its language."""
    day = date.fromisoformat(truth["completed_on"])
    student, title = truth["student"], truth["title"]
    if truth["language"] == "pt":
        when = f"{day.day} de {PT_MONTHS[day.month - 1]} de {day.year}"
        if truth["length_hours"] is None:
            return f"Certificamos que {student} concluiu com sucesso o curso online {title} em {when}"
        n = format_number(truth["length_hours"])
        return f"Certificamos que {student} concluiu com sucesso {n} horas do curso online {title} em {when}"
    when = f"{OLD_MONTHS[day.month - 1]} {day.day}, {day.year}"
    if truth["length_hours"] is None:
        return f"This is to certify that {student} successfully completed the online course {title} on {when}"
    if "total" in (truth.get("length_text") or ""):  # the last version dates as the current design does
        from functions.samples.generator import format_date

        done = f"successfully completed {truth['length_text']} of {title} online course"
        return f"This is to certify that {student} {done} on {format_date(day)}"
    n = format_number(truth["length_hours"])
    return f"This is to certify that {student} successfully completed {n} hours of {title} online course on {when}"


def _wrap_words(text: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and fnt.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _guilloche_border(img: Image.Image, rng: random.Random) -> None:
    """A blue band of interlaced sine waves around the page, between two framing rectangles."""
    w, h = img.size
    draw = ImageDraw.Draw(img)
    outer, band = 62, 70
    phase = rng.random() * math.tau
    for k in range(7):
        amp = band / 2 - 3
        freq = 2 * math.pi / (34 + 3 * k)
        colour = (40 + 10 * k, 100 + 8 * k, 140 + 6 * k)
        for side in range(4):
            pts: list[tuple[float, float]] = []
            length = w - 2 * outer if side in (0, 2) else h - 2 * outer
            for t in range(0, length + 1, 3):
                off = amp * math.sin(freq * t + phase + k * 0.9)
                mid = outer + band / 2 + off
                if side == 0:
                    pts.append((outer + t, mid))
                elif side == 2:
                    pts.append((outer + t, h - mid))
                elif side == 1:
                    pts.append((w - mid, outer + t))
                else:
                    pts.append((mid, outer + t))
            draw.line(pts, fill=colour, width=1)
    for inset, width in ((outer - 4, 3), (outer + band + 4, 3), (outer + band + 12, 1)):
        draw.rectangle((inset, inset, w - inset, h - inset), outline=DARK_BLUE, width=width)
    # corner rosettes
    for cx, cy in ((outer + band / 2, outer + band / 2), (w - outer - band / 2, outer + band / 2)):
        for r in range(8, 44, 6):
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=BLUE, width=1)
    for cx, cy in ((outer + band / 2, h - outer - band / 2), (w - outer - band / 2, h - outer - band / 2)):
        for r in range(8, 44, 6):
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=BLUE, width=1)


def _background(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A pale blue-to-white wash with faint wavy lines, like the security paper of the old design."""
    w, h = size
    grad = Image.linear_gradient("L").resize((w, h)).rotate(rng.choice((0, 180)))
    pale = Image.new("RGB", size, (205, 228, 238))
    white = Image.new("RGB", size, (252, 252, 255))
    img = Image.composite(white, pale, grad.point(lambda v: min(255, 90 + v)))
    draw = ImageDraw.Draw(img)
    for row in range(160, h - 160, 26):
        pts = [(x, row + 8 * math.sin(x / 60 + row)) for x in range(150, w - 150, 8)]
        draw.line(pts, fill=(214, 232, 240), width=1)
    return img


def render_old(truth: dict[str, Any], rng: random.Random) -> Image.Image:
    """The old ornate design, 1600x1194."""
    w, h = OLD_SIZE
    img = _background(OLD_SIZE, rng)
    _guilloche_border(img, rng)
    draw = ImageDraw.Draw(img)
    serif = rng.choice(ITALIC_SERIF)
    heading = "Certificado de Conclusão" if truth["language"] == "pt" else "Certificate of Completion"
    draw.text((w / 2, 255), heading, font=font(serif, 86), fill=SLATE, anchor="mm")

    size = 50
    body_font = font(serif, size)
    lines = _wrap_words(old_sentence(truth), body_font, 1240)
    while len(lines) > 4 and size > 34:
        size -= 3
        body_font = font(serif, size)
        lines = _wrap_words(old_sentence(truth), body_font, 1240)
    y = 430 - (len(lines) - 3) * 20
    for line in lines:
        draw.text((w / 2, y), line, font=body_font, fill=SLATE, anchor="mm")
        y += int(size * 1.35)

    names = list(truth["instructors"])
    caption_word = "Instrutor" if truth["language"] == "pt" else "Instructor"
    caption_rel = rng.choice(CAPTION_FONTS)
    sig_rel = rng.choice(SIGNATURE_FONTS)
    captions = [f"{name}, {caption_word}" for name in names]
    # One caption size for all, as large as lets every caption stand apart under its signature;
    # a long caption gets a wider slot.
    caption_size = 18
    while sum(font(caption_rel, caption_size).getlength(c) + 40 for c in captions) > 1300 and caption_size > 13:
        caption_size -= 1
    caption_font = font(caption_rel, caption_size)
    base = min(400, 1200 // len(names))
    widths = [max(caption_font.getlength(c) + 40, base) for c in captions]
    squeeze = min(1.0, 1300 / sum(widths))
    slots = [round(width * squeeze) for width in widths]
    x0 = w / 2 - sum(slots) / 2
    sig_y = max(y + 50, 745)
    # Real captions sit 3-10 px under the signature's rule; a separate generator keeps the rest of
    # the certificate (and every certificate after it) as the seed made it before.
    caption_dy = random.Random(str(truth["certificate_id"])).randint(19, 26)
    for i, (name, caption) in enumerate(zip(names, captions, strict=True)):
        slot = slots[i]
        cx = x0 + sum(slots[:i]) + slot / 2
        cw = caption_font.getlength(caption)
        sig_size = 34
        while font(sig_rel, sig_size).getlength(name) > slot - 20 and sig_size > 18:
            sig_size -= 2
        sig = Image.new("L", (slot, 70), 0)
        ImageDraw.Draw(sig).text((slot / 2, 35), name, font=font(sig_rel, sig_size), fill=255, anchor="mm")
        sig = sig.transform(sig.size, Image.Transform.AFFINE, (1, 0.35, -12, 0, 1, 0), Image.Resampling.BICUBIC)
        img.paste(Image.new("RGB", sig.size, (60, 60, 70)), (int(cx - slot / 2), sig_y - 60), sig)
        line_w = max(cw, 200) / 2 + 10
        draw.line((cx - line_w, sig_y + 8, cx + line_w, sig_y + 8), fill=(90, 90, 90), width=1)
        draw.text((cx, sig_y + caption_dy), caption, font=caption_font, fill=INK, anchor="mm")

    amp_y = sig_y + 70
    draw.text((w / 2, amp_y), "&", font=font("dejavu/DejaVuSans-Bold.ttf", 26), fill=INK, anchor="mm")
    draw.text(
        (w / 2 + 15, amp_y + 55), "Udemy", font=font("dejavu/DejaVuSans-Bold.ttf", 34), fill=(60, 60, 60), anchor="mm"
    )
    draw.text(
        (w / 2 - 75, amp_y + 55), "u", font=font("dejavu/DejaVuSans-Bold.ttf", 48), fill=(236, 82, 82), anchor="mm"
    )
    # The seal at the bottom centre.
    cx, cy, r = w / 2, h - 150, 80
    for k in range(3):
        draw.ellipse((cx - r - 10 * k, cy - r - 10 * k, cx + r + 10 * k, cy + r + 10 * k), outline=BLUE, width=3)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(225, 238, 244))
    draw.text((cx, cy), "#BeAble", font=font("dejavu/DejaVuSans.ttf", 26), fill=SLATE, anchor="mm")
    for side in (-1, 1):
        draw.polygon(
            [
                (cx + side * 95, cy - 40),
                (cx + side * 330, cy - 70),
                (cx + side * 300, cy + 10),
                (cx + side * 95, cy + 30),
            ],
            outline=BLUE,
            fill=(200, 222, 232),
        )

    # Measured on real ones: the number runs on from its label, both the size of 14 px Arial
    # (an 8-character number 100 px long, a full one 290 px, "Certificate no: " 92 px).
    tiny_label = font("liberation/LiberationSans-Regular.ttf", 14)
    tiny_value = font("liberation/LiberationSans-Bold.ttf", 14)
    uid = truth["certificate_id"]
    rows: tuple[tuple[str, str], ...]
    if truth["language"] == "pt":
        rows = (("Nº do certificado:", uid), ("Url do certificado:", f"ude.my/{uid}"))
    else:
        rows = (("Certificate no:", uid), ("Certificate url:", f"ude.my/{uid}"))
    top, step = h - 180, 17
    if len(uid) > 11:
        # A full number (2020 on) sits higher, clear of the seal's ribbons, over a version line.
        top, step = h - 248, 15
        rows = (*rows, ("Version 3", ""))
    for i, (label, value) in enumerate(rows):
        yy = top + step * i
        draw.text((158, yy), label, font=tiny_label, fill=(70, 70, 70))
        draw.text((158 + tiny_label.getlength(label + " "), yy), value, font=tiny_value, fill=(30, 30, 30))
    return img.filter(ImageFilter.SMOOTH) if rng.random() < 0.3 else img
