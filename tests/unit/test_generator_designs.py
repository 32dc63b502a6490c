"""The evaluation-set generator: every design and damage, deterministic, well-formed labels."""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from functions.samples import damage, designs
from functions.samples.generator import DESIGN_WEIGHTS, generate_eval_set

LABEL_KEYS = {
    "file",
    "certificate_id",
    "title",
    "instructors",
    "student",
    "completed_on",
    "length_hours",
    "length_text",
    "language",
    "design",
    "damage",
    "size",
}
ALL_DESIGNS = {
    "current-serif",
    "current-sans",
    "localised-es",
    "localised-pt",
    "localised-id",
    "localised-tr",
    "localised-ru",
    "old",
}


@pytest.fixture(scope="module")
def eval_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("eval")
    return out, generate_eval_set(out, 40, seed=11)


def _decode_size(path: Path) -> tuple[int, int]:
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            page = doc[0]
            assert page.get_textpage().count_chars() == 0  # image-only: no text layer
            return page.render(scale=1).to_pil().size
        finally:
            doc.close()
    with Image.open(path) as img:
        img.load()
        return img.size


def test_every_design_and_damage_is_in_a_set_of_40(eval_set: tuple[Path, list[dict[str, Any]]]) -> None:
    _, labels = eval_set
    assert {lab["design"] for lab in labels} == ALL_DESIGNS
    assert {lab["damage"] for lab in labels} == set(damage.DAMAGES)
    assert {lab["language"] for lab in labels} >= {"en", "es", "pt", "id", "tr"}
    assert any(lab["design"] == "old" and lab["language"] == "pt" for lab in labels)
    assert sum(weight for _, weight in DESIGN_WEIGHTS) * 2 <= 40  # two full decks of designs


def test_labels_file_matches_the_returned_labels(eval_set: tuple[Path, list[dict[str, Any]]]) -> None:
    out, labels = eval_set
    lines = (out / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == labels
    assert len({lab["file"] for lab in labels}) == len(labels)


def test_labels_are_well_formed(eval_set: tuple[Path, list[dict[str, Any]]]) -> None:
    _, labels = eval_set
    for lab in labels:
        assert set(lab) - {"id_accept_null"} == LABEL_KEYS, lab["file"]
        assert lab.get("id_accept_null", False) == (lab["design"] == "old" and lab["size"][0] < 1000)
        cid = lab["certificate_id"]
        if lab["design"] == "old":
            assert re.fullmatch(r"UC-[A-Z0-9]{8}", cid), cid
            assert date.fromisoformat(lab["completed_on"]) < date(2020, 6, 1)
        else:
            assert cid.startswith("UC-") and cid == cid.lower().replace("uc-", "UC-", 1)
            assert uuid.UUID(cid[3:]).version == 4 and str(uuid.UUID(cid[3:])) == cid[3:]
        assert isinstance(lab["title"], str) and lab["title"].strip() == lab["title"] != ""
        assert 1 <= len(lab["instructors"]) <= 4 and all(isinstance(n, str) and n for n in lab["instructors"])
        assert len(set(lab["instructors"])) == len(lab["instructors"])
        assert lab["student"] and lab["student"].strip() == lab["student"]
        date.fromisoformat(lab["completed_on"])
        if lab["length_hours"] is None:
            # minutes (current design) or no length printed (old design)
            assert lab["length_text"] is None or re.fullmatch(r"\d+ total mins", lab["length_text"])
        else:
            assert lab["length_hours"] > 0 and lab["length_text"]
            assert designs.format_number(lab["length_hours"]) in lab["length_text"]
        assert lab["file"].endswith("." + damage.extension(lab["damage"]))


def test_each_image_decodes_at_its_expected_size(eval_set: tuple[Path, list[dict[str, Any]]]) -> None:
    out, labels = eval_set
    for lab in labels:
        size = _decode_size(out / lab["file"])
        assert list(size) == lab["size"], lab["file"]
        if lab["damage"] == "small":
            assert size == (600, 448)
        elif lab["damage"] == "large":
            assert size == (2222, 1658)
        elif lab["damage"] == "screenshot":
            assert 720 <= size[0] <= 900
        else:
            assert size[0] == 1600 and size[1] in (1190, 1194)


def test_same_seed_same_set_other_seed_other_set(tmp_path: Path) -> None:
    def digest(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    a = generate_eval_set(tmp_path / "a", 8, seed=5)
    b = generate_eval_set(tmp_path / "b", 8, seed=5)
    c = generate_eval_set(tmp_path / "c", 8, seed=6)
    assert a == b
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert a != c


def test_localised_labels_and_dates() -> None:
    day = date(2022, 10, 11)
    assert designs.format_local_date(day, "es", capitalise=True) == "11 de Octubre de 2022"
    assert designs.format_local_date(day, "es") == "11 de octubre de 2022"
    assert designs.format_local_date(date(2023, 8, 22), "pt") == "22 de Agosto de 2023"
    assert designs.format_local_date(date(2025, 10, 23), "id") == "23 Okt. 2025"
    assert designs.format_local_date(date(2023, 7, 25), "tr") == "25 Temmuz 2023"
    rng = random.Random(1)
    texts = {lang: designs.random_localised_truth(rng, lang)["length_text"] for lang in designs.LANGUAGES}
    assert re.fullmatch(r"[\d.]+ horas en total", texts["es"])
    assert re.fullmatch(r"[\d.]+ horas no total", texts["pt"])
    assert re.fullmatch(r"[\d.]+ total jam", texts["id"])
    assert re.fullmatch(r"Toplam [\d.]+ saat", texts["tr"])
    assert re.fullmatch(r"[\d.]+ total hours", texts["ru"])  # Russian pages keep this English fragment
    assert designs.format_local_date(date(2023, 10, 17), "ru") == "17 окт. 2023 г."


def test_old_sentence_with_and_without_hours() -> None:
    truth = {
        "student": "Ishan Nangia",
        "title": "Data Analysis and Visualization - Complete Bootcamp by TM",
        "completed_on": "2019-08-13",
        "length_hours": 8.5,
        "language": "en",
    }
    assert designs.old_sentence(truth) == (
        "This is to certify that Ishan Nangia successfully completed 8.5 hours of "
        "Data Analysis and Visualization - Complete Bootcamp by TM online course on August 13, 2019"
    )
    truth["length_hours"] = None
    assert "successfully completed the online course Data Analysis" in designs.old_sentence(truth)
    truth.update(language="pt", length_hours=4, completed_on="2018-11-29")
    assert designs.old_sentence(truth).endswith("em 29 de Novembro de 2018")
    assert "concluiu com sucesso 4 horas do curso online" in designs.old_sentence(truth)
    # The design's last version (2020-2021) prints total hours and dates as the current design
    truth.update(language="en", length_hours=1.5, length_text="1.5 total hours", completed_on="2021-02-12")
    assert designs.old_sentence(truth) == (
        "This is to certify that Ishan Nangia successfully completed 1.5 total hours of "
        "Data Analysis and Visualization - Complete Bootcamp by TM online course on Feb. 12, 2021"
    )


def test_some_old_certificates_are_the_last_version_with_a_full_number() -> None:
    truths = [designs.random_old_truth(random.Random(seed)) for seed in range(200)]
    late = [t for t in truths if len(t["certificate_id"]) > 11]
    assert 20 <= len(late) <= 60
    for truth in late:
        assert re.fullmatch(
            r"UC-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", truth["certificate_id"]
        )
        assert "2020-04-01" <= truth["completed_on"] <= "2021-12-31"
        assert truth["length_text"].endswith(" total hours")
    # Portuguese ones and the rest keep the short number of 2016 to early 2020
    assert all(len(t["certificate_id"]) == 11 for t in truths if t not in late)
    assert all(len(designs.random_old_truth(random.Random(s), "pt")["certificate_id"]) == 11 for s in range(50))


def test_unknown_damage_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown damage"):
        damage.apply(Image.new("RGB", (10, 10)), "crumpled", random.Random(0), tmp_path / "x")
