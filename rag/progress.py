"""What a long first step is doing (loading the models, building the index, preparing the generator), for
a front end to show while a user waits. One thread writes it, any thread reads it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    """One step of a long start, as shown: "step 2 of 3: embedding the transcript's passages, 40%"."""

    step: int
    steps: int
    what: str
    fraction: float | None  # done within this step, when it can be counted; None when it cannot
    seconds: float  # since the whole start began

    def line(self) -> str:
        """
        >>> Stage(2, 3, "embedding the transcript's passages", 0.4, 12.3).line()
        "step 2 of 3: embedding the transcript's passages, 40% (12 s so far)"
        >>> Stage(1, 3, "loading the embedding model", None, 3.0).line()
        'step 1 of 3: loading the embedding model (3 s so far)'
        """
        share = f", {self.fraction:.0%}" if self.fraction is not None else ""
        return f"step {self.step} of {self.steps}: {self.what}{share} ({self.seconds:.0f} s so far)"


Report = Callable[[int, str, "float | None"], None]


class Progress:
    """The latest stage of a start that has `steps` steps; `report(step, what, fraction)` is what the
    working code calls, `stage()` what a page polls."""

    def __init__(self, steps: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.steps = steps
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self._current: tuple[int, str, float | None] = (0, "starting", None)

    def report(self, step: int, what: str, fraction: float | None = None) -> None:
        if not 1 <= step <= self.steps:
            raise ValueError(f"step must be from 1 to {self.steps}, got {step}")
        with self._lock:
            self._current = (step, what, None if fraction is None else min(max(fraction, 0.0), 1.0))

    def stage(self) -> Stage:
        with self._lock:
            step, what, fraction = self._current
        return Stage(max(step, 1), self.steps, what, fraction, self._clock() - self._started)


def ignore(step: int, what: str, fraction: float | None = None) -> None:
    """A `Report` for callers that show nothing."""
