"""Synthetic lines of names in small print, for training the names network (``functions/ocr/namelines.py``).

Each sample is one line as a small copy of a certificate leaves it: the old design's caption
(``<Name>, Instructor`` in 13-18 px regular type at the page's 1600 px scale) or the current
design's instructors line (``Instructors`` and bold names at 21-25 px, or its continuation), drawn
at 1600 px, shrunk to 560-1000 px wide by one of several filters, JPEG-compressed or not, enlarged
back to 1600 px as the reader does, and cut as the reader cuts it (``namelines.cut_line``).

The names are made up: first names and surnames of many languages, words built from syllables,
organisations' words, initials and decorations (``|``, ``•``). No word of the evaluation set's
instructors is drawn (``functions.samples.generator.INSTRUCTORS``), and neither are its fonts
(Liberation Sans, DejaVu Sans, Noto Sans): the evaluation set measures the network on names and
type it has never seen, as real certificates are.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from functions.ocr.namelines import cut_line, encodable
from functions.samples import generator
from functions.samples.id_lines import shrunk_and_enlarged

FONT_ROOT = Path("/usr/share/fonts")
# (regular, bold) pairs; Debian packages as for the id-line network (``id_lines.py``).
TRAINING_FONTS = (
    ("opentype/inter/Inter-Regular.otf", "opentype/inter/Inter-Bold.otf"),
    ("opentype/inter/Inter-Light.otf", "opentype/inter/Inter-SemiBold.otf"),
    ("truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf", "truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf"),
    ("truetype/roboto/unhinted/RobotoTTF/Roboto-Light.ttf", "truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf"),
    ("truetype/roboto/unhinted/RobotoCondensed-Regular.ttf", "truetype/roboto/unhinted/RobotoCondensed-Bold.ttf"),
    ("truetype/open-sans/OpenSans-Regular.ttf", "truetype/open-sans/OpenSans-Bold.ttf"),
    ("truetype/open-sans/OpenSans-Light.ttf", "truetype/open-sans/OpenSans-Semibold.ttf"),
    ("truetype/lato/Lato-Regular.ttf", "truetype/lato/Lato-Bold.ttf"),
    ("truetype/lato/Lato-Medium.ttf", "truetype/lato/Lato-Heavy.ttf"),
    ("opentype/cantarell/Cantarell-Regular.otf", "opentype/cantarell/Cantarell-Bold.otf"),
    ("truetype/clear-sans/ClearSans-Regular.ttf", "truetype/clear-sans/ClearSans-Bold.ttf"),
    ("opentype/cabin/Cabin-Regular.otf", "opentype/cabin/Cabin-Bold.otf"),
    ("truetype/karla/Karla-Regular.otf", "truetype/karla/Karla-Bold.otf"),
    ("truetype/freefont/FreeSans.ttf", "truetype/freefont/FreeSansBold.ttf"),
    ("fonts-go/Go-Regular.ttf", "fonts-go/Go-Bold.ttf"),
    ("truetype/manrope/Manrope-Regular.ttf", "truetype/manrope/Manrope-Bold.ttf"),
    ("opentype/urw-base35/NimbusSans-Regular.otf", "opentype/urw-base35/NimbusSans-Bold.otf"),
    ("truetype/crosextra/Carlito-Regular.ttf", "truetype/crosextra/Carlito-Bold.ttf"),
    ("truetype/oxygen/Oxygen-Sans.ttf", "truetype/oxygen/Oxygen-Sans-Bold.ttf"),
    ("truetype/quicksand/Quicksand-Regular.ttf", "truetype/quicksand/Quicksand-Bold.ttf"),
    ("truetype/play/Play-Regular.ttf", "truetype/play/Play-Bold.ttf"),
    ("opentype/b612/B612-Regular.otf", "opentype/b612/B612-Bold.otf"),
)
# The evaluation set's text fonts (``functions.samples.generator.TEXT_FONTS``): never trained on.
HELD_OUT_FONTS = (
    ("truetype/liberation/LiberationSans-Regular.ttf", "truetype/liberation/LiberationSans-Bold.ttf"),
    ("truetype/dejavu/DejaVuSans.ttf", "truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("truetype/noto/NotoSans-Regular.ttf", "truetype/noto/NotoSans-Bold.ttf"),
)

FIRST_NAMES = """
Aaron Abdul Adaeze Adriana Agnieszka Ahmed Aiko Aisha Alejandro Aleksandra Alessandro Alfonso
Amelia Amir Ana Anders Anika Antoine Arjun Astrid Aurelio Ayesha Bartosz Beatriz Benedikt Bianca
Bjorn Bruno Camila Carlos Caroline Cecilia Chiara Chidi Christoph Clara Cristina Dagmar Dalia
Damian Daniela Dariusz Debora Deepak Dominik Edoardo Efua Elena Elif Emeka Emilia Emre Enrique
Esra Esteban Fatima Federico Felipe Fernanda Filip Florian Francesca Gabriel Gabriela Giovanni
Gonzalo Greta Guilherme Gulsen Hannah Haruki Helena Hugo Ibrahim Ignacio Ilse Ines Ingrid Irina
Isabela Ismail Ivan Jakub Javier Jelena Joao Joaquim Johan Jorge Julia Julien Kamil Karina Katarzyna
Kemal Kenji Klara Krzysztof Lars Laura Leandro Lena Liliana Lina Lorenzo Luca Lucia Ludmila
Luis Magdalena Malik Marcelo Marek Margarida Mariana Mateus Matias Mattia Mehdi Milan Mina Miriam
Nadia Natalia Nikhil Nikola Noemi Olga Oliver Oscar Pablo Patricia Pawel Philippe Priya Rafael
Rahul Ramon Raquel Renata Ricardo Rodrigo Rosa Rui Sabrina Sakura Samuel Sandra Sebastian Sergio
Silvia Simone Sofia Sonia Stefan Sven Tamara Tatiana Teresa Thiago Tomasz Ulrich Valentina
Valeria Vanessa Vicente Viktor Vitoria Wanda Xavier Yasmin Yusuf Zeynep Zofia Adem Burak Cem Derya
Dewi Eka Fitri Gilang Hendra Indah Joko Kurnia Lestari Made Putu Rini Sari Taufik Wahyu Yudi
"""
SURNAMES = """
Abdullah Acosta Aguilar Akhtar Almeida Alonso Amato Andrade Araujo Arslan Azevedo Barbosa Barros
Bauer Becker Benitez Bergstrom Bianchi Blanco Borges Brandt Caballero Cardoso Carvalho Castillo
Castro Cavalcanti Celik Chowdhury Colombo Correia Costa Cruz Dahl Demir Dominguez Dubois Duarte
Esposito Farias Ferrari Fischer Fonseca Fuentes Gallo Garrido Gashi Gomes Gonzalez Guerrero Gunawan
Gutierrez Haddad Hakimi Halvorsen Hartmann Herrera Hoffmann Horvath Ibanez Iglesias Jankowski
Jimenez Kaczmarek Kaplan Kowalski Kozlov Kruger Kurniawan Lambert Landa Lehmann Leite Lindqvist
Lopes Lorenz Lozano Macedo Machado Maldonado Marino Marques Martins Medina Meier Mendes Mendoza
Monteiro Morales Moreira Moretti Nascimento Navarro Neumann Nogueira Novak Nowak Nunes Ortega
Ozturk Pacheco Pereira Petrovic Pinto Prasetyo Quintero Ramos Rangel Ricci Rinaldi Rocha Romano
Rossi Rubio Saputra Sahin Salazar Sanchez Santoro Schmitt Schneider Serrano Setiawan Silveira
Sousa Suarez Szabo Teixeira Torres Valente Vargas Vasquez Vieira Villalobos Wagner Weber Wijaya
Wojcik Yildiz Zamora Zielinski Kessler Okafor Mensah Nakamura Tanaka Yamamoto Watanabe Kobayashi
Sharma Gupta Iyer Krishnan Reddy Banerjee Mukherjee Nguyen Tran Pham Hoang Kim Park Choi
"""
ACCENTED = """
André Beyoncé Cecília Conceição Dvořák Élise Érica Fábio Gómez Gonçalves Hélène Jesús Joaquín
José Łukasz Márquez Müller Núñez Öztürk Peña Raúl Ramírez Rodríguez Sebastián Şahin Ümit Valérie
Vázquez Wiśniewski Zoë Çelik Ağaoğlu Işık Jürgen Krüger Söderström Ståhl Mário Antônio Inês Simões
Guimarães João Magalhães Sérgio Patrícia Renée François Zoltán Lucía Martín Andrés Óscar Ángel
"""
ORGANISATION_WORDS = """
Academy Institute Labs School Online Cursos Digital Learning Training Solutions Studio Group
Tech Code Data Cloud Dev Systems Consulting Education Treinamentos Akademi Kursus Media Works
Global Software Engineering Analytics Security Design Marketing Business Finance Management
Science Research University College Center Network Web Mobile Games Creative Hub Lab Pro
"""
ROLE_PHRASES = (
    "Developer",
    "Lead Instructor",
    "Software Engineer",
    "Data Scientist",
    "PhD",
    "MBA",
    "Bestselling Instructor",
    "Cloud Architect",
    "Students",
)
SYLLABLES = (
    *("ba", "be", "bi", "bo", "bu", "da", "de", "di", "do", "du", "ka", "ke", "ki", "ko", "ku", "la"),
    *("le", "li", "lo", "lu", "ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "ra", "re"),
    *("ri", "ro", "ru", "sa", "se", "si", "so", "su", "ta", "te", "ti", "to", "tu", "va", "ve", "vi"),
    *("vo", "za", "ze", "zi", "an", "el", "in", "on", "ar", "er", "or", "is", "us", "ic", "al", "ia"),
    *("ie", "ei", "ou"),
)
CAPTION_WORDS = ("Instructor", "Instructor", "Instructor", "Instrutor", "Instructora", "Instruktur", "Eğitmen")
LABELS = ("Instructors", "Instructors", "Instructors", "Instructores", "Instrutores", "Instruktur", "Eğitmenler")


def _words(text: str) -> list[str]:
    """The words of ``text`` that no evaluation-set instructor name holds."""
    held_out = {
        word.strip(",.'|").lower()
        for name in (*generator.INSTRUCTORS, *generator.COMMA_INSTRUCTORS)
        for word in name.split()
    }
    return [word for word in text.split() if word.lower() not in held_out]


FIRST, LAST, ACCENTS, ORGS = _words(FIRST_NAMES), _words(SURNAMES), _words(ACCENTED), _words(ORGANISATION_WORDS)


def _made_up(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return word.capitalize() if rng.random() < 0.9 else word


def random_name(rng: random.Random) -> str:
    """One instructor: a person (two to four words, accents, initials, a title), an organisation,
    or a name with a role or a decoration after it."""
    pick = rng.random()
    first = rng.choice(ACCENTS if rng.random() < 0.15 else FIRST) if rng.random() < 0.85 else _made_up(rng)
    lasts = [rng.choice(ACCENTS if rng.random() < 0.15 else LAST) if rng.random() < 0.8 else _made_up(rng)]
    if rng.random() < 0.25:
        lasts.insert(0, rng.choice(("de", "da", "van", "von", "del", "dos", "di", "Mc" + rng.choice(LAST).lower())))
    if rng.random() < 0.2:
        lasts.append(rng.choice(LAST))
    name = " ".join([first, *lasts])
    if pick < 0.08:
        name = f"{rng.choice(('Dr.', 'Prof.', 'Eng.'))} {name}"
    elif pick < 0.13:
        name = f"{first} {rng.choice(LAST)[0]}. {lasts[-1]}"
    elif pick < 0.28:
        words = [rng.choice(ORGS if rng.random() < 0.6 else LAST) for _ in range(rng.randint(1, 3))]
        lead = rng.choice(
            (rng.choice(LAST), _made_up(rng), "".join(rng.choice("ABCDEFGHKLMNPRSTVX") for _ in range(3)))
        )
        name = " ".join([lead, *words])
    elif pick < 0.36:
        name = f"{name} {rng.choice(('|', '•', '-'))} {rng.choice(ROLE_PHRASES)}"
    elif pick < 0.40:
        name = f"{name} • {rng.randint(1, 999)}.{rng.randint(0, 999):03d}+ {rng.choice(ROLE_PHRASES)}"
    elif pick < 0.44:
        name = f"{rng.choice(LAST)}'s {rng.choice(ORGS)} {rng.choice(ORGS)}"
    if rng.random() < 0.05 and encodable(name.upper()):
        name = name.upper()
    return name


def caption_text(rng: random.Random) -> str:
    return f"{random_name(rng)}, {rng.choice(CAPTION_WORDS)}"


def instructors_text(rng: random.Random) -> tuple[str, str]:
    """The label (may be empty: a continuation line) and the names after it."""
    names = ", ".join(random_name(rng) for _ in range(rng.choice((1, 1, 2, 2, 3))))
    if rng.random() < 0.2:
        names += ","
    return ("" if rng.random() < 0.2 else rng.choice(LABELS)), names


DRAW_SCALE = 4


def draw_line(rng: random.Random, fonts: tuple[str, str]) -> tuple[Image.Image, str]:
    """One line at the 1600 px page scale and its text: a caption (regular type, 13-18 px) or an
    instructors line (label regular, names bold, 21-25 px), on a light ground."""
    regular, bold = fonts
    caption = rng.random() < 0.5
    page, ink = rng.randint(225, 252), rng.randint(20, 90)
    if caption:
        size, parts = rng.uniform(13, 18.5), [("", ""), (caption_text(rng), regular)]
    else:
        label, names = instructors_text(rng)
        size = rng.uniform(21, 25)
        parts = [(label, regular), (names, bold)]
    text = " ".join(p for p, _ in parts if p)
    stretch = rng.uniform(0.9, 1.1)
    fonts_at = {path: ImageFont.truetype(path, size * DRAW_SCALE) for _, path in parts if path}
    gap = size * 0.7 * DRAW_SCALE
    width = sum(fonts_at[path].getlength(p) for p, path in parts if p) + gap + 60 * DRAW_SCALE
    image = Image.new("L", (round(width), round(size * 3 * DRAW_SCALE)), page)
    draw = ImageDraw.Draw(image)
    x, y = 30.0 * DRAW_SCALE, size * DRAW_SCALE
    for piece, path in parts:
        if piece:
            draw.text((x, y), piece, font=fonts_at[path], fill=ink)
            x += fonts_at[path].getlength(piece) + gap
    weight = rng.random()
    if weight < 0.15:
        image = image.filter(ImageFilter.MinFilter(3))
    elif weight > 0.85:
        image = image.filter(ImageFilter.MaxFilter(3))
    size_px = (max(1, round(image.width / DRAW_SCALE * stretch)), round(image.height / DRAW_SCALE))
    image = image.resize(size_px, Image.Resampling.BOX)
    if rng.random() < 0.2:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 0.7)))
    return image, text


def keep_small(rng: random.Random, image: Image.Image) -> Image.Image:
    """``image`` as a copy 560-1000 px wide leaves it (half at 580-640 px, website thumbnails),
    JPEG quality 55-95 on 80 %, enlarged back to the 1600 px scale as the reader does."""
    width = rng.uniform(570, 650) if rng.random() < 0.5 else rng.uniform(650, 1000)
    return shrunk_and_enlarged(rng, image, width, jpeg_share=0.8, stretch=False)


def installed(fonts: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The paths of those pairs of ``fonts`` whose two faces are installed."""
    return [
        (str(FONT_ROOT / a), str(FONT_ROOT / b))
        for a, b in fonts
        if (FONT_ROOT / a).is_file() and (FONT_ROOT / b).is_file()
    ]


def sample(rng: random.Random, fonts: list[tuple[str, str]]) -> tuple[Image.Image, str]:
    """One training line, cut as the reader cuts a line of names, and its text."""
    image, text = draw_line(rng, rng.choice(fonts))
    image = keep_small(rng, image)
    return cut_line(image, jitter=(rng.uniform(-2, 2), rng.uniform(-2, 2))), text
