"""Records pickled one after another into a file, and read back in the same order: how a batch
keeps on disk what would otherwise grow with the number of reports (its index, its plan, its
summary rows, its findings)."""
from __future__ import annotations

import pickle
from typing import IO, Any, BinaryIO, Iterator


class SpoolWriter:
    """Records appended to the file at ``path``, read back by ``spooled``."""

    def __init__(self, path: str) -> None:
        self.stream: BinaryIO = open(path, "wb")
        self.count = 0

    def add(self, record: Any) -> None:
        pickle.dump(record, self.stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def close(self) -> None:
        self.stream.close()


def spooled(path: str) -> Iterator[Any]:
    """The records of the file at ``path``, in order."""
    with open(path, "rb") as stream:
        yield from records(stream)


def records(stream: IO[bytes]) -> Iterator[Any]:
    """The records of an open file, from where it stands to its end."""
    while True:
        try:
            yield pickle.load(stream)
        except EOFError:
            return
