"""Synthetic Udemy certificates in the current (2022+) English design, with known ground truth.

``generate(out_dir, count, seed)`` writes ``<name>.jpg`` files and a ``labels.jsonl`` beside them.
The same seed always gives the same pictures and labels. The layout follows real downloads:
1600x1190 px, light grey page on a white margin, logo top left, three small grey header lines top
right, the letter-spaced "CERTIFICATE OF COMPLETION", a big bold title (serif or sans), the
instructors, the student's name near the bottom, then the date and the length.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import uuid
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

WIDTH, HEIGHT = 1600, 1190
PAGE_COLOUR = (247, 248, 250)
INK = (28, 29, 31)
GREY = (106, 111, 115)
PURPLE = (164, 53, 240)
LEFT, RIGHT = 96, 1504
FONT_DIR = Path("/usr/share/fonts/truetype")

SERIF_TITLE_FONTS = ("dejavu/DejaVuSerif-Bold.ttf", "liberation/LiberationSerif-Bold.ttf")
SANS_TITLE_FONTS = ("dejavu/DejaVuSans-Bold.ttf", "liberation/LiberationSans-Bold.ttf")
# (regular, bold) pairs for the small text.
TEXT_FONTS = (
    ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf"),
    ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    ("noto/NotoSans-Regular.ttf", "noto/NotoSans-Bold.ttf"),
)

TITLE_PARTS_A = (
    "The Complete",
    "Mastering",
    "Learn",
    "Beginning",
    "Ultimate",
    "Modern",
    "Practical",
    "Hands-On",
    "Advanced",
    "Introduction to",
)
TITLE_SUBJECTS = (
    "C# Programming",
    "C++ Programming",
    ".NET 8 Web APIs",
    "ASP.NET Core MVC",
    "Python for Data Science",
    "Docker and Kubernetes",
    "AWS Certified Cloud Practitioner CLF-C02",
    "Machine Learning A-Z",
    "React & Redux",
    "SQL for Data Analysis",
    "Cross-Platform Mobile Apps with Flutter",
    "JavaScript Algorithms and Data Structures",
    "Data Structures & Algorithms using C and C++",
    "Java Spring Boot Microservices",
    "Ethical Hacking",
    "Excel Formulas and Functions",
    "Go (Golang) for Beginners",
    "Rust Programming",
    "Node.js / Express REST APIs",
    "Unity Game Development",
)
TITLE_SUFFIXES = (
    "",
    "",
    " - From Beginner to Beyond",
    " – Zero to Mastery",
    ": Build 10 Real Projects",
    " in 6 Hours",
    " for 2025",
    " [E-commerce]",
    " (Updated 2024)",
    " Bootcamp",
    ": The Complete Guide",
    " - Beginner to Master",
)
INSTRUCTORS = (
    "Abdul Bari",
    "Jose Portilla",
    "Maximilian Schwarzmuller",
    "Colt Steele",
    "Stephane Maarek",
    "Andrei Neagoie",
    "Zero To Mastery",
    "Kirill Eremenko",
    "Hadelin de Ponteves",
    "Ligency Team",
    "Boris Paskhaver",
    "Tim Buchalka's Learn Programming Academy",
    "Dr. Frank Mitropoulos",
    "Jonas Schmedtmann",
    "Mosh Hamedani",
    "Krystian Czekalski",
    "Neil Anderson | Network Engineer",
    "Academind Team",
    "Brad Traversy",
    "Phillip Burgess",
)
# Names that contain a comma but are one person or one organisation.
COMMA_INSTRUCTORS = (
    "Dr. Angela Yu, Developer and Lead Instructor",
    "MTF Institute of Management, Technology and Finance",
)
FIRST_NAMES = (
    "Brayan",
    "Niniola",
    "Sinchana",
    "Moez",
    "Rikesh",
    "Yashwant",
    "Saniya",
    "Pedro",
    "José",
    "Chloé",
    "Mehmet",
    "Joy",
    "Wei",
    "Amara",
    "Andrés",
    "Carlos",
    "Fatima",
)
# Tesseract's English model reads é but not á, ü, ê, ø, ł, š, ç, ı: names with those
# letters are left to the real-certificate evaluation.
LAST_NAMES = (
    "Barrera",
    "Hannah",
    "Machado Duran",
    "Ahmed",
    "Yadav",
    "Wanave",
    "Ali",
    "Dubois",
    "Zhang",
    "O'Connor",
    "Kowalski",
    "Smith",
    "Pérez",
    "Okafor",
    "Nguyen",
)
MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


@lru_cache(maxsize=64)
def _font(rel: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / rel), size)


def format_date(day: date) -> str:
    """The way the current design prints a date: ``Sept. 5, 2023``, ``April 30, 2025``."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _random_truth(rng: random.Random, index: int, student: str | None = None) -> dict[str, Any]:
    cert_id = "UC-" + str(uuid.UUID(int=rng.getrandbits(128), version=4))
    title = rng.choice(TITLE_PARTS_A) + " " + rng.choice(TITLE_SUBJECTS) + rng.choice(TITLE_SUFFIXES)
    n_instructors = rng.choice((1, 1, 1, 2, 2, 3, 4))
    instructors = rng.sample(INSTRUCTORS, n_instructors)
    if rng.random() < 0.15:
        instructors[rng.randrange(n_instructors)] = rng.choice(COMMA_INSTRUCTORS)
    # The random name is drawn either way, so a fixed student leaves every other field as the seed gives it.
    random_student = rng.choice(FIRST_NAMES) + " " + rng.choice(LAST_NAMES)
    student = student if student is not None else random_student
    completed = date(2022, 1, 1) + timedelta(days=rng.randrange((date(2026, 12, 31) - date(2022, 1, 1)).days))
    roll = rng.random()
    if roll < 0.12:
        minutes = rng.choice((30, 35, 40, 45, 50, 55))
        length_hours: float | None = None
        length_text = f"{minutes} total mins"
    else:
        length_hours = rng.randrange(1, 80) + (0.5 if roll < 0.5 else 0.0)
        length_text = f"{_format_number(length_hours)} total hours"
    # Serif titles until about spring 2024, sans after (with a little overlap either way).
    serif = completed < date(2024, 4, 1) if rng.random() < 0.85 else completed >= date(2024, 4, 1)
    return {
        "file": "",
        "certificate_id": cert_id,
        "title": title,
        "instructors": instructors,
        "student": student,
        "completed_on": completed.isoformat(),
        "length_hours": length_hours,
        "length_text": length_text,
        "language": "en",
        "design": "current-serif" if serif else "current-sans",
    }


def _file_stem(rng: random.Random, truth: dict[str, Any], index: int) -> str:
    style = rng.random()
    if style < 0.5:
        return str(truth["certificate_id"])
    if style < 0.8:
        slug = re.sub(r"[^a-z0-9]+", "-", str(truth["title"]).lower()).strip("-")[:40]
        return f"{index:02d}-{slug}"
    return f"certificate_{index:02d}"


def _wrap_title(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap that may also break after a hyphen inside a word ("Cross-" / "Platform")."""
    pieces = re.findall(r"[^\s-]*-+|[^\s-]+(?:\s+|$)|\s+", text)
    tokens: list[str] = [p for p in pieces if p]
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = current + token
        if current and font.getlength(candidate.rstrip()) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _draw_logo(draw: ImageDraw.ImageDraw) -> None:
    x, y = LEFT, 96
    draw.polygon([(x, y + 12), (x + 20, y), (x + 40, y + 12), (x + 40, y + 24), (x + 20, y + 12), (x, y + 24)], PURPLE)
    draw.text((x - 4, y + 6), "udemy", font=_font("dejavu/DejaVuSans-Bold.ttf", 70), fill=(0, 0, 0))


def render(truth: dict[str, Any], rng: random.Random) -> Image.Image:
    """Draw one certificate for ``truth``; ``rng`` picks fonts and small layout jitter."""
    img = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle((32, 32, WIDTH - 33, HEIGHT - 29), fill=PAGE_COLOUR)
    _draw_logo(draw)
    regular, bold = rng.choice(TEXT_FONTS)
    jitter = rng.randint(-3, 3)

    header_font = _font(regular, 16)
    uid = truth["certificate_id"]
    for i, line in enumerate((f"Certificate no: {uid}", f"Certificate url: ude.my/{uid}", "Reference Number: 0004")):
        draw.text((RIGHT, 102 + 30 * i), line, font=header_font, fill=GREY, anchor="ra")

    heading_font = _font(bold, 23)
    x = float(LEFT)
    for ch in "CERTIFICATE OF COMPLETION":
        draw.text((x, 306 + jitter), ch, font=heading_font, fill=GREY)
        x += heading_font.getlength(ch) + 3.2

    serif = truth["design"] == "current-serif"
    title_rel = rng.choice(SERIF_TITLE_FONTS if serif else SANS_TITLE_FONTS)
    size = 96
    while True:
        title_font = _font(title_rel, size)
        lines = _wrap_title(str(truth["title"]), title_font, RIGHT - LEFT - 40)
        if len(lines) <= 3 or size <= 60:
            break
        size -= 6
    y = 362 + jitter
    step = int(size * 1.15)
    for line in lines:
        draw.text((LEFT, y), line, font=title_font, fill=INK)
        y += step
    y += 30

    label_font, name_font = _font(regular, 23), _font(bold, 23)
    draw.text((LEFT, y), "Instructors", font=label_font, fill=INK)
    x = LEFT + label_font.getlength("Instructors") + 17
    start_x = x
    names = list(truth["instructors"])
    for i, name in enumerate(names):
        piece = name + ("," if i < len(names) - 1 else "")
        width = name_font.getlength(piece)
        if x > start_x and x + width > RIGHT:
            x = start_x
            y += 34
        draw.text((x, y), piece, font=name_font, fill=INK)
        x += width + name_font.getlength("  ")

    student_font = _font(rng.choice(SANS_TITLE_FONTS), 62)
    draw.text((LEFT, 955 + jitter), str(truth["student"]), font=student_font, fill=INK)
    for i, (label, value) in enumerate(
        (("Date", format_date(date.fromisoformat(truth["completed_on"]))), ("Length", truth["length_text"]))
    ):
        yy = 1050 + 38 * i + jitter
        draw.text((LEFT, yy), label, font=label_font, fill=INK)
        draw.text((LEFT + label_font.getlength(label) + 16, yy), str(value), font=name_font, fill=INK)
    return img


def photo_like(seed: int = 0, size: tuple[int, int] = (1600, 1190)) -> Image.Image:
    """A picture that is not a certificate: gradients, blobs and noise, like a photo."""
    rng = random.Random(seed)
    w, h = size
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    overlay = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    img = Image.blend(img, overlay, 0.5)
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randrange(20, 200)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    img = img.filter(ImageFilter.GaussianBlur(6))
    noise = Image.effect_noise(size, 40).convert("RGB")
    return Image.blend(img, noise, 0.2)


def generate(
    out_dir: Path, count: int, seed: int = 0, fmt: str = "jpg", student: str | None = None
) -> list[dict[str, Any]]:
    """Write ``count`` certificates (``jpg``, ``png`` or ``pdf``) and ``labels.jsonl`` into ``out_dir``.

    ``student`` puts one fixed name on every certificate (a person's own certificates); by default
    each certificate gets a random student.
    """
    if fmt not in ("jpg", "png", "pdf"):
        raise ValueError(f"unsupported format {fmt!r}: use jpg, png or pdf")
    if student is not None and not student.strip():
        raise ValueError("student must be a non-empty name")
    student = re.sub(r"\s+", " ", student).strip() if student is not None else None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    labels: list[dict[str, Any]] = []
    used: set[str] = set()
    for index in range(1, count + 1):
        truth = _random_truth(rng, index, student)
        stem = _file_stem(rng, truth, index)
        while stem in used:
            stem += "-1"
        used.add(stem)
        truth["file"] = f"{stem}.{fmt}"
        img = render(truth, rng)
        path = out_dir / truth["file"]
        if fmt == "jpg":
            img.save(path, "JPEG", quality=90)
        elif fmt == "png":
            img.save(path, "PNG", optimize=True)
        else:
            img.save(path, "PDF", resolution=72.0)
        labels.append(truth)
    with (out_dir / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for label in labels:
            fh.write(json.dumps(label, ensure_ascii=False) + "\n")
    return labels


# Extra names and titles for the evaluation set only (the tuples above drive the bundled samples).
DECORATED_INSTRUCTORS = (
    "Diego Davila • 1.000.000+ Students",
    "Neil Anderson | Network Engineer",
    "Ranga Karanam | 1.5M Learners",
    "Dr. Angela Yu, Developer and Lead Instructor",
    "MTF Institute of Management, Technology and Finance",
)
LONG_TITLES = (
    "AWS Certified Solutions Architect Associate SAA-C03 Exam Prep with 6 Practice Tests for 2025",
    "The Complete 2024 Web Development Bootcamp: HTML, CSS, JavaScript, Node, React, PostgreSQL, Web3",
    "C# / .NET 8 Masterclass: Build 12 Real-World Apps – From Zero to Cross-Platform Hero",
    "100 Days of Code: The Complete Python Pro Bootcamp (Updated for 2025)",
    "Microsoft Excel - Excel from Beginner to Advanced 2024 [E-commerce Edition]",
)
DESIGN_WEIGHTS = (
    ("current-serif", 4),
    ("current-sans", 4),
    ("localised-es", 2),
    ("localised-pt", 2),
    ("localised-id", 2),
    ("localised-tr", 2),
    ("localised-ru", 1),
    ("old-en", 2),
    ("old-pt", 1),
)


def _eval_truth(rng: random.Random, kind: str) -> dict[str, Any]:
    """Ground truth for one evaluation certificate of design ``kind`` (see ``DESIGN_WEIGHTS``)."""
    from functions.samples import designs

    if kind.startswith("localised-"):
        return designs.random_localised_truth(rng, kind.split("-", 1)[1])
    if kind.startswith("old-"):
        return designs.random_old_truth(rng, kind.split("-", 1)[1])
    truth = _random_truth(rng, 0)
    if rng.random() < 0.2:
        truth["title"] = rng.choice(LONG_TITLES)
    if rng.random() < 0.25:
        names = list(truth["instructors"])
        names[rng.randrange(len(names))] = rng.choice(DECORATED_INSTRUCTORS)
        if len(set(names)) == len(names):
            truth["instructors"] = names
    # The design follows the date in the wild, but both title fonts must be in the set.
    truth["design"] = kind
    return truth


def _render_any(truth: dict[str, Any], rng: random.Random) -> Image.Image:
    from functions.samples import designs

    if truth["design"] == "old":
        return designs.render_old(truth, rng)
    if truth["design"].startswith("localised-"):
        return designs.render_localised(truth, rng)
    return render(truth, rng)


def generate_eval_set(out_dir: Path, count: int, seed: int = 0) -> list[dict[str, Any]]:
    """Write ``count`` certificates mixing every design and every damage, and ``labels.jsonl``.

    Designs and damages are dealt round-robin from shuffled decks (so a set of ~40 holds every
    design and every damage) and the whole set depends only on ``seed``. Each label has the fields
    of ``/work/shared/real-dev/labels.jsonl`` plus ``damage`` and ``size`` (the decoded pixel size;
    a PDF page renders at one pixel per point), and ``id_accept_null`` where the id is too small to
    read (old design shrunk below 1000 px).
    """
    from functions.samples import damage as dmg

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    design_deck = [kind for kind, weight in DESIGN_WEIGHTS for _ in range(weight)]
    damage_deck = list(dmg.DAMAGES)
    designs_left: list[str] = []
    damages_left: list[str] = []
    labels: list[dict[str, Any]] = []
    used: set[str] = set()
    for index in range(1, count + 1):
        if not designs_left:
            designs_left = design_deck[:]
            rng.shuffle(designs_left)
        if not damages_left:
            damages_left = damage_deck[:]
            rng.shuffle(damages_left)
        kind, damage = designs_left.pop(), damages_left.pop()
        truth = _eval_truth(rng, kind)
        stem = _file_stem(rng, truth, index)
        while stem in used:
            stem += "-1"
        used.add(stem)
        img = _render_any(truth, rng)
        path, size = dmg.apply(img, damage, rng, out_dir / stem)
        truth["file"] = path.name
        truth["damage"] = damage
        truth["size"] = list(size)
        if truth["design"] == "old" and size[0] < 1000:
            # The old design's id is 12 px high at 1600 px: at 600-900 px nobody can read it,
            # so null is the right answer there (the key score_certificates.py knows).
            truth["id_accept_null"] = True
        labels.append(truth)
    with (out_dir / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for label in labels:
            fh.write(json.dumps(label, ensure_ascii=False) + "\n")
    return labels


def main(argv: list[str] | None = None) -> int:
    """``samples generate OUT --count N --seed S [--format jpg|png|pdf] [--student NAME]``."""
    parser = argparse.ArgumentParser(prog="udemy-pipeline samples generate", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", dest="fmt", choices=("jpg", "png", "pdf"), default="jpg")
    parser.add_argument("--student", default=None, help="one student name for every certificate (default: random)")
    parser.add_argument(
        "--eval", action="store_true", help="an evaluation set: every design and damage (ignores --format/--student)"
    )
    args = parser.parse_args(argv)
    if args.eval:
        labels = generate_eval_set(args.out, args.count, args.seed)
    else:
        labels = generate(args.out, args.count, args.seed, args.fmt, student=args.student)
    print(f"wrote {len(labels)} certificates and labels.jsonl to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
