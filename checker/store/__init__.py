"""The workspace's database: one SQLite file (and, beside it, a folder of the delivered files
kept by content hash). This package is the only code that speaks SQL; the web app and the
``batch --db`` import call the functions of its modules.

    store = Store.open("xxgk.sqlite")       # created and migrated as needed
    store.files.put(data, ".pdf")           # -> sha256 hex
    ingest.record(store, ...)               # a checked report
    queries.ranking(store, Filter(year=2024))
"""
from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .blobs import FileStore
from .schema import MIGRATIONS

__all__ = ["Store", "SchemaError"]


class SchemaError(Exception):
    """The database was written by a newer version of the checker."""


class Store:
    """A database file and its file folder. Connections are per thread (the web server answers
    requests on a thread pool; the background checker writes from its own thread); SQLite's WAL
    mode lets readers go on while one writer writes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files = FileStore(path.with_name(path.name + ".files"))
        self._local = threading.local()
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, path: str | Path) -> "Store":
        store = cls(Path(path))
        store.path.parent.mkdir(parents=True, exist_ok=True)
        store.migrate()
        return store

    @property
    def db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA cache_size=-65536")  # 64 MB of pages
            self._local.connection = connection
        return connection

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; writers of this process take turns."""
        with self._write_lock:
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        current = self.version()
        if current > len(MIGRATIONS):
            raise SchemaError(f"{self.path}: database schema {current} is newer than this checker "
                              f"knows ({len(MIGRATIONS)}); upgrade xxgk-checker")
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.write() as db:
                for statement in _statements(script):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


def _statements(script: str) -> list[str]:
    """A migration's statements (executescript would commit the open transaction)."""
    out, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line.split("--", 1)[0].rstrip() + "\n" if "--" in line else line
        if buffer.strip() and sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    return out
