"""Title-only matching of OCR'd certificate titles against a catalog with near-duplicate decoys."""

from __future__ import annotations

import random

from contracts.records import CoursePayload
from functions.enrich.titles import best_title_match

SUBJECTS = [
    "Python",
    "JavaScript",
    "React",
    "Docker",
    "Kubernetes",
    "Terraform",
    "Go",
    "Rust",
    "SQL",
    "PostgreSQL",
    "Django",
    "Flask",
    "Node.js",
    "TypeScript",
    "Angular",
    "Vue",
    "AWS Lambda",
    "Azure DevOps",
    "Linux",
    "Git",
    "Machine Learning",
    "Deep Learning",
    "Pandas",
    "Spark",
    "Kafka",
    "GraphQL",
    "Redis",
    "MongoDB",
    "Java",
    "Spring Boot",
    "C++",
    "C#",
    "Unity",
    "Excel",
    "Power BI",
    "Tableau",
    "Figma",
    "Photoshop",
    "Ethical Hacking",
    "Networking",
]
FORMS = [
    "The Complete {s} Bootcamp",
    "{s} for Beginners: Learn by Building Real Projects",
    "Mastering {s}: From Zero to Expert",
    "{s} in Depth - Hands-On Masterclass",
    "Practical {s} with Real-World Examples",
]
DECOY_FORMS = [
    "The Complete {s} Bootcamp 2024",  # a year: other numbers
    "{s} for Beginners: Learn by Building Real Apps",  # one word off a real title
    "Mastering {s} Part 2: From Zero to Expert",
    "Advanced {s} in Depth - Hands-On Masterclass",
]
OCR_SWAPS = [
    ("l", "1"),
    ("I", "l"),
    ("O", "0"),
    ("rn", "m"),
    ("m", "rn"),
    ("e", "c"),
    ("S", "5"),
    ("cl", "d"),
    ("i", "l"),
]


def course(index: int, title: str) -> CoursePayload:
    return CoursePayload(id=index, title=title, url=f"/course/c{index}/")


def ocr_noise(title: str, rng: random.Random) -> str:
    """One or two OCR-like errors: a confusable letter, a lost or doubled space, a dropped character."""
    text = title
    for _ in range(rng.choice((1, 1, 2))):
        kind = rng.random()
        swaps = [(a, b) for a, b in OCR_SWAPS if a in text]
        if kind < 0.5 and swaps:
            a, b = rng.choice(swaps)
            at = rng.choice([i for i in range(len(text)) if text.startswith(a, i)])
            text = text[:at] + b + text[at + len(a) :]
        elif kind < 0.75:
            spaces = [i for i, ch in enumerate(text) if ch == " "]
            at = rng.choice(spaces)
            text = text[:at] + ("" if rng.random() < 0.5 else "  ") + text[at + 1 :]
        else:
            letters = [i for i, ch in enumerate(text) if ch.isalpha()]
            at = rng.choice(letters)
            text = text[:at] + text[at + 1 :]
    return text


def build(seed: int = 4) -> tuple[list[CoursePayload], list[tuple[str, int | None]]]:
    rng = random.Random(seed)
    titles = [form.format(s=s) for s in SUBJECTS for form in FORMS]
    rng.shuffle(titles)
    real = [course(i, t) for i, t in enumerate(titles[:100])]
    absent = titles[100:115]  # courses certificates name that the catalog does not hold
    decoys = [
        course(1000 + i, form.format(s=s))
        for i, (s, form) in enumerate((s, f) for s in SUBJECTS[:20] for f in DECOY_FORMS)
    ]
    certificates: list[tuple[str, int | None]] = [(ocr_noise(c.title, rng), c.id) for c in real]
    certificates += [(ocr_noise(t, rng), None) for t in absent]
    return real + decoys, certificates


def measure() -> tuple[int, int, int, int]:
    catalog, certificates = build()
    right = wrong = unmatched = 0
    for title, want in certificates[:100]:
        found = best_title_match(title, catalog).course
        if found is None:
            unmatched += 1
        elif found.id == want:
            right += 1
        else:
            wrong += 1
    absent_wrong = sum(best_title_match(t, catalog).course is not None for t, _ in certificates[100:])
    return right, wrong, unmatched, absent_wrong


def test_ocr_titles_match_95_percent_and_never_the_wrong_course() -> None:
    right, wrong, unmatched, absent_wrong = measure()
    print(
        f"title matching: {right}/100 right, {wrong} wrong, {unmatched} unmatched; "
        f"absent courses matched: {absent_wrong}"
    )
    assert right >= 95
    assert wrong == 0
    assert absent_wrong == 0


def test_a_year_or_part_number_is_never_fuzzed_away() -> None:
    catalog = [course(1, "The Complete Python Bootcamp"), course(2, "Mastering Go Part 2")]
    assert best_title_match("The Complete Python Bootcamp 2024", catalog).course is None
    assert best_title_match("Mastering Go Part 3", catalog).course is None


def test_two_near_equal_candidates_are_no_match() -> None:
    catalog = [course(1, "Docker for Beginners"), course(2, "Docker for Beginner")]
    assert best_title_match("Docker for Beginners", catalog).course is not None  # exact wins
    assert best_title_match("Docker for Beginnes", catalog).course is None  # one edit from each
