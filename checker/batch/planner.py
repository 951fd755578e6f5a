"""The plan of a batch's second pass, made from the first pass's index on disk.

Planning needs the whole index at once: pairing reports by agency, candidate copies by LSH,
the agencies' names, every file's stable id and input key. At 100,000 reports that is some
110 MB of Python objects. Held by the batch's main process, that memory stayed with it to the
end, because the allocator keeps what it once held. The batch runs this in a process of its own
instead (WorkerPool.apart): the index comes in as a spool file, the keyed units go out as one,
and the main process reads them back one at a time as it hands them out."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Iterator, Optional

from ..spool import SpoolWriter, spooled
from .discovery import file_key
from .manifest import Manifest
from .names import write_names
from .pairing import IndexEntry, Unit, plan, same_year_names


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
    entries: list[IndexEntry] = list(spooled(request.index))
    units = plan(entries, request.threshold, request.suffixes)
    if request.names is not None:
        write_names(request.names, same_year_names(entries))
    known = _known(entries, request.root)
    del entries  # what the units need of them is in the units and ``known``
    base = settings_key(request.settings, request.names)
    out = SpoolWriter(request.units)
    members = 0
    try:
        for unit in _handed_out(units):
            keyed = _keyed(unit, known, base, request.manifest)
            members += len(keyed.members)
            out.add(keyed)
    finally:
        out.close()
    return members


def report_ids(files: list[str], root: str) -> dict[str, str]:
    """A stable id per file: a hash of its path relative to the batch root, so a link
    #report-<id> keeps pointing at the same report when the batch is run again or grows."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for file in files:
        relative = os.fsencode(os.path.relpath(os.path.abspath(file), root))
        ident = hashlib.blake2b(relative, digest_size=6).hexdigest()
        suffix = 1
        while ident in taken:  # a 48-bit clash: astronomically rare, still never ambiguous
            suffix += 1
            ident = f"{ident[:12]}-{suffix}"
        taken.add(ident)
        ids[file] = ident
    return ids


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


def _known(entries: list[IndexEntry], root: str) -> dict[str, tuple[str, str]]:
    """Each file's stable id (report_ids) and the digest of its bytes."""
    ids = report_ids([e.file for e in entries], root)
    return {e.file: (ids[e.file], e.digest or "") for e in entries}


_UNKNOWN = ("", "")  # no file, or one the index has no entry of: no id, no digest


def _keyed(unit: Unit, known: dict[str, tuple[str, str]], base: bytes, manifest: Optional[Manifest]) -> Unit:
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


def _handed_out(items: list[Unit]) -> Iterator[Unit]:
    """The items in order, each dropped from the list as it is taken: the plan does not hold
    both the units and their keyed copies (at 100,000 reports each takes some 30 MB)."""
    items.reverse()
    while items:
        yield items.pop()
