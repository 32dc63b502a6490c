"""The user's own link file (``<workdir>/links.csv``: ``certificate_id,course``), kept by
``udemy-pipeline links list|add|import|unmatched`` and read by every ``run``."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from contracts.records import BronzeCertificate, EnrichmentLink
from contracts.routing import prefix
from functions.enrich.catalog import load_links, slug_of
from functions.enrich.chain import workdir_links
from functions.shared.ports import ObjectStore


def read(workdir: Path) -> dict[str, str]:
    """Certificate id (lower case) -> course slug."""
    path = workdir_links(workdir)
    return load_links(path) if path.is_file() else {}


def write(workdir: Path, links: dict[str, str]) -> Path:
    """Rewrite the link file, sorted, atomically."""
    path = workdir_links(workdir)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["certificate_id", "course"])
    for cert_id, slug in sorted(links.items()):
        writer.writerow([cert_id, f"https://www.udemy.com/course/{slug}/"])
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_text(out.getvalue(), encoding="utf-8")
    tmp.replace(path)
    return path


def add(workdir: Path, certificate_id: str, course: str) -> tuple[str, str | None]:
    """Link one certificate; returns its slug and the slug it replaced, if any."""
    cert = certificate_id.strip().lower()
    if not cert:
        raise ValueError("a certificate id is required")
    slug = slug_of(course)
    links = read(workdir)
    previous = links.get(cert)
    links[cert] = slug
    write(workdir, links)
    return slug, previous


def import_file(workdir: Path, source: Path) -> tuple[int, int]:
    """Merge a CSV/JSON link file into the workdir's; returns (added, changed)."""
    incoming = load_links(source)
    links = read(workdir)
    added = sum(1 for k in incoming if k not in links)
    changed = sum(1 for k, v in incoming.items() if k in links and links[k] != v)
    links.update(incoming)
    write(workdir, links)
    return added, changed


@dataclass(frozen=True)
class Unmatched:
    batch_id: str
    file: str
    certificate_id: str | None
    title: str | None
    detail: str | None

    def to_json(self) -> dict[str, str | None]:
        return {
            "batch_id": self.batch_id,
            "file": self.file,
            "certificate_id": self.certificate_id,
            "title": self.title,
            "detail": self.detail,
        }


def unmatched(store: ObjectStore, batch_id: str | None = None) -> list[Unmatched]:
    """Certificates whose enrichment link is certificate-only: the ones worth a link."""
    under = prefix("bronze_enrichments") + (f"batch={batch_id}/" if batch_id else "")
    rows = []
    for key in store.list_keys(under):
        try:
            link = EnrichmentLink.model_validate_json(store.get_bytes(key))
        except (KeyError, ValueError):
            continue
        if link.method != "certificate_only":
            continue
        try:
            fields = BronzeCertificate.model_validate_json(store.get_bytes(link.bronze_key)).fields
            cert_id, title = fields.certificate_id, fields.title
        except (KeyError, ValueError):
            cert_id = title = None
        rows.append(Unmatched(link.batch_id, link.item, cert_id, title, link.detail))
    return rows


def dumps(rows: list[Unmatched]) -> str:
    return json.dumps([r.to_json() for r in rows])
