"""Which files a batch checks: every report file under the given paths, recursively, in a fixed
order (the same folders always give the same batch); and how a file is named in the outputs
(relative to the batch root, readable whatever bytes its name has)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Optional

from ..errors import UsageError
from ..outpaths import shown
from ..readers import is_report_file

UNREADABLE_FOLDER = "无法读取该文件夹（{reason}），其中的报告未检查"


def file_key(path: str | Path) -> str:
    """One identity per file however it was named (relative, absolute, through a symlink)."""
    return os.path.realpath(path)


def discover(paths: Iterable[str], exclude: Iterable[str] = (),
             unreadable: Optional[list[tuple[str, str]]] = None) -> list[str]:
    """The report files under ``paths`` (files given directly are taken whatever their name
    says), sorted, each once. Folders in ``exclude`` are skipped: the batch's own output folder
    may sit inside the folder it scans, and index.html is no report. A path that does not
    exist is a usage error: a typo on the command line should not silently shrink the batch.
    A folder that cannot be listed is added to ``unreadable`` as (folder, reason), so the
    batch can say which reports it could not see."""
    skipped = {file_key(p) for p in exclude}
    found: dict[str, str] = {}

    def failed(error: OSError) -> None:
        if unreadable is not None and error.filename is not None:
            reason = error.strerror or type(error).__name__
            unreadable.append((os.fspath(error.filename), UNREADABLE_FOLDER.format(reason=reason)))

    for given in paths:
        root = Path(given)
        if root.is_file():
            found.setdefault(file_key(root), str(root))
        elif root.is_dir():
            if file_key(root) in skipped:
                continue
            for dirpath, dirnames, filenames in os.walk(root, onerror=failed):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and file_key(Path(dirpath) / d) not in skipped)
                for name in filenames:
                    path = Path(dirpath) / name
                    if is_report_file(path):
                        found.setdefault(file_key(path), str(path))
        else:
            raise UsageError(f"no such file or folder: {shown(given)}")
    if unreadable is not None:
        unreadable.sort()
    return sorted(found.values())


def batch_root(paths: Iterable[str]) -> str:
    """The folder the outputs name files relative to: the common folder of what was scanned
    (a file counts by its folder)."""
    folders = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths]
    if not folders:
        return os.path.abspath(".")
    try:
        return os.path.commonpath(folders)
    except ValueError:  # different drives (Windows)
        return os.path.abspath(".")


def shown_relative(file: str, root: str) -> str:
    """A file as the outputs name it: relative to the batch root with / between folders, and
    readable (bytes of a name that are not UTF-8 become U+FFFD)."""
    path = os.path.abspath(file)
    if path.startswith(root) and path[len(root):len(root) + 1] == os.sep and os.path.isabs(root) \
            and os.path.normpath(root) == root:  # under the root: what relpath would say, without its splits
        return shown(path[len(root) + 1:].replace(os.sep, "/"))
    try:
        relative = os.path.relpath(path, root)
    except ValueError:
        relative = path
    return shown(relative.replace(os.sep, "/"))
