"""Where commands write: checked before any work, written whole or not at all.

Every command that writes files (``check -o``, ``report -o``, ``batch --out``, ``notice -o``)
checks its target first, so a typo costs one line and exit 2 rather than a traceback after a
long run: a file target must not be a folder nor lie below a file, a folder target must not be
a file, and either must be writable. Files are written to a temporary name beside the target
and renamed when complete, so a reader never sees half a file and a failed write (a full
disk) leaves the old file in place.

File names are bytes on Linux: a name from a Windows zip is often GBK, which Python carries as
lone surrogates. ``shown`` is the one place such a name becomes text for a person (with
replacement characters), so no output ever fails to encode it."""
from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .errors import UsageError


_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: files get the permissions a plain open() would give them


def shown(path: str | os.PathLike[str]) -> str:
    """A file name as text a person can read and any output can encode: bytes that are not
    UTF-8 become U+FFFD."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def output_error(path: str | os.PathLike[str], exc: OSError) -> UsageError:
    """The one-line error for a write that failed (exit 2)."""
    return UsageError(f"cannot write {shown(path)}: {_reason(exc)}")


def _existing_parent(path: Path) -> Path:
    """The nearest ancestor that exists; a UsageError when that is a file (a path below a file)."""
    parent = path.parent
    while not parent.exists():
        if parent == parent.parent:
            break
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(f"cannot write {shown(path)}: {shown(parent)} is a file, not a folder")
    return parent


def _writable(folder: Path, target: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {shown(target)}: {shown(folder)} is not writable")


def check_output_file(path: str | os.PathLike[str]) -> Path:
    """A file a command will write: not a folder, not below a file, in a writable folder (a
    missing folder is created when the file is written)."""
    target = Path(path)
    if target.is_dir() or os.fspath(path).endswith(os.sep):
        raise UsageError(f"cannot write {shown(path)}: it is a folder; give a file name")
    _writable(target.parent if target.parent.exists() else _existing_parent(target), target)
    return target


def check_output_dir(path: str | os.PathLike[str]) -> Path:
    """A folder a command will write into (created if missing): not a file, not below a file,
    writable."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise UsageError(f"cannot write into {shown(path)}: it is a file, not a folder")
    _writable(target if target.exists() else _existing_parent(target), target)
    return target


def make_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(path, exc) from None


@contextmanager
def atomic_output(path: str | os.PathLike[str], mode: str = "w", **options: object) -> Iterator[IO]:
    """``with atomic_output(path) as stream: ...`` writes a temporary file beside ``path`` and
    renames it over ``path`` only when the block ends without an error; text mode is UTF-8.
    An OSError (full disk, read-only file system) becomes the one-line UsageError."""
    target = Path(path)
    make_dir(target.parent)
    if "b" not in mode:
        options.setdefault("encoding", "utf-8")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise output_error(path, exc) from None
    try:
        with os.fdopen(handle, mode, **options) as stream:  # type: ignore[call-overload]
            yield stream
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, target)
    except OSError as exc:
        _remove(temporary)
        raise output_error(path, exc) from None
    except BaseException:
        _remove(temporary)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    with atomic_output(path, newline="\n") as stream:
        stream.write(text)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_output(path, "wb") as stream:
        stream.write(data)


def write_plain(path: str, data: bytes) -> None:
    """``data`` as the whole of a new file (or one written over), not atomically (write_bytes
    is): straight to its descriptor, without the buffered file object open() sets up around it
    (a batch's worker writes a page a report this way, a fifth of what open() cost)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        written = os.write(descriptor, data)
        if written < len(data):  # (a regular file takes it all at once; a full disk does not)
            view = memoryview(data)
            while written < len(data):
                written += os.write(descriptor, view[written:])
    finally:
        os.close(descriptor)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
