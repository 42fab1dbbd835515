"""The progress line of ``healthclaims run`` on a terminal: what the run is doing, and an ETA
measured on the articles the model extracts (not on the ones skipped as up to date)."""

from __future__ import annotations

import shutil
import time
from typing import TextIO

from healthclaims.batch.runner import RunEvents


class ProgressLine(RunEvents):
    """One self-rewriting line on a terminal."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.total = self.extracted = self.done = self.found = 0
        self.text: str | None = None
        self.t0: float | None = None  # when extraction proper began (the model was loaded)
        self.base = 0  # articles already extracted at t0
        self.updates = 0
        self.shown = False

    def started(self, found: int, to_extract: int) -> None:
        """Remember the totals; nothing to show when nothing needs extracting."""
        self.found, self.total = found, to_extract
        if to_extract:
            self.status(f"{to_extract} of {found} article(s) to extract")

    def status(self, text: str | None) -> None:
        """Show what the run is doing; None: extraction is under way."""
        if text is None:
            if self.text is None and self.t0 is not None:
                return
            self.text = None
            if self.t0 is None:
                self.t0, self.base = time.monotonic(), self.extracted
        else:
            self.text = text
        self._render()

    def advanced(self, done: int, extracted: int) -> None:
        """Count finished articles and redraw."""
        self.done += done
        self.extracted += extracted
        if self.t0 is not None and extracted:
            self.updates += 1
        self._render()

    def eta(self) -> float | None:
        """Seconds left, from the extraction rate since the model was loaded (None until measurable)."""
        if self.t0 is None or self.updates < 1 or self.extracted <= self.base:
            return None
        rate = (self.extracted - self.base) / max(time.monotonic() - self.t0, 1e-6)
        return max(self.total - self.extracted, 0) / rate

    def line(self) -> str:
        """The text of the progress line."""
        if not self.total:
            return ""
        if self.text:
            return f"healthclaims  {self.text}"
        width = 24
        filled = int(width * self.extracted / self.total)
        eta = self.eta()
        eta_text = "" if eta is None else f"  ETA {int(eta) // 3600}:{int(eta) % 3600 // 60:02d}:{int(eta) % 60:02d}"
        return f"healthclaims  [{'#' * filled}{'-' * (width - filled)}]  {self.extracted}/{self.total} extracted{eta_text}"

    def _render(self) -> None:
        text = self.line()
        if not text:
            return
        columns = shutil.get_terminal_size((80, 20)).columns
        self.stream.write("\r" + text[: columns - 1].ljust(columns - 1))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the line so that the summary starts on its own."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
