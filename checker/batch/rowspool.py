"""A batch's summary rows, kept on disk as reports are checked, so that the batch's memory does
not grow with the number of reports. What ranking needs (a sort key and where the row is in the
file, a few hundred bytes a report) is sorted in runs of RUN_KEYS that go to disk as they fill,
and merged at the end; the ranking itself is two arrays, 16 bytes a report.

The ranking is read back from the file in ranking order as often as a writer needs it (the
index page reads it twice, the workbook twice and once more for its waivers); it pickles as the
file's path, the order and the rows' offsets, so a worker process can write the workbook from it."""
from __future__ import annotations

import heapq
import os
import pickle
from array import array
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..spool import SpoolWriter, spooled
from ..render.records import SummaryRow, WaiverRow, rank_key, ranks


# rank keys held in memory before they are sorted and written out as a run (about 7 MB); a run
# is written, and read back while merging, CHUNK_KEYS at a time
RUN_KEYS = 20_000
CHUNK_KEYS = 1_000
_UNRANKED = 0  # ranks start at 1


class SpooledRanking:
    """(rank, row) in ranking order, read from the spool file each time it is iterated."""

    def __init__(self, path: str, ranks: array, places: array, offsets: array) -> None:
        self.path = path
        self.ranks = ranks  # the rank of each row in ranking order (_UNRANKED: none)
        self.places = places  # each row's place in the file, in ranking order
        self.offsets = offsets  # where each row starts in the file, and where the last one ends

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[tuple[Optional[int], SummaryRow]]:
        # each row read with its exact length at its offset: pickle.load after a seek refills a
        # buffered reader's whole buffer for every row, twice the time of unpickling the row
        offsets = self.offsets
        descriptor = os.open(self.path, os.O_RDONLY)
        try:
            for rank, place in zip(self.ranks, self.places):
                start = offsets[place]
                yield rank or None, pickle.loads(os.pread(descriptor, offsets[place + 1] - start, start))
        finally:
            os.close(descriptor)

    def arrival(self) -> Iterator[SummaryRow]:
        """The rows in the order the batch checked them (the order of its findings spool)."""
        return spooled(self.path)


class RowSpool:
    def __init__(self, path: Path, run_keys: int = RUN_KEYS) -> None:
        self.path = path
        self._stream = open(path, "wb")
        # (rank key..., place in the file): one flat tuple a report, its year and score shared
        # with every report of the run that has the same (450 → 330 bytes a report, most of
        # it the file)
        self._keys: list[tuple] = []
        self._shared: dict[object, object] = {}
        self._run_keys = run_keys
        self._runs: list[str] = []  # files of sorted keys
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
        if len(self._keys) >= self._run_keys:
            self._write_run()

    def _write_run(self) -> None:
        keys, self._keys, self._shared = self._keys, [], {}
        keys.sort()
        run = f"{self.path}.run{len(self._runs)}"
        writer = SpoolWriter(run)
        try:
            for start in range(0, len(keys), CHUNK_KEYS):
                writer.add(keys[start:start + CHUNK_KEYS])
        finally:
            writer.close()
        self._runs.append(run)

    def close(self) -> None:
        if not self._stream.closed:
            self._stream.close()

    def ranking(self) -> SpooledRanking:
        self.close()
        keys, self._keys, self._shared = self._keys, [], {}
        keys.sort()
        merged = heapq.merge(keys, *(_run_keys(run) for run in self._runs))
        ordered = ((_year_of(key), _score_of(key), key[-1]) for key in merged)
        rank_list, places = array("q"), array("q")
        for rank, place in ranks(ordered):
            rank_list.append(_UNRANKED if rank is None else rank)
            places.append(place)
        for run in self._runs:
            os.unlink(run)
        self._runs = []
        offsets, self._offsets = self._offsets, array("q")
        offsets.append(os.path.getsize(self.path))
        return SpooledRanking(str(self.path), rank_list, places, offsets)


def _run_keys(run: str) -> Iterable[tuple]:
    for chunk in spooled(run):
        yield from chunk


def _year_of(key: tuple) -> Optional[int]:
    return None if key[0] == 1 else -key[0]


def _score_of(key: tuple):  # type: ignore[no-untyped-def]
    return None if key[1] else -key[2]
