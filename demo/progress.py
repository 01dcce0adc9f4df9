"""A progress bar for long commands: redrawn in place on a terminal, a line per tenth in a log."""

import time


class Progress:
    WIDTH = 30

    def __init__(self, stream, *, enabled: bool = True):
        self.stream = stream
        self.enabled = enabled
        self.interactive = enabled and getattr(stream, "isatty", lambda: False)()
        self.started = time.perf_counter()

    def stage(self, name: str, total: int) -> "Stage":
        return Stage(self, name, total)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


class Stage:
    def __init__(self, progress: Progress, name: str, total: int):
        self.progress, self.name, self.total = progress, name, max(total, 1)
        self.done = 0
        self.shown_tenth = -1
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        self._draw()

    def finish(self) -> None:
        self.done = self.total
        self._draw()
        if self.progress.interactive:
            self.progress.stream.write("\n")
            self.progress.stream.flush()

    def _draw(self) -> None:
        if not self.progress.enabled:
            return
        tenth = self.done * 10 // self.total
        if not self.progress.interactive and tenth == self.shown_tenth:
            return
        self.shown_tenth = tenth
        filled = self.done * Progress.WIDTH // self.total
        bar = "#" * filled + "-" * (Progress.WIDTH - filled)
        line = (
            f"{self.name:<14} [{bar}] {self.done:>9,} / {self.total:,}"
            f"  {self.progress.elapsed():5.0f} s"
        )
        if self.progress.interactive:
            self.progress.stream.write("\r" + line)
        else:
            self.progress.stream.write(line + "\n")
        self.progress.stream.flush()
