"""A progress bar on stderr: redrawn in place on a terminal, a line per step of 10% otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 0)
        self.stream = stream or sys.stderr
        self._tty = self.stream.isatty()
        self._last_line = ""
        self._last_decile = -1
        self._start = time.time()

    def update(self, done: int, note: str = "") -> None:
        done = min(done, self.total) if self.total else done
        fraction = done / self.total if self.total else 1.0
        width = 30
        bar = "#" * int(fraction * width) + "." * (width - int(fraction * width))
        elapsed = time.time() - self._start
        line = f"{self.label} [{bar}] {done}/{self.total} {elapsed:5.1f}s {note}".rstrip()
        if self._tty:
            if line != self._last_line:
                self.stream.write("\r\x1b[2K" + line)
                self.stream.flush()
        else:
            decile = int(fraction * 10)
            if decile != self._last_decile:
                self.stream.write(line + "\n")
                self.stream.flush()
                self._last_decile = decile
        self._last_line = line

    def close(self) -> None:
        if self._tty and self._last_line:
            self.stream.write("\n")
            self.stream.flush()
