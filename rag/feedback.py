"""The feedback log: one JSON line per thumbs up or down, appended so that nothing is lost on restart."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any


class FeedbackLog:
    """Appends records to `path` (JSON Lines). Each record is one `write` of a whole line on a file opened
    with O_APPEND, then fsynced: lines from concurrent writers cannot interleave and a crash loses at most
    the line being written, never earlier ones."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)

    def records(self) -> list[dict[str, Any]]:
        """Every complete record; a torn last line (a crash mid-write) is skipped."""
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out
