"""The progress bar on standard error: files done of all, unreadable so far, elapsed time and
an ETA. Silent when standard error is not a terminal (CI logs, cron), with --quiet, or where
rich is not installed (the bar is a convenience; the batch does not depend on it)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator


class Bar:
    def __init__(self, progress: Any = None) -> None:  # a rich Progress, or None for no bar
        self.progress = progress
        self.task: Any = None

    def phase(self, description: str, total: int) -> None:
        if self.progress is None:
            return
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(description, total=total, errors=0)

    def advance(self, count: int = 1, errors: int = 0) -> None:
        if self.progress is None or self.task is None:
            return
        task = self.progress.tasks[self.progress.task_ids.index(self.task)]
        self.progress.update(self.task, advance=count, errors=task.fields.get("errors", 0) + errors)


@contextmanager
def progress_bar(quiet: bool, console: Any = None) -> Iterator[Bar]:
    try:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)
    except ImportError:
        quiet = True
    else:
        console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        yield Bar(None)
        return
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("无法读取 {task.fields[errors]}"), TextColumn("已用"), TimeElapsedColumn(),
        TextColumn("剩余"), TimeRemainingColumn(), console=console, transient=False)
    with progress:
        yield Bar(progress)
