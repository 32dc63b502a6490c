"""The routing rules as data: one EventBridge pattern per stage, read from ``routing.json``.

Terraform reads the same file (``iac/eventbridge.tf``), so a rule is written once.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

ROUTING_FILE = Path(__file__).with_name("routing.json")

STAGES = ("ocr", "enrich", "silver", "gold")


class Rule(BaseModel):
    description: str
    queue: str
    pattern: dict[str, Any]

    def pattern_for(self, bucket: str) -> dict[str, Any]:
        """The deployed pattern: the stored one narrowed to one bucket."""
        pattern = copy.deepcopy(self.pattern)
        pattern.setdefault("detail", {})["bucket"] = {"name": [bucket]}
        return pattern


class QueueSettings(BaseModel):
    visibility_timeout_seconds: int
    max_receive_count: int
    batch_size: int


class Routing(BaseModel):
    rules: dict[str, Rule]
    queues: dict[str, QueueSettings]
    prefixes: dict[str, str]


@lru_cache(maxsize=1)
def load_routing() -> Routing:
    return Routing.model_validate(json.loads(ROUTING_FILE.read_text(encoding="utf-8")))


def prefix(name: str) -> str:
    return load_routing().prefixes[name]
