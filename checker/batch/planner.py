"""The plan of a batch's second pass, made from the first pass's index on disk.

Planning sees the whole index at once: pairing reports by agency, candidate copies by LSH,
the agencies' names, every file's stable id and input key. Held as Python objects that took
about 1.4 KB a report (140 MB at 100,000 reports, 1.4 GB at a million). The index goes into an
SQLite file in the batch's scratch folder instead, and each step reads back what it needs
sorted: an agency's reports together, a band's equal values together. What planning holds is
one agency or one bucket at a time and SQLite's bounded page cache, whatever the size of the
batch. (checker.batch.pairing.plan makes the same plan in memory; a test holds them together.)

It runs in a process of its own (WorkerPool.apart): the index comes in as a spool file, the
keyed units go out as one, and the main process reads them back one at a time as it hands
them out."""
from __future__ import annotations

import hashlib
import itertools
import os
import sqlite3
from array import array
from contextlib import suppress
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Iterator, Mapping, Optional

from ..spool import SpoolWriter, spooled
from .scratchdb import from_sort_key, open_scratch, sort_key
from .discovery import file_key
from .fingerprint import SLOTS, Fingerprint
from .manifest import Manifest
from .names import write_name_records
from .pairing import (BAND_ROWS, SMALL_BUCKET, IndexEntry, Unit, agency_key, agency_members, best_peers, bucket_pairs,
                      containments, error_unit, group_key, listed_name, peer_eligible, peer_floor)


@dataclass(frozen=True)
class PlanRequest:
    index: str  # the index's spool (checker.spool, of IndexEntry)
    units: str  # where the keyed units go, in checking order
    names: Optional[str]  # where the agencies' names go; None when no rule compares peers
    threshold: Optional[Decimal]  # the peer rule's threshold
    suffixes: tuple[str, ...]  # the format's same_agency_suffixes
    root: str  # the batch root the stable ids are relative to
    settings: tuple[Any, ...]  # what every result depends on besides its files (settings_key)
    manifest: Optional[Manifest] = None


def make_plan(request: PlanRequest) -> int:
    """Write the keyed units of the index's files; the number of reports they hold."""
    path = request.units + ".db"
    db = open_scratch(path, _SCHEMA)
    try:
        _load(db, request)
        if request.threshold is not None:
            _find_peers(db, request.threshold)
        if request.names is not None:
            write_name_records(request.names, (
                (year, from_sort_key(name), from_sort_key(file)) for year, name, file in db.execute(
                    "SELECT year, name, MIN(file) FROM entry WHERE name IS NOT NULL GROUP BY year, name "
                    "ORDER BY year, name")))
        base = settings_key(request.settings, request.names)
        out = SpoolWriter(request.units)
        members = 0
        try:
            for unit, known in _units(db):
                keyed = _keyed(unit, known, base, request.manifest)
                members += len(keyed.members)
                out.add(keyed)
        finally:
            out.close()
        return members
    finally:
        db.close()
        with suppress(FileNotFoundError):  # (an interrupted batch removes its scratch folder)
            os.unlink(path)  # no journal is kept (open_scratch)


def report_ids(files: list[str], root: str) -> dict[str, str]:
    """A stable id per file (stable_id), files taken in order."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for file in files:
        ident = unclashed(stable_id(file, root), taken.__contains__)
        taken.add(ident)
        ids[file] = ident
    return ids


def stable_id(file: str, root: str) -> str:
    """A hash of the file's path relative to the batch root, so a link #report-<id> keeps
    pointing at the same report when the batch is run again or grows."""
    relative = os.fsencode(os.path.relpath(os.path.abspath(file), root))
    return hashlib.blake2b(relative, digest_size=6).hexdigest()


def unclashed(ident: str, taken: Callable[[str], bool]) -> str:
    """``ident``, or with a suffix when another file of the batch took it first (a 48-bit
    clash: astronomically rare, still never ambiguous)."""
    suffix = 1
    candidate = ident
    while taken(candidate):
        suffix += 1
        candidate = f"{ident[:12]}-{suffix}"
    return candidate


_SCHEMA = """
CREATE TABLE entry (
    n INTEGER PRIMARY KEY,  -- the place in the index
    file BLOB NOT NULL,     -- sort_key(path): sorts as Python sorts the str
    grp BLOB,               -- sort_key(pairing.group_key); NULL for a file the first pass could not read
    year INTEGER,
    peer BLOB,              -- sort_key(agency_key) of an entry compared with others for copies
    fp BLOB,                -- with peer: its fingerprint's slots
    size INTEGER,
    name BLOB,              -- sort_key(pairing.listed_name), when the names file lists it
    id TEXT NOT NULL,
    digest TEXT NOT NULL,
    error TEXT,
    error_detail TEXT
);
CREATE TABLE peer (
    n INTEGER NOT NULL,     -- a file, and a candidate copy of another agency that contains ...
    other INTEGER NOT NULL,
    shared INTEGER NOT NULL,  -- ... this estimated share of its text (a fraction)
    total INTEGER NOT NULL,
    PRIMARY KEY (n, other)
) WITHOUT ROWID;
"""


def _load(db: sqlite3.Connection, request: PlanRequest) -> None:
    def rows() -> Iterator[tuple[Any, ...]]:
        for n, entry in enumerate(spooled(request.index)):
            peer = fp = size = None
            if request.threshold is not None and peer_eligible(entry, request.suffixes):
                peer = sort_key(agency_key(entry.agency, request.suffixes))
                fp, size = entry.fingerprint.slots, entry.fingerprint.size  # type: ignore[union-attr]
            name = listed_name(entry)
            yield (n, sort_key(entry.file), sort_key(group_key(entry, request.suffixes)) if entry.error is None else None,
                   entry.year, peer, fp, size, sort_key(name) if name is not None else None,
                   stable_id(entry.file, request.root), entry.digest or "", entry.error, entry.error_detail)

    db.execute("BEGIN")
    db.executemany("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    db.execute("CREATE INDEX entry_id ON entry (id)")
    db.execute("CREATE INDEX entry_group ON entry (grp, file)")
    _unclash(db)
    db.execute("COMMIT")


def _unclash(db: sqlite3.Connection) -> None:
    """Ids two files share (report_ids' clash, after the fact): the first file in the index
    keeps it, the others take the next free suffix in their order."""
    lookup = db.cursor()

    def is_taken(ident: str) -> bool:
        return lookup.execute("SELECT 1 FROM entry WHERE id = ?", (ident,)).fetchone() is not None

    clashes = [ident for ident, in db.execute("SELECT id FROM entry GROUP BY id HAVING COUNT(*) > 1")]
    for ident in clashes:
        later = [n for n, in db.execute("SELECT n FROM entry WHERE id = ? ORDER BY n", (ident,))][1:]
        for n in later:
            db.execute("UPDATE entry SET id = ? WHERE n = ?", (unclashed(ident, is_taken), n))


def _find_peers(db: sqlite3.Connection, threshold: Decimal) -> None:
    """pairing.candidate_peers, band after band: the entries of a year sorted by the band's
    value, so that a bucket is a run of equal values. What a bucket holds at once is bounded
    (pairing.bucket_pairs, and the fingerprints of its last few members)."""
    floor = peer_floor(threshold)
    lookup = db.cursor()

    @lru_cache(maxsize=SMALL_BUCKET + 1)
    def read(n: int) -> tuple[Fingerprint, bytes]:
        fp, size, peer = lookup.execute("SELECT fp, size, peer FROM entry WHERE n = ?", (n,)).fetchone()
        return Fingerprint(slots=fp, size=size), peer

    width = BAND_ROWS * 4
    found: list[tuple[int, int, int, int]] = []
    db.execute("BEGIN")
    for band in range(SLOTS // BAND_ROWS):
        rows = db.execute("SELECT year, substr(fp, ?, ?) AS value, n FROM entry WHERE peer IS NOT NULL "
                          "ORDER BY year, value, n", (band * width + 1, width))
        for members in _runs(rows):
            for a, b in bucket_pairs(members):
                (first, mine), (second, theirs) = read(a), read(b)
                if mine == theirs:
                    continue
                of_first, of_second = containments(first, second, floor)
                if of_first is not None:
                    found.append((a, b, of_first.numerator, of_first.denominator))
                if of_second is not None:
                    found.append((b, a, of_second.numerator, of_second.denominator))
                if len(found) >= _CHUNK:
                    db.executemany("INSERT OR IGNORE INTO peer VALUES (?, ?, ?, ?)", found)
                    found.clear()
        read.cache_clear()
    db.executemany("INSERT OR IGNORE INTO peer VALUES (?, ?, ?, ?)", found)
    db.execute("COMMIT")


_CHUNK = 4096  # candidate rows written at once


def _runs(rows: Iterator[tuple[int, bytes, int]]) -> Iterator[array]:
    """The entries of each run of two or more equal (year, value) in rows sorted by them (a
    loop, not itertools.groupby: nearly every value is a single entry's own), 8 bytes each."""
    run = array("q")
    last_year, last_value = None, None
    for year, value, n in rows:
        if value == last_value and year == last_year:
            run.append(n)
            continue
        if len(run) > 1:
            yield run
        run = array("q", (n,))
        last_year, last_value = year, value
    if len(run) > 1:
        yield run


def _units(db: sqlite3.Connection) -> Iterator[tuple[Unit, dict[str, tuple[str, str]]]]:
    """The units in checking order (by the first file of each, as pairing.plan orders them),
    each with the stable id and digest of every file it names."""
    rows = db.execute(
        "WITH firsts AS (SELECT grp, MIN(file) AS first FROM entry WHERE grp IS NOT NULL GROUP BY grp) "
        "SELECT f.first, e.n, e.file, e.year, e.id, e.digest, NULL, NULL "
        "FROM entry e JOIN firsts f ON e.grp = f.grp "
        "UNION ALL SELECT file, n, file, year, id, digest, error, error_detail FROM entry WHERE grp IS NULL "
        "ORDER BY 1, 2")
    lookup = db.cursor()
    for _, group in itertools.groupby(rows, key=lambda row: row[0]):
        rows_of = list(group)
        known = {from_sort_key(row[2]): (row[4], row[5]) for row in rows_of}
        error = rows_of[0][6]
        if error is not None:
            file = from_sort_key(rows_of[0][2])
            yield error_unit(IndexEntry(file=file, error=error, error_detail=rows_of[0][7])), known
            continue
        numbers = {from_sort_key(row[2]): row[1] for row in rows_of}

        def peers(file: str) -> tuple[str, ...]:
            found = lookup.execute("SELECT e.file, p.shared, p.total, e.id, e.digest FROM peer p "
                                   "JOIN entry e ON e.n = p.other WHERE p.n = ?", (numbers[file],)).fetchall()
            for other, _, _, ident, digest in found:
                known[from_sort_key(other)] = (ident, digest)
            return best_peers((from_sort_key(other), Fraction(shared, total)) for other, shared, total, _, _ in found)

        yield Unit(members=agency_members([(file, row[3]) for file, row in zip(numbers, rows_of)], peers)), known


def settings_key(parts: tuple[Any, ...], names_file: Optional[str]) -> bytes:
    """What every result depends on besides its own files: ``parts`` (the rule pack's digest,
    the profile and selection, the language, the batch root, the reading limits: a file refused
    at one size limit is read at a larger one), and the agencies of the batch (named-peer
    checks)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(str(part).encode("utf-8", "surrogateescape") + b"\0")
    if names_file is not None:
        with open(names_file, "rb") as stream:
            while chunk := stream.read(1 << 20):  # 100,000 agencies are some 10 MB
                digest.update(chunk)
    return digest.digest()


_UNKNOWN = ("", "")  # no file, or one the index has no entry of: no id, no digest


def _keyed(unit: Unit, known: Mapping[str, tuple[str, str]], base: bytes, manifest: Optional[Manifest]) -> Unit:
    """The unit with its members' stable ids and input keys."""
    members = []
    for member in unit.members:
        digest = hashlib.blake2b(base, digest_size=16)
        for file in (member.file, member.previous, *member.peers):
            digest.update(known.get(file, _UNKNOWN)[1].encode() + b"\0")  # type: ignore[arg-type]
        row = manifest.row(file_key(member.file)) if manifest else None
        digest.update(repr(row).encode("utf-8", "surrogateescape") if row is not None else b"-")
        digest.update((unit.error or "").encode("utf-8", "surrogateescape"))
        members.append(replace(member, id=known[member.file][0], key=digest.hexdigest()))
    return replace(unit, members=tuple(members))
