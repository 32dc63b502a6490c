"""Settings: validated once at start-up, from the environment or from the CLI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    runtime: Literal["local", "aws"] = "local"
    bucket: str = "udemy-pipeline-local"
    workdir: Path = Path(".udemy-pipeline")
    tracker_table: str = "udemy-pipeline-tracker"
    idempotency_table: str = "udemy-pipeline-idempotency"
    serving_table: str = "udemy-pipeline-serving"
    catalog_path: Path | None = None
    links_path: Path | None = None
    tessdata_dir: str = DEFAULT_TESSDATA
    max_file_bytes: int = Field(default=25 * 1024 * 1024, gt=0)
    region: str = "us-east-1"
    account: str = "000000000000"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read ``UDEMY_PIPELINE_*`` variables (the Lambda configuration)."""
        env = dict(os.environ if env is None else env)
        pairs = {
            "runtime": "UDEMY_PIPELINE_RUNTIME",
            "bucket": "UDEMY_PIPELINE_BUCKET",
            "workdir": "UDEMY_PIPELINE_WORKDIR",
            "tracker_table": "UDEMY_PIPELINE_TRACKER_TABLE",
            "idempotency_table": "UDEMY_PIPELINE_IDEMPOTENCY_TABLE",
            "serving_table": "UDEMY_PIPELINE_SERVING_TABLE",
            "catalog_path": "UDEMY_PIPELINE_CATALOG",
            "links_path": "UDEMY_PIPELINE_LINKS",
            "tessdata_dir": "TESSDATA_PREFIX",
            "max_file_bytes": "UDEMY_PIPELINE_MAX_FILE_BYTES",
            "region": "AWS_REGION",
        }
        values = {field: env[var] for field, var in pairs.items() if env.get(var)}
        return cls.model_validate(values)

    @property
    def bucket_dir(self) -> Path:
        """The local runtime's bucket: a directory inside the workdir."""
        return self.workdir / "bucket"

    @property
    def state_db(self) -> Path:
        """The local runtime's queues, archive, tracker and idempotency state."""
        return self.workdir / "state.sqlite3"
