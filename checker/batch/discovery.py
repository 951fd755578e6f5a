"""Which files a batch checks: every report file under the given paths, recursively, in a fixed
order (the same folders always give the same batch)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..errors import UsageError
from ..readers import is_report_file


def file_key(path: str | Path) -> str:
    """One identity per file however it was named (relative, absolute, through a symlink)."""
    return os.path.realpath(path)


def discover(paths: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """The report files under ``paths`` (files given directly are taken whatever their name
    says), sorted, each once. Folders in ``exclude`` are skipped: the batch's own output folder
    may sit inside the folder it scans, and index.html is no report. A path that does not
    exist is a usage error: a typo on the command line should not silently shrink the batch."""
    skipped = {file_key(p) for p in exclude}
    found: dict[str, str] = {}
    for given in paths:
        root = Path(given)
        if root.is_file():
            found.setdefault(file_key(root), str(root))
        elif root.is_dir():
            if file_key(root) in skipped:
                continue
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and file_key(Path(dirpath) / d) not in skipped)
                for name in filenames:
                    path = Path(dirpath) / name
                    if is_report_file(path):
                        found.setdefault(file_key(path), str(path))
        else:
            raise UsageError(f"no such file or folder: {given}")
    return sorted(found.values())
