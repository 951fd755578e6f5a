"""From the index of a batch (one small entry per file) to the units of work of the checking
pass: one unit per agency, holding its reports in year order, so a report and last year's are
parsed and checked in the same worker; and for every report its candidate copies among other
agencies' reports of the same year, found by LSH on the fingerprints instead of comparing all
pairs."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Iterator, Optional, Sequence

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
    reports by year. Unreadable files are units of their own."""
    peers = candidate_peers(entries, peer_threshold, same_agency_suffixes) if peer_threshold is not None else {}
    groups: dict[str, list[IndexEntry]] = defaultdict(list)
    units: list[tuple[str, Unit]] = []
    for entry in entries:
        if entry.error is not None:
            units.append((entry.file, Unit(members=(Member(entry.file),), error=entry.error,
                                           error_detail=entry.error_detail)))
            continue
        key = agency_key(entry.agency, same_agency_suffixes)
        groups[key if key else "\x00" + entry.file].append(entry)
    for group in groups.values():
        group.sort(key=lambda e: (e.year if e.year is not None else -1, e.file))
        by_year: dict[int, str] = {}
        for entry in group:
            if entry.year is not None:
                by_year.setdefault(entry.year, entry.file)
        members = tuple(
            Member(file=e.file, previous=by_year.get(e.year - 1) if e.year is not None else None,
                   peers=peers.get(e.file, ()))
            for e in group)
        units.append((min(e.file for e in group), Unit(members=members)))
    units.sort(key=lambda item: item[0])
    return [unit for _, unit in units]


def candidate_peers(entries: Sequence[IndexEntry], threshold: Decimal,
                    same_agency_suffixes: Sequence[str] = ()) -> dict[str, tuple[str, ...]]:
    """For each file, up to MAX_PEERS same-year files of other agencies whose text likely
    contains most of its own (estimated containment at least threshold - MARGIN)."""
    floor = Fraction(threshold - MARGIN)
    by_year: dict[int, list[IndexEntry]] = defaultdict(list)
    for entry in entries:
        if entry.error is None and entry.fingerprint is not None and entry.year is not None \
                and agency_key(entry.agency, same_agency_suffixes):
            by_year[entry.year].append(entry)
    found: dict[str, dict[str, Fraction]] = defaultdict(dict)  # file -> its candidates' estimates
    for group in by_year.values():
        keys = [agency_key(e.agency, same_agency_suffixes) for e in group]
        for a, b in _band_pairs([e.fingerprint for e in group]):  # type: ignore[misc]
            if keys[a] == keys[b]:
                continue
            first, second = group[a], group[b]
            agreement = first.fingerprint.agreement(second.fingerprint)  # type: ignore[union-attr]
            for mine, theirs in ((first, second), (second, first)):
                shared, total = containment_terms(agreement, mine.fingerprint.size,  # type: ignore[union-attr]
                                                  theirs.fingerprint.size)  # type: ignore[union-attr]
                if shared * floor.denominator >= floor.numerator * total:
                    found[mine.file][theirs.file] = Fraction(shared, total)
    return {file: tuple(f for f, _ in sorted(items.items(), key=lambda item: (-item[1], item[0]))[:MAX_PEERS])
            for file, items in found.items()}


def _band_pairs(fingerprints: Sequence[Fingerprint]) -> Iterator[tuple[int, int]]:
    """Pairs that share a band, band after band. A pair sharing several bands comes once per
    band (4% more pairs on a bench batch): a set of the pairs seen would hold a hundred bytes
    per pair, a dozen pairs per report, the largest thing planning keeps."""
    for band in range(SLOTS // BAND_ROWS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for index, fp in enumerate(fingerprints):
            buckets[fp.band(band, BAND_ROWS)].append(index)
        for members in buckets.values():
            if len(members) < 2:
                continue
            reach = len(members) if len(members) <= SMALL_BUCKET else NEIGHBOURS + 1
            for i, x in enumerate(members):
                for y in members[i + 1:i + reach]:
                    yield x, y


def same_year_names(entries: Iterable[IndexEntry]) -> dict[int, dict[str, str]]:
    """Per year, each agency's name (squashed, as the reports write it) -> its first file: what
    a worker looks for in a report's text to find another agency named as the reporter."""
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for entry in sorted(entries, key=lambda e: e.file):
        name = squash(entry.agency or "")
        if entry.error is None and entry.year is not None and len(name) >= 3:
            names[entry.year].setdefault(name, entry.file)
    return dict(names)
