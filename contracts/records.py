"""Records the stages write: manifest, bronze certificate, course payload, enrichment link,
silver row, quarantine record, and the run summary the CLI prints."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contracts.keys import check_batch_id, check_item

SCHEMA_VERSION = 1


class ManifestFile(BaseModel):
    name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)

    _check_name = field_validator("name")(check_item)


class BatchManifest(BaseModel):
    """Written last, once every file of the batch has landed. Carries no wall-clock time, so
    dropping the same folder twice writes the same bytes."""

    schema_version: int = SCHEMA_VERSION
    batch_id: str
    files: list[ManifestFile]
    expected_count: int

    _check_batch = field_validator("batch_id")(check_batch_id)

    def names(self) -> list[str]:
        return [f.name for f in self.files]


class CertificateFields(BaseModel):
    """What a certificate says. ``None`` means unreadable, never a guess."""

    certificate_id: str | None = None
    title: str | None = None
    instructors: list[str] = Field(default_factory=list)
    student: str | None = None
    completed_on: date | None = None
    length_hours: float | None = None
    length_text: str | None = None


class BronzeCertificate(BaseModel):
    """One certificate as read by OCR: raw text, parsed fields and per-field confidence."""

    schema_version: int = SCHEMA_VERSION
    batch_id: str
    item: str
    source_key: str
    source_etag: str
    source_sha256: str
    media_type: str
    design: str
    language: str | None
    engine: str
    engine_version: str
    fields: CertificateFields
    confidence: dict[str, float]
    # What the reader read, line by line: the header's number and url lines and the body's lines
    # (of the current design, its "Certificate of Completion" heading only when the "Instructors"
    # label was not found); not a transcript of the whole page.
    raw_text: str


class CourseInstructor(BaseModel):
    model_config = ConfigDict(extra="allow")

    title: str | None = None
    display_name: str | None = None
    job_title: str | None = None
    url: str | None = None


class CourseLocale(BaseModel):
    model_config = ConfigDict(extra="allow")

    locale: str | None = None
    title: str | None = None


class CoursePayload(BaseModel):
    """A course in the shape of Udemy's ``api-2.0/courses/<slug>/`` response (extra fields kept)."""

    model_config = ConfigDict(extra="allow")

    id: int
    title: str
    url: str
    published_title: str | None = None
    headline: str | None = None
    is_paid: bool | None = None
    is_practice_test_course: bool | None = None
    content_info: str | None = None
    locale: CourseLocale | None = None
    visible_instructors: list[CourseInstructor] = Field(default_factory=list)

    @property
    def slug(self) -> str:
        if self.published_title:
            return self.published_title
        parts = [p for p in self.url.split("/") if p]
        return parts[-1] if parts else ""


EnrichmentMethod = Literal["link_file", "cache", "catalog", "api", "title_search", "certificate_only"]


class EnrichmentLink(BaseModel):
    """Certificate to course: how it was matched, and where the course payload is cached."""

    schema_version: int = SCHEMA_VERSION
    batch_id: str
    item: str
    bronze_key: str
    method: EnrichmentMethod
    status: Literal["matched", "certificate_only"]
    course_id: int | None = None
    course_key: str | None = None
    detail: str | None = None


class SilverRow(BaseModel):
    """The typed, cleaned row; the column order of the silver Parquet file."""

    certificate_key: str
    certificate_id: str | None
    batch_id: str
    item: str
    source_key: str
    source_sha256: str
    title: str | None
    instructors: list[str]
    student: str | None
    owner: str
    completed_on: date | None
    completed_year: int | None
    length_hours: float | None
    design: str
    language: str | None
    ocr_confidence: float
    course_id: int | None
    course_url: str | None
    course_slug: str | None
    course_title: str | None
    course_headline: str | None
    course_language: str | None
    is_paid: bool | None
    is_practice_test: bool | None
    enrichment_method: EnrichmentMethod
    is_certificate_only: bool


QuarantineReason = Literal[
    "empty_file",
    "unsupported_type",
    "unreadable_image",
    "not_a_certificate",
    "too_large",
    "invalid_record",
]


class QuarantineRecord(BaseModel):
    """Why this file can never succeed; it counts as settled for its batch."""

    schema_version: int = SCHEMA_VERSION
    batch_id: str
    item: str
    source_key: str
    stage: str
    reason_code: QuarantineReason
    reason: str


class RunSummary(BaseModel):
    """The last line of ``udemy-pipeline run --json``: a stable contract."""

    batch_id: str
    files: int
    succeeded: int
    quarantined: int
    dead_lettered: int
    gold: dict[str, int]
    warehouse: str | None
    dashboard: str | None

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
