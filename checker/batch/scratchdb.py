"""SQLite as a batch's scratch store: what would otherwise be held in memory for every report
of the batch (the discovered files, the planning index) goes to a database a failed run throws
away, and is read back sorted."""
from __future__ import annotations

import os
import sqlite3


def open_scratch(path: str, schema: str, cache_kb: int = 16_000) -> sqlite3.Connection:
    """A fresh database at ``path`` ("" for a private temporary one SQLite removes on close)
    with ``schema``. No journal and no waiting for the disk: a failed run throws it away. Sorts
    larger than the cache go to temporary files."""
    if path and os.path.exists(path):
        os.unlink(path)
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE",
                   "temp_store = FILE", f"cache_size = -{cache_kb}"):
        db.execute(f"PRAGMA {pragma}")
    db.executescript(schema)
    return db


def sort_key(text: str) -> bytes:
    """A str as bytes that SQLite sorts as Python sorts the str: UTF-8 orders bytes as the code
    points they encode, and lets through the lone surrogates paths hold for undecodable bytes."""
    return text.encode("utf-8", "surrogatepass")


def from_sort_key(key: bytes) -> str:
    return key.decode("utf-8", "surrogatepass")
