"""Domain errors. Permanent vs transient is a type, so the edge knows what to do:
a ``PermanentError`` quarantines the file at once, a ``TransientError`` lets the queue retry."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error this project raises on purpose."""


class PermanentError(PipelineError):
    """This input can never succeed: quarantine it with a reason."""

    def __init__(self, reason_code: str, reason: str) -> None:
        super().__init__(reason)
        self.reason_code = reason_code
        self.reason = reason


class TransientError(PipelineError):
    """Might work on a later try (a flaky API, a missing object not yet visible)."""


class ConfigurationError(PipelineError):
    """The pipeline is set up wrongly (missing Tesseract data, bad settings): nothing will work."""
