"""A batch's summary rows, kept on disk as reports are checked, so that the batch's memory does
not grow with the number of reports: in memory stays only what ranking needs (a sort key and
where the row is in the file, a few hundred bytes a report where a row takes over a kilobyte).

The ranking is read back from the file in ranking order as often as a writer needs it (the
index page reads it twice, the workbook twice and once more for its waivers); it pickles as the
file's path, the order and the rows' offsets, so a worker process can write the workbook from it."""
from __future__ import annotations

import os
import pickle
from array import array
from collections import Counter
from pathlib import Path
from typing import Iterator, Optional

from ..spool import spooled
from ..render.records import SummaryRow, WaiverRow, rank_key, ranks


class SpooledRanking:
    """(rank, row) in ranking order, read from the spool file each time it is iterated."""

    def __init__(self, path: str, order: list[tuple[Optional[int], int]], offsets: array) -> None:
        self.path = path
        self.order = order  # (rank, the row's place in the file)
        self.offsets = offsets  # where each row starts in the file, and where the last one ends

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[tuple[Optional[int], SummaryRow]]:
        # each row read with its exact length at its offset: pickle.load after a seek refills a
        # buffered reader's whole buffer for every row, twice the time of unpickling the row
        offsets = self.offsets
        descriptor = os.open(self.path, os.O_RDONLY)
        try:
            for rank, place in self.order:
                start = offsets[place]
                yield rank, pickle.loads(os.pread(descriptor, offsets[place + 1] - start, start))
        finally:
            os.close(descriptor)

    def arrival(self) -> Iterator[SummaryRow]:
        """The rows in the order the batch checked them (the order of its findings spool)."""
        return spooled(self.path)


class RowSpool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._stream = open(path, "wb")
        # (rank key..., place in the file): one flat tuple a report, its year and score shared
        # with every report that has the same (450 → 330 bytes a report, most of it the file)
        self._keys: list[tuple] = []
        self._shared: dict[object, object] = {}
        self._offsets = array("q")
        self.applied: Counter[WaiverRow] = Counter()  # waiver -> reports it applied to
        self.count = 0
        self.errors = 0

    def add(self, row: SummaryRow) -> None:
        year, unscored, score, file = rank_key(row)
        shared = self._shared
        self._keys.append((shared.setdefault(year, year), unscored, shared.setdefault(score, score), file,
                           len(self._offsets)))
        self._offsets.append(self._stream.tell())
        pickle.dump(row, self._stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.applied.update(row.waivers)
        self.count += 1
        self.errors += int(row.error is not None)

    def close(self) -> None:
        if not self._stream.closed:
            self._stream.close()

    def ranking(self) -> SpooledRanking:
        self.close()
        keys, self._keys, self._shared = self._keys, [], {}
        keys.sort()
        ordered = ((_year_of(key), _score_of(key), key[-1]) for key in keys)
        offsets, self._offsets = self._offsets, array("q")
        offsets.append(os.path.getsize(self.path))
        return SpooledRanking(str(self.path), list(ranks(ordered)), offsets)


def _year_of(key: tuple) -> Optional[int]:
    return None if key[0] == 1 else -key[0]


def _score_of(key: tuple):  # type: ignore[no-untyped-def]
    return None if key[1] else -key[2]
