"""The agencies of a batch by name, for a worker to find another agency named in a report's text
more often than the reporter (maybe a copy with the other's name left in; DUP-004 decides).

A batch of 100,000 reports names as many agencies, and every worker looks for all of them. As
a dictionary of names to paths that took 32 MB in each worker, and as a list of names 11 MB.
The parent writes the names as a stream of small records; a worker keeps the names grouped by
their first two characters, each group one string of its names between newlines (a str object
a name was 120 bytes of which the name itself is 20), and where each record is in the file: a
path is read back only for a name found."""
from __future__ import annotations

import pickle
from array import array
from pathlib import Path
from typing import BinaryIO, Iterable, Mapping, Union

# between the names of a group: squashed text (names and the texts searched) has no newline
_SEP = "\n"


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


class _Group:
    """The names of a year that start with the same two characters."""

    __slots__ = ("joined", "lengths", "offsets")

    def __init__(self, names: list[str], offsets: array) -> None:
        self.joined = _SEP + _SEP.join(names) + _SEP  # "\nname\nname\n": a name is found as "\nname\n"
        self.lengths = tuple(sorted({len(name) for name in names}))
        self.offsets = offsets  # of each name's record in the file, in the order joined

    def offset(self, name: str) -> int:
        return self.offsets[self.joined.count(_SEP, 0, self.joined.index(_SEP + name + _SEP))]


class NameIndex:
    """The names of a names file (write_names) by year and first two characters."""

    def __init__(self, path: Union[str, Path]) -> None:
        self.years: dict[int, dict[str, _Group]] = {}
        self.odd: dict[int, list[tuple[str, int]]] = {}  # names with a newline (never squashed ones)
        # kept open for the paths of the names found (one in almost every report: its own)
        self.records: BinaryIO = open(path, "rb")
        # the records come by year and name: a group's names are read one after another
        names: list[str] = []
        offsets = array("Q")
        group: tuple[int, str] = (0, "")
        load = pickle.load
        stream = self.records
        while True:
            offset = stream.tell()
            try:
                year, name, _ = load(stream)
            except EOFError:
                break
            if _SEP in name:
                self.odd.setdefault(year, []).append((name, offset))
                continue
            if name[:2] != group[1] or year != group[0]:
                if names:
                    self._add(group, names, offsets)
                names, offsets, group = [], array("Q"), (year, name[:2])
            names.append(name)
            offsets.append(offset)
        if names:
            self._add(group, names, offsets)

    def _add(self, key: tuple[int, str], names: list[str], offsets: array) -> None:
        year, prefix = key
        groups = self.years.setdefault(year, {})
        if prefix in groups:  # the file's records out of order: the group came in two runs
            earlier = groups[prefix]
            names = earlier.joined.strip(_SEP).split(_SEP) + names
            offsets = earlier.offsets + offsets
        groups[prefix] = _Group(names, offsets)

    def close(self) -> None:
        self.records.close()

    def named_in(self, year: int, flat: str) -> list[tuple[str, str]]:
        """(name, its file) of each agency of ``year`` whose name ``flat`` contains, by name."""
        groups = self.years.get(year)
        seen: dict[str, int] = {}
        if groups:
            for i in range(len(flat) - 1):
                group = groups.get(flat[i:i + 2])
                if group is None:
                    continue
                for length in group.lengths:
                    name = flat[i:i + length]
                    if len(name) < length:
                        break
                    if name not in seen and _SEP + name + _SEP in group.joined and _SEP not in name:
                        seen[name] = group.offset(name)
        for name, offset in self.odd.get(year, ()):
            if len(name) > 1 and name in flat:
                seen.setdefault(name, offset)
        return [(name, self._file(seen[name])) for name in sorted(seen)]

    def _file(self, offset: int) -> str:
        self.records.seek(offset)
        return pickle.load(self.records)[2]
