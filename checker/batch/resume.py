"""``xxgk batch --resume``: a rerun takes over the reports the run before already finished.

The run before left its results either in the work folder (it was interrupted: results.jsonl
grows there as reports finish) or in the output folder (it completed). Each report's line
carries its ``input`` key, a hash of everything its result depends on: its file's bytes, last
year's and its peers' files, its manifest row, the rule pack's digest, the profile and
selection. A report whose key is unchanged is not checked again: its line is copied and its
page kept. A line cut off by the interruption is simply not taken."""
from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path
from typing import IO, TYPE_CHECKING, Optional

from .resultsfile import HEADER_KIND, RESULTS, RESULTS_GZ, parse_line

if TYPE_CHECKING:
    from .outputs import WorkFolder


class Previous:
    """The finished reports of the run before: by id, their input key and line."""

    def __init__(self, path: Path) -> None:
        self.stream: IO[bytes] = open(path, "rb")
        self.where: dict[str, tuple[str, int]] = {}
        self.used = 0
        first = self.stream.readline()
        if not first.endswith(b"\n") or parse_line(first.decode("utf-8")).get("kind") != HEADER_KIND:
            return
        while True:
            offset = self.stream.tell()
            text = self.stream.readline()
            if not text.endswith(b"\n"):
                break
            try:
                line = parse_line(text.decode("utf-8"))
            except ValueError:  # a line cut off by a kill, with the next run's lines after it
                continue
            if isinstance(line, dict) and line.get("id") and line.get("input"):
                self.where[line["id"]] = (line["input"], offset)

    def has(self, ident: str, key: str) -> bool:
        found = self.where.get(ident)
        return found is not None and found[0] == key

    def line(self, ident: str) -> str:
        self.stream.seek(self.where[ident][1])
        self.used += 1
        return self.stream.readline().decode("utf-8")

    def close(self) -> None:
        self.stream.close()


def load_previous(work: "WorkFolder", out: Path) -> Optional[Previous]:
    """Move the run before's results (and pages) into the work folder and index them; None when
    there is nothing to resume from."""
    work.root.mkdir(parents=True, exist_ok=True)
    target = work.previous
    if work.results.exists() and target.exists():  # a resumed run interrupted again: both count
        with open(work.results, "rb") as newer, open(target, "ab") as older:
            newer.readline()  # its header
            older.write(b"\n")  # ends a line a kill may have cut (an empty line is skipped)
            shutil.copyfileobj(newer, older, 1 << 20)
        work.results.unlink()
    elif work.results.exists():  # interrupted: results and pages are in the work folder already
        os.replace(work.results, target)
    elif (out / RESULTS).is_file():
        shutil.copyfile(out / RESULTS, target)
        _take_pages(out, work)
    elif (out / RESULTS_GZ).is_file():
        with gzip.open(out / RESULTS_GZ, "rb") as packed, open(target, "wb") as plain:
            shutil.copyfileobj(packed, plain, 1 << 20)
        _take_pages(out, work)
    elif not target.exists():
        return None
    return Previous(target)


def _take_pages(out: Path, work: "WorkFolder") -> None:
    pages = out / "reports"
    if pages.is_dir() and not work.pages.exists():
        shutil.copytree(pages, work.pages)


