"""Delivered files kept by the SHA-256 of their bytes, in a folder beside the database:
``xxgk.sqlite.files/ab/ab12….pdf``. The name is made here from the hash and a suffix from a
fixed list; nothing a user typed or uploaded ever becomes part of a path."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Optional

_HASH = re.compile(r"^[0-9a-f]{64}$")
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, digest: str, suffix: str) -> Path:
        if not _HASH.match(digest) or not _SUFFIX.match(suffix):
            raise ValueError("not a stored file's hash and suffix")
        return self.folder / digest[:2] / (digest + suffix)

    def put(self, data: bytes, suffix: str) -> str:
        """Keep the bytes (once, whatever their name) and return their hash."""
        digest = content_hash(data)
        target = self.path(digest, suffix)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # written aside and renamed: a reader never sees half a file
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        return digest

    def read(self, digest: str, suffix: str) -> Optional[bytes]:
        path = self.path(digest, suffix)
        return path.read_bytes() if path.exists() else None
