"""A reader returns a Document or raises ReadError with a reason: whatever a file holds, no other
exception leaves it. A reader's own defect on some input is still reported as what it is (the
reader's error, with the exception), but as that file's reason, so a batch goes on."""
from __future__ import annotations

import functools
from typing import Callable

from ..errors import ReadError
from ..model import Document

Reader = Callable[[str, bytes], Document]


def internal_error(name: str, what: str, exc: BaseException) -> ReadError:
    """The reason a file could not be read because of a defect of the reader (the checker's
    error, not the file's), naming the exception so that it can be reported."""
    return ReadError(name, f"{what} could not be read: internal error of the reader "
                           f"({type(exc).__name__}: {exc})")


def never_raises(what: str) -> Callable[[Reader], Reader]:
    """Wrap a reader's ``read(name, data)``; ``what`` names the file type in the reason."""

    def wrap(read: Reader) -> Reader:
        @functools.wraps(read)
        def guarded(name: str, data: bytes) -> Document:
            try:
                return read(name, data)
            except ReadError:
                raise
            except RecursionError:
                raise ReadError(name, f"{what} is nested too deeply to be read") from None
            except MemoryError:
                raise ReadError(name, f"{what} is too large to be read in the memory available") from None
            except Exception as exc:
                raise internal_error(name, what, exc) from None
        return guarded

    return wrap
