"""Which files a batch checks: every report file under the given paths, recursively, in a fixed
order (the same folders always give the same batch); and how a file is named in the outputs
(relative to the batch root, readable whatever bytes its name has)."""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
import weakref
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from ..errors import UsageError
from ..outpaths import shown
from ..readers import is_report_entry
from .scratchdb import from_sort_key, open_scratch, sort_key

UNREADABLE_FOLDER = "无法读取该文件夹（{reason}），其中的报告未检查"


def file_key(path: str | Path) -> str:
    """One identity per file however it was named (relative, absolute, through a symlink)."""
    return os.path.realpath(path)


class FileList:
    """The files of a batch, sorted, each once. Kept in an SQLite file in a temporary folder of
    its own, not in memory: a million paths and their real paths held as str for the whole run would be
    a few hundred MB. Files are added in batches; iterating reads them back in order."""

    _SCHEMA = """
    CREATE TABLE files (
        key BLOB PRIMARY KEY,    -- identity(file_key): a file is taken once, by its first name
        extra INTEGER NOT NULL,  -- 1: a file only the manifest names, listed after the found ones
        path BLOB NOT NULL       -- sort_key(the path as found)
    ) WITHOUT ROWID;
    """
    _BATCH = 500

    def __init__(self) -> None:
        # a file of our own: SQLite's private temporary database was three times slower to fill
        self._folder = tempfile.mkdtemp(prefix="xxgk-files-")
        self._db = open_scratch(os.path.join(self._folder, "files.db"), self._SCHEMA, cache_kb=8_000)
        self._finalizer = weakref.finalize(self, _dispose, self._db, self._folder)  # also if never closed
        self._pending: list[tuple[bytes, int, bytes]] = []

    def add(self, path: str, key: Optional[str] = None, extra: bool = False) -> None:
        """Take ``path`` unless a file of the same identity was taken before."""
        self._pending.append((_identity(key if key is not None else file_key(path)), int(extra), sort_key(path)))
        if len(self._pending) >= self._BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._db.executemany("INSERT OR IGNORE INTO files VALUES (?, ?, ?)", self._pending)
            self._pending.clear()

    def __contains__(self, key: object) -> bool:
        """Whether a file of this identity (file_key) was taken."""
        self._flush()
        return isinstance(key, str) and self._db.execute(
            "SELECT 1 FROM files WHERE key = ?", (_identity(key),)).fetchone() is not None

    def __len__(self) -> int:
        self._flush()
        return self._db.execute("SELECT count(*) FROM files").fetchone()[0]

    def __iter__(self) -> Iterator[str]:
        self._flush()
        # made once all are in: one sort, where keeping it up to date took a random insertion a file
        self._db.execute("CREATE INDEX IF NOT EXISTS in_order ON files (extra, path)")
        for (path,) in self._db.execute("SELECT path FROM files ORDER BY extra, path"):
            yield from_sort_key(path)

    def close(self) -> None:
        self._pending.clear()
        self._finalizer()


def _dispose(db: sqlite3.Connection, folder: str) -> None:
    db.close()
    shutil.rmtree(folder, ignore_errors=True)


def _identity(key: str) -> bytes:
    """A short stand-in for a real path, unique in practice (128 bits): the table stays small."""
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def discover(paths: Iterable[str], exclude: Iterable[str] = (),
             unreadable: Optional[list[tuple[str, str]]] = None) -> FileList:
    """The report files under ``paths`` (files given directly are taken whatever their name
    says), sorted, each once. Folders in ``exclude`` are skipped: the batch's own output folder
    may sit inside the folder it scans, and index.html is no report. A path that does not
    exist is a usage error: a typo on the command line should not silently shrink the batch.
    A folder that cannot be listed is added to ``unreadable`` as (folder, reason), so the
    batch can say which reports it could not see."""
    skipped = {file_key(p) for p in exclude}
    found = FileList()

    def failed(error: OSError) -> None:
        if unreadable is not None and error.filename is not None:
            reason = error.strerror or type(error).__name__
            unreadable.append((os.fspath(error.filename), UNREADABLE_FOLDER.format(reason=reason)))

    for given in paths:
        root = Path(given)
        if root.is_file():
            found.add(str(root))
        elif root.is_dir():
            if file_key(root) in skipped:
                continue
            for path, key in _walk(os.fspath(root), skipped, failed):
                found.add(path, key)
        else:
            found.close()
            raise UsageError(f"no such file or folder: {shown(given)}")
    if unreadable is not None:
        unreadable.sort()
    return found


def _walk(top: str, skipped: set[str], failed: Callable[[OSError], None]) -> Iterator[tuple[str, str]]:
    """The report files ``os.walk`` would give, top down with folders sorted (hidden, skipped
    and linked ones left out), in the same order, each with its file_key; but streamed: os.walk
    lists a whole folder at once, and a folder of a million reports is a million names held.
    The listing says which entries are files and which are links, where a stat of each took a
    system call; and below a real folder, an entry that is no link is its real path joined to
    its name, where realpath took a system call per part of the path."""
    stack = [(str(Path(top)), file_key(top))]
    while stack:
        folder, real = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError as error:
            failed(error)
            continue
        inner = []
        with entries:
            while True:
                try:
                    entry = next(entries)
                except StopIteration:
                    break
                except OSError as error:
                    failed(error)
                    inner = []
                    break
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    inner.append(entry.name)
                elif is_report_entry(entry.name) and _is_file(entry):
                    path = _joined(folder, entry.name)
                    yield path, file_key(path) if _is_link(entry) else os.path.join(real, entry.name)
        stack.extend(reversed([(_joined(folder, name), os.path.join(real, name)) for name in sorted(inner)
                               if not name.startswith(".") and os.path.join(real, name) not in skipped
                               and not os.path.islink(_joined(folder, name))]))


def _joined(folder: str, name: str) -> str:
    """str(Path(folder) / name) for a folder that is already as Path writes it, without the
    Path (it interns every name)."""
    if folder == ".":
        return name
    return folder + name if folder.endswith(os.sep) else folder + os.sep + name


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_link(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True  # then realpath decides


def batch_root(paths: Iterable[str]) -> str:
    """The folder the outputs name files relative to: the common folder of what was scanned
    (a file counts by its folder). Folded one path at a time: the paths may be a batch's
    files, streamed."""
    common: Optional[str] = None
    for path in paths:
        folder = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
        if common is None:
            common = folder
        elif folder != common and not folder.startswith(common.rstrip(os.sep) + os.sep):
            try:
                common = os.path.commonpath([common, folder])
            except ValueError:  # different drives (Windows)
                return os.path.abspath(".")
    return common if common is not None else os.path.abspath(".")


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
