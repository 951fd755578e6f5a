"""The progress bar on standard error: files done of all, unreadable so far, elapsed time and
an ETA. Silent when standard error is not a terminal (CI logs, cron) or with --quiet."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)


class Bar:
    def __init__(self, progress: Optional[Progress]) -> None:
        self.progress = progress
        self.task: Optional[TaskID] = None

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
def progress_bar(quiet: bool, console: Optional[Console] = None) -> Iterator[Bar]:
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
