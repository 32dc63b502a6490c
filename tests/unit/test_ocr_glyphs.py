"""Glyph-shape helpers that need no OCR engine."""

from __future__ import annotations

from functions.ocr.glyphs import _id_in

UUID = "1f2e3d4c-5b6a-4978-8a1b-2c3d4e5f6a7b"


def test_the_id_is_lined_up_only_with_the_text_after_its_label() -> None:
    # A reading that dropped the id's first glyphs: "Certificate" (cerf1f1cafe as hex) is not the id
    text = "Certificate no: UC-2e3d4c-5b6a-4978-8a1b-2c3d4e5f6a7b"
    found = _id_in(text, UUID)
    assert all(at >= text.index("UC-") for at in found.values())
    assert 0 not in found and 1 not in found
