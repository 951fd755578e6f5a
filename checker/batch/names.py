"""The agencies of a batch by name, for a worker to find another agency named in a report's text
more often than the reporter (maybe a copy with the other's name left in; DUP-004 decides).

A batch of 100,000 reports names as many agencies, and every worker looks for all of them. As
a dictionary of names to paths that took 32 MB in each worker. The parent writes the names as a
stream of small records; a worker keeps only the names, grouped by their first two characters
(one dictionary look-up per position of a text finds every name it contains), and where each
record is in the file: a path is read back only for a name found."""
from __future__ import annotations

import pickle
from array import array
from pathlib import Path
from typing import BinaryIO, Iterable, Mapping, Union

# the names of a group, and where each one's record starts in the file
_Group = tuple[list[str], array]


def write_names(path: Union[str, Path], names: Mapping[int, Mapping[str, str]]) -> None:
    """``names``: per year, each agency's name (squashed) -> its first file
    (checker.batch.pairing.same_year_names)."""
    write_name_records(path, ((year, name, file) for year in sorted(names)
                              for name, file in sorted(names[year].items())))


def write_name_records(path: Union[str, Path], records: Iterable[tuple[int, str, str]]) -> None:
    """(year, name, file) records, one after another, by year and then name."""
    with open(path, "wb") as stream:
        for record in records:
            pickle.dump(record, stream, protocol=pickle.HIGHEST_PROTOCOL)


class NameIndex:
    """The names of a names file (write_names) by year and first two characters."""

    def __init__(self, path: Union[str, Path]) -> None:
        self.years: dict[int, dict[str, _Group]] = {}
        # kept open for the paths of the names found (one in almost every report: its own)
        self.records: BinaryIO = open(path, "rb")
        stream = self.records
        while True:
            offset = stream.tell()
            try:
                year, name, _ = pickle.load(stream)
            except EOFError:
                break
            groups = self.years.setdefault(year, {})
            group = groups.get(name[:2])
            if group is None:
                group = groups[name[:2]] = ([], array("Q"))
            group[0].append(name)
            group[1].append(offset)

    def close(self) -> None:
        self.records.close()

    def named_in(self, year: int, flat: str) -> list[tuple[str, str]]:
        """(name, its file) of each agency of ``year`` whose name ``flat`` contains, by name."""
        groups = self.years.get(year)
        if not groups:
            return []
        seen: dict[str, int] = {}
        for i in range(len(flat) - 1):
            group = groups.get(flat[i:i + 2])
            if group:
                for name, offset in zip(*group):
                    if name not in seen and flat.startswith(name, i):
                        seen[name] = offset
        return [(name, self._file(seen[name])) for name in sorted(seen)]

    def _file(self, offset: int) -> str:
        self.records.seek(offset)
        return pickle.load(self.records)[2]
