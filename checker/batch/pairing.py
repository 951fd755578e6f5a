"""From the index of a batch (one small entry per file) to the units of work of the checking
pass: one unit per agency, holding its reports in year order, so a report and last year's are
parsed and checked in the same worker; and for every report its candidate copies among other
agencies' reports of the same year, found by LSH on the fingerprints instead of comparing all
pairs."""
from __future__ import annotations

import itertools
from collections import defaultdict, deque
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Callable, Iterable, Iterator, Optional, Sequence, TypeVar

from ..textnorm import squash
from .fingerprint import SLOTS, Fingerprint, containment_terms

# LSH bands of 2 slots: a pair that shares one band becomes a candidate. Two-slot bands catch a
# short report copied into a long one (high containment, low Jaccard), which four-slot bands miss.
BAND_ROWS = 2
# Above this many members a bucket is boilerplate many reports share; rather than all its pairs
# (quadratic), each member is paired with its next few neighbours.
SMALL_BUCKET = 40
NEIGHBOURS = 6
# Candidates are kept when the estimated containment is within this margin below the rule's
# threshold (the estimate from 64 slots is rough); at most MAX_PEERS per report, best first.
MARGIN = Decimal("0.25")
MAX_PEERS = 3

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the first pass learns about one file."""

    file: str
    agency: Optional[str] = None
    kind: Optional[str] = None
    year: Optional[int] = None
    fingerprint: Optional[Fingerprint] = None
    error: Optional[str] = None  # the file cannot be checked: the reason
    digest: Optional[str] = None  # of the file's bytes (a rerun with --resume compares it)
    error_detail: Optional[str] = None  # the checker failed on it: what went wrong (JSON only)


@dataclass(frozen=True, slots=True)
class Member:
    """One report of a unit, with the files it is compared against."""

    file: str
    previous: Optional[str] = None  # last year's report of the same agency (in the same unit)
    peers: tuple[str, ...] = ()  # candidate copies: other agencies, same year
    id: str = ""  # the report's stable id (set by the batch before checking)
    key: str = ""  # what its result depends on (its file, last year's, its peers', the settings)


@dataclass(frozen=True, slots=True)
class Unit:
    members: tuple[Member, ...]
    error: Optional[str] = None  # set for a single file the first pass could not read
    done: frozenset[str] = frozenset()  # members whose result a resumed run already has
    error_detail: Optional[str] = None  # with error: the checker's own failure (IndexEntry.error_detail)


def agency_key(agency: Optional[str], suffixes: Sequence[str] = ()) -> str:
    """The agency's name as reports are matched by it: squashed, without an ending of
    ``suffixes`` (the format's same_agency_suffixes: 某某县人民政府 is 某某县)."""
    key = squash(agency or "")
    for suffix in suffixes:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def plan(entries: Sequence[IndexEntry], peer_threshold: Optional[Decimal] = None,
         same_agency_suffixes: Sequence[str] = ()) -> list[Unit]:
    """Units in a fixed order: by the first file of each (files are sorted already), an agency's
    reports by year. Unreadable files are units of their own. (checker.batch.planner makes the
    same plan out of core, for a batch.)"""
    peers = candidate_peers(entries, peer_threshold, same_agency_suffixes) if peer_threshold is not None else {}
    groups: dict[str, list[IndexEntry]] = defaultdict(list)
    units: list[tuple[str, Unit]] = []
    for entry in entries:
        if entry.error is not None:
            units.append((entry.file, error_unit(entry)))
            continue
        groups[group_key(entry, same_agency_suffixes)].append(entry)
    for group in groups.values():
        units.append((min(e.file for e in group),
                      Unit(members=agency_members([(e.file, e.year) for e in group], lambda f: peers.get(f, ())))))
    units.sort(key=lambda item: item[0])
    return [unit for _, unit in units]


def error_unit(entry: IndexEntry) -> Unit:
    """The unit of a file the first pass could not read."""
    return Unit(members=(Member(entry.file),), error=entry.error, error_detail=entry.error_detail)


def group_key(entry: IndexEntry, same_agency_suffixes: Sequence[str] = ()) -> str:
    """What the reports of one agency share (agency_key); a report without an agency is a
    group of its own."""
    key = agency_key(entry.agency, same_agency_suffixes)
    return key if key else "\x00" + entry.file


def agency_members(group: Sequence[tuple[str, Optional[int]]],
                   peers: Callable[[str], tuple[str, ...]]) -> tuple[Member, ...]:
    """The members of an agency's unit from its (file, year)s: by year, then file; each with
    last year's report (the first file of that year) and its candidate copies."""
    ordered = sorted(group, key=lambda item: (item[1] if item[1] is not None else -1, item[0]))
    by_year: dict[int, str] = {}
    for file, year in ordered:
        if year is not None:
            by_year.setdefault(year, file)
    return tuple(Member(file=file, previous=by_year.get(year - 1) if year is not None else None, peers=peers(file))
                 for file, year in ordered)


def peer_floor(threshold: Decimal) -> Fraction:
    """The estimated containment a candidate copy needs: the rule's threshold less MARGIN."""
    return Fraction(threshold - MARGIN)


def peer_eligible(entry: IndexEntry, same_agency_suffixes: Sequence[str] = ()) -> bool:
    return entry.error is None and entry.fingerprint is not None and entry.year is not None \
        and bool(agency_key(entry.agency, same_agency_suffixes))


def candidate_peers(entries: Sequence[IndexEntry], threshold: Decimal,
                    same_agency_suffixes: Sequence[str] = ()) -> dict[str, tuple[str, ...]]:
    """For each file, up to MAX_PEERS same-year files of other agencies whose text likely
    contains most of its own (estimated containment at least threshold - MARGIN)."""
    floor = peer_floor(threshold)
    by_year: dict[int, list[IndexEntry]] = defaultdict(list)
    for entry in entries:
        if peer_eligible(entry, same_agency_suffixes):
            by_year[entry.year].append(entry)  # type: ignore[index]
    found: dict[str, dict[str, Fraction]] = defaultdict(dict)  # file -> its candidates' estimates
    for group in by_year.values():
        keys = [agency_key(e.agency, same_agency_suffixes) for e in group]
        for a, b in _band_pairs([e.fingerprint for e in group]):  # type: ignore[misc]
            if keys[a] == keys[b]:
                continue
            first, second = group[a], group[b]
            of_first, of_second = containments(first.fingerprint, second.fingerprint, floor)  # type: ignore[arg-type]
            if of_first is not None:
                found[first.file][second.file] = of_first
            if of_second is not None:
                found[second.file][first.file] = of_second
    return {file: best_peers(items.items()) for file, items in found.items()}


def containments(first: Fingerprint, second: Fingerprint,
                 floor: Fraction) -> tuple[Optional[Fraction], Optional[Fraction]]:
    """The estimated share of the first text the second contains, and of the second the first,
    each None below ``floor``."""
    agreement = first.agreement(second)
    first_shared, first_total = containment_terms(agreement, first.size, second.size)
    second_shared, second_total = containment_terms(agreement, second.size, first.size)
    above, below = floor.numerator, floor.denominator
    return (Fraction(first_shared, first_total) if first_shared * below >= above * first_total else None,
            Fraction(second_shared, second_total) if second_shared * below >= above * second_total else None)


def best_peers(candidates: Iterable[tuple[str, Fraction]]) -> tuple[str, ...]:
    """The MAX_PEERS candidates of the highest estimate (by file among equals)."""
    return tuple(f for f, _ in sorted(candidates, key=lambda item: (-item[1], item[0]))[:MAX_PEERS])


def _band_pairs(fingerprints: Sequence[Fingerprint]) -> Iterator[tuple[int, int]]:
    """Pairs that share a band, band after band. A pair sharing several bands comes once per
    band (4% more pairs on a bench batch): a set of the pairs seen would hold a hundred bytes
    per pair, a dozen pairs per report, the largest thing planning keeps."""
    for band in range(SLOTS // BAND_ROWS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for index, fp in enumerate(fingerprints):
            buckets[fp.band(band, BAND_ROWS)].append(index)
        for members in buckets.values():
            yield from bucket_pairs(members)


def bucket_pairs(members: Iterable[T]) -> Iterator[tuple[T, T]]:
    """The pairs of a bucket's members (in the order they come): all of them, or in a bucket of
    boilerplate many share (more than SMALL_BUCKET), each with its next NEIGHBOURS. Taken as
    they come, holding at most SMALL_BUCKET + 1 of them: such a bucket can be most of a batch."""
    items = iter(members)
    held = list(itertools.islice(items, SMALL_BUCKET + 1))
    if len(held) <= SMALL_BUCKET:
        for i, x in enumerate(held):
            for y in held[i + 1:]:
                yield x, y
        return
    window: deque[T] = deque(maxlen=NEIGHBOURS)
    for y in itertools.chain(held, items):
        for x in window:
            yield x, y
        window.append(y)


def same_year_names(entries: Iterable[IndexEntry]) -> dict[int, dict[str, str]]:
    """Per year, each agency's name (squashed, as the reports write it) -> its first file: what
    a worker looks for in a report's text to find another agency named as the reporter."""
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for entry in sorted(entries, key=lambda e: e.file):
        name = listed_name(entry)
        if name is not None:
            names[entry.year].setdefault(name, entry.file)  # type: ignore[index]
    return dict(names)


def listed_name(entry: IndexEntry) -> Optional[str]:
    """The agency's name as the batch lists it for same_year_names; None for an entry it does
    not list (unread, no year, a name under three characters)."""
    name = squash(entry.agency or "")
    return name if entry.error is None and entry.year is not None and len(name) >= 3 else None
