"""What runs in each worker process. ``start`` compiles the rule pack once per process; then
``index_file`` (first pass: read a file, return its IndexEntry) and ``check_unit`` (second pass:
check one agency's reports, return one Checked per report) run file after file.

Nothing here raises for a bad file: a file that cannot be read becomes an error row with its
reason, and an unexpected exception while checking one becomes that report's error row too."""
from __future__ import annotations

import argparse
import gc
import hashlib
import os
import pickle
import signal
import zlib
from collections import OrderedDict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Mapping, Optional

from .. import limits
from ..limits import Limits
from ..engine.pack import RulePack
from ..engine.runner import Comparison, check_report, error_result, make_view
from ..engine.scoring import Profile
from ..errors import ReadError
from ..messages import unchecked
from ..extract import extract
from ..frozen import evolve
from ..outpaths import write_plain
from ..model import Document, Report
from ..readers import read_document
from ..readers.bounds import admit
from ..render.html import page_around, report_fragment
from ..render.provenance import provenance_footer
from ..render.records import SpooledFindings, SummaryRow
from ..results import ReportResult
from ..session import Session, open_session
from ..textnorm import squash
from .discovery import file_key, shown_relative
from .fingerprint import Fingerprint, index_parts, report_fingerprint
from .jsonl import line_bytes
from .manifest import Manifest, apply_row
from .names import NameIndex
from .pairing import IndexEntry, Member, Unit
from .resultsfile import Compactor, catalogue

# what JSON keeps of a worker process that died on a file (its row says so in plain words)
WORKER_DIED = "the worker process died"


def internal_error(exc: BaseException) -> str:
    """What went wrong when the checker failed on one file (never the report's fault): kept in
    JSON as ``error_detail``; the outputs for people say it in plain words (unchecked())."""
    return f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be checked: the reason, and for the checker's own failure what
    went wrong."""

    reason: str
    detail: Optional[str] = None
# how many reports of other agencies a worker keeps parsed for DUP-004 (they recur as peers)
_PEER_CACHE = 16
# at most this many other agencies named in a report are added as its peers
_NAMED_PEERS = 2


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to set itself up; picklable, sent once per process."""

    rules: tuple[str, ...] = ()
    spec: str = "gov-2021"
    profile: str = "default"
    select: Optional[str] = None
    ignore: Optional[str] = None
    manifest: Optional[Manifest] = None
    lang: str = "zh"
    # a folder for documents the first pass read and the second needs again (see _Worker.index)
    scratch: Optional[str] = None
    root: str = "."  # file paths in the outputs are relative to it
    pages: Optional[str] = None  # the folder each report's page is written into (reports/)
    fragments: bool = True  # send each report's drill-down back (index.html holds them inline)
    extend_rules: tuple[str, ...] = ()
    waivers: Optional[str] = None
    config: Optional[str] = None  # the project configuration the parent resolved its settings from
    provenance: Optional[Mapping[str, Any]] = None  # the run's (Provenance.as_dict()): each page's footer
    # the parent's reading limits: a worker forked from a server started earlier (forkserver)
    # has that server's environment, not the run's
    limits: Optional[Limits] = None


@dataclass(frozen=True)
class Checked:
    """One checked report, as the parent needs it: its results.jsonl line, its drill-down
    fragment for index.html (empty when the pages are not inlined), its summary row, the status
    of each rule and its findings for the workbook. Its page is written by the worker."""

    line: bytes  # UTF-8, without its line end
    fragment: bytes  # UTF-8
    row: SummaryRow
    statuses: tuple[tuple[str, str], ...]
    findings: bytes = b""  # spooled_findings(): the parent writes them into the workbook's rows


@dataclass(frozen=True)
class PeerRule:
    """The rule that compares a report with other agencies' (DUP-004): its text scope and
    threshold decide what the first pass fingerprints and which pairs are candidates."""

    scope: Any
    threshold: Decimal


@dataclass(frozen=True)
class CheckTask:
    """A unit of the second pass, with the file holding the agency names of the batch (written
    once by the parent, read once per worker)."""

    unit: Unit
    names_file: Optional[str] = None


def setup(settings: Settings) -> tuple[RulePack, Profile]:
    session = worker_session(settings)
    return session.pack, session.profile


_SESSIONS: dict[tuple[Any, ...], Session] = {}


def worker_session(settings: Settings) -> Session:
    """The rule pack, profile and waivers of the batch, compiled once per process."""
    key = (settings.rules, settings.spec, settings.profile, settings.select, settings.ignore,
           settings.extend_rules, settings.waivers, settings.config)
    if key not in _SESSIONS:
        _SESSIONS[key] = open_session(argparse.Namespace(
            rules=list(settings.rules), spec=settings.spec, profile=settings.profile, select=settings.select,
            ignore=settings.ignore, extend_rules=list(settings.extend_rules), waivers=settings.waivers,
            config=settings.config))
    return _SESSIONS[key]


class _Worker:
    def __init__(self, settings: Settings, compiled: Optional[tuple[RulePack, Profile]] = None) -> None:
        self.settings = settings
        self.pack, self.profile = compiled or setup(settings)
        self.waive = worker_session(settings).apply_waivers
        self.messages_en = {r.id: r.message_en for r in self.pack.rules if r.message_en}
        self.compactor = Compactor(catalogue(self.pack, self.profile), settings.lang)
        self.peer_rule = peer_rule(self.pack, self.profile)
        self.names: Optional[NameIndex] = None
        self.names_file: Optional[str] = None
        self.peer_cache: OrderedDict[str, Optional[Report]] = OrderedDict()
        # the format with no tables: what the first pass needs (meta, paragraphs) at a quarter of
        # the cost of a full extraction
        self.without_tables = replace(self.pack.fmt, tables=())
        # and of the parts without tables only those it needs (the metadata, the fingerprint)
        self.index_parts = index_parts(self.peer_rule.scope if self.peer_rule is not None else ())

    def load_names(self, names_file: Optional[str]) -> None:
        if names_file == self.names_file:
            return
        if self.names is not None:
            self.names.close()
        self.names = NameIndex(names_file) if names_file is not None else None
        self.names_file = names_file

    # ------------------------------------------------------------------ reading

    def read(self, file: str) -> Report:
        """Parse a file (or the document the first pass kept of it) and put the manifest's
        values in; ReadError when it cannot be read."""
        document = self.kept_document(file)
        if document is None:
            document = read_document(file)
        return self.with_manifest(file, extract(document, self.pack.fmt))

    def with_manifest(self, file: str, report: Report) -> Report:
        manifest = self.settings.manifest
        return apply_row(report, manifest.row(file_key(file)) if manifest else None, self.pack.fmt)

    def kept_document(self, file: str) -> Optional[Document]:
        """The document the first pass kept of the file, if it kept one (not for plain text)."""
        kept = self.kept(file)
        if kept is None:
            return None
        try:
            with open(kept, "rb") as stream:
                return pickle.loads(zlib.decompress(stream.read()))
        except FileNotFoundError:
            return None

    def kept(self, file: str) -> Optional[str]:
        if self.settings.scratch is None:
            return None
        name = hashlib.blake2b(os.fsencode(file_key(file)), digest_size=16).hexdigest()
        return os.path.join(self.settings.scratch, name + ".document")

    def peer(self, file: str) -> Optional[Report]:
        if file in self.peer_cache:
            self.peer_cache.move_to_end(file)
            return self.peer_cache[file]
        try:
            report: Optional[Report] = self.read(file)
        except Exception:  # a peer that cannot be read is simply no peer
            report = None
        self.peer_cache[file] = report
        if len(self.peer_cache) > _PEER_CACHE:
            self.peer_cache.popitem(last=False)
        return report

    # ------------------------------------------------------------------ pass 1

    def index(self, file: str) -> IndexEntry:
        """Read the file and learn what planning needs: agency, kind, year, fingerprint. The
        tables are left for the second pass (the extractor without them is four times
        faster), and a document that was slow to read (anything but plain text: PDF, Word,
        HTML take 10-200 ms) is kept in the scratch folder so the second pass does not read
        it again."""
        manifest = self.settings.manifest
        row = manifest.row(file_key(file)) if manifest else None
        if row is not None and not os.path.isfile(file):
            return IndexEntry(file=file, agency=row.agency, kind=row.kind, year=row.year,
                              error=unchecked("not_found", self.settings.lang))
        try:
            admitted = admit(file, limits.current().bytes_of("file_mb"))
        except ReadError as exc:  # over the size limit, or no regular file: refused unread
            return IndexEntry(file=file, error=exc.reason, digest=refused_digest(file))
        digest = file_digest(file, admitted.st_size)
        try:
            document = read_document(file)
            report = self.with_manifest(file, extract(document, self.without_tables, self.index_parts))
        except ReadError as exc:
            return IndexEntry(file=file, error=exc.reason, digest=digest)
        except Exception as exc:  # the parser's bug, not the batch's end
            return IndexEntry(file=file, error=unchecked("checker_failed", self.settings.lang),
                              error_detail=internal_error(exc), digest=digest)
        kept = self.kept(file) if document.reader != "text" else None
        if kept is not None:
            with open(kept, "wb") as stream:
                stream.write(zlib.compress(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL), 1))
        meta = report.meta
        return IndexEntry(file=file, agency=meta.agency, kind=meta.agency_kind, year=meta.year,
                          fingerprint=self.fingerprint(report), digest=digest)

    def fingerprint(self, report: Report) -> Optional[Fingerprint]:
        """Of the text DUP-004 compares (its scope's paragraphs), when the run has DUP-004."""
        return report_fingerprint(report, self.peer_rule.scope) if self.peer_rule is not None else None

    # ------------------------------------------------------------------ pass 2

    def check(self, task: CheckTask) -> list[Checked]:
        self.load_names(task.names_file)
        unit = task.unit
        if unit.error is not None:
            return [self.finish(self.unreadable(m.file, unit.error, detail=unit.error_detail), m)
                    for m in unit.members]
        parsed: dict[str, Report | Unreadable] = {}
        for member in unit.members:
            if member.file in unit.done and not any(m.previous == member.file and m.file not in unit.done
                                                    for m in unit.members):
                continue
            try:
                parsed[member.file] = self.read(member.file)
            except ReadError as exc:
                parsed[member.file] = Unreadable(exc.reason)
            except Exception as exc:
                parsed[member.file] = Unreadable(unchecked("checker_failed", self.settings.lang), internal_error(exc))
        return [self.finish(self.check_member(member, parsed), member) for member in unit.members
                if member.file not in unit.done]

    def unreadable(self, file: str, reason: str, reader: str = "", detail: Optional[str] = None) -> ReportResult:
        return unreadable_result(file, reason, self.profile, self.settings.manifest, reader, detail)

    def check_member(self, member: Member, parsed: Mapping[str, Report | Unreadable]) -> ReportResult:
        report = parsed[member.file]
        if isinstance(report, Unreadable):
            return self.unreadable(member.file, report.reason, detail=report.detail)
        if "no_report" in report.flags:
            return self.unreadable(member.file, unchecked("no_report", self.settings.lang), reader=report.reader)
        try:
            previous = parsed.get(member.previous) if member.previous else None
            peers = [p for p in (self.peer(f) for f in member.peers + self.named_peers(report, member)) if p]
            comparison = Comparison(previous=previous if isinstance(previous, Report) else None,
                                    peers=tuple(peers))
            return self.waive(check_report(report, self.pack, self.profile, comparison))
        except Exception as exc:  # the engine catches rule crashes; anything else is still one row
            return self.unreadable(member.file, unchecked("checker_failed", self.settings.lang), reader=report.reader,
                                   detail=internal_error(exc))

    def named_peers(self, report: Report, member: Member) -> tuple[str, ...]:
        """Other agencies of the same year whose name the report uses more often than its
        own: maybe a copy with the reporter's name left in (DUP-004 decides)."""
        if self.peer_rule is None or self.names is None or report.meta.year not in self.names.years:
            return ()
        own = squash(report.meta.agency or "")
        if not own:
            return ()
        flat = "\n".join(squash(p.text) for p in report.paragraphs if p.part is not None)
        hits = [(name, file) for name, file in self.names.named_in(report.meta.year, flat)
                if file != member.file and file not in member.peers and name not in own and own not in name]
        if not hits:
            return ()
        sentences = make_view(report, self.pack.fmt).sentences("narrative")
        own_count = sum(1 for s in sentences if own in s.flat)
        found = [file for name, file in hits if sum(1 for s in sentences if name in s.flat) > own_count]
        return tuple(found[:_NAMED_PEERS])

    def finish(self, result: ReportResult, member: Member) -> Checked:
        row = self.settings.manifest.row(file_key(member.file)) if self.settings.manifest else None
        return checked(result, member, self.settings, self.messages_en, self.compactor,
                       region=row.region if row is not None else None)


def checked(result: ReportResult, member: Member, settings: Settings, messages_en: Mapping[str, str],
            compactor: Compactor, region: Optional[str] = None) -> Checked:
    """Everything the outputs need of one report; its page is written here, in the worker."""
    result = evolve(result, source=shown_relative(member.file, settings.root))
    compacted = compactor.report_line(result, messages_en, id=member.id, region=region, input=member.key)
    # the drill-down encoded once: the page is written from it, and the index takes it as it is
    # (sent as text, it was encoded again to be sent, decoded, and encoded into the index's spool)
    fragment = report_fragment(result, settings.lang, messages_en, said=compacted.said).encode("utf-8")
    if settings.pages is not None:
        before, after = page_around(result, settings.lang, stylesheet="style.css",
                                    back=f"../index.html#report-{member.id}", footer=run_footer(settings))
        write_plain(os.path.join(settings.pages, f"{member.id}.html"),
                   b"".join((before.encode("utf-8"), fragment, after.encode("utf-8"))))
    return Checked(line=line_bytes(compacted.line), fragment=fragment if settings.fragments else b"",
                   row=compacted.summary, statuses=compacted.statuses,
                   findings=spooled_findings(member.id, compacted.findings))


# the settings of the pages written last and their footer (the run's provenance: the same on
# every page); the settings are held, so they are never another's that took their identity
_FOOTER: list[Any] = [None, ""]


def run_footer(settings: Settings) -> str:
    if _FOOTER[0] is not settings:
        _FOOTER[:] = [settings, provenance_footer(settings.provenance, settings.lang) if settings.provenance else ""]
    return _FOOTER[1]


def spooled_findings(ident: str, findings: tuple[tuple[str, ...], ...]) -> bytes:
    """A report's findings (records.finding_fields), pickled: unpickled, ``(ident, tuple of
    FindingRow)``, the rows made in one call (SpooledFindings); empty when there are none."""
    return pickle.dumps((ident, SpooledFindings(findings)), protocol=pickle.HIGHEST_PROTOCOL) if findings else b""


def file_digest(file: str, size: int) -> Optional[str]:
    """A hash of the file's bytes, of at most ``size`` and one more (the size it was admitted
    at: a file that grew since is refused by its reader); None when it cannot be opened."""
    digest = hashlib.blake2b(digest_size=16)
    left = size + 1
    try:
        with open(file, "rb") as stream:
            while left > 0 and (chunk := stream.read(min(1 << 20, left))):
                digest.update(chunk)
                left -= len(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def refused_digest(file: str) -> Optional[str]:
    """What stands for the bytes of a file refused unread (too large, not a regular file): its
    size and time of change, so --resume checks it again once it changes."""
    try:
        info = os.stat(file)
    except OSError:
        return None
    return f"unread:{info.st_size}:{info.st_mtime_ns}"


def peer_rule(pack: RulePack, profile: Profile) -> Optional[PeerRule]:
    """The enabled similarity rule against other agencies' reports, if the run has one."""
    for rule in pack.rules:
        if rule.kind == "similarity" and rule.options.get("against") == "peers" and rule.enabled \
                and profile.takes_part(rule.id):
            return PeerRule(scope=rule.options["scope"], threshold=rule.options["threshold"])
    return None


# ---------------------------------------------------------------------- the process's entry points

_WORKER: Optional[_Worker] = None


def start(settings: Settings, compiled: Optional[tuple[RulePack, Profile]] = None) -> None:
    """Set up this process. ``compiled`` is for running in the parent process (``--jobs 1``),
    which has compiled the pack already."""
    global _WORKER
    _WORKER = _Worker(settings, compiled)


def start_worker(settings: Settings, parent: Optional[int] = None) -> None:
    """The pool's initializer. Ctrl-C is the parent's to handle: it stops the pool and keeps
    what was written; a worker dying of it on its own would look like a crash. A worker never
    outlives the batch: it dies with the process that forked it (the pool's server), and
    watches the batch's main process too."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    if settings.limits is not None:
        limits.set_current(settings.limits)
    start(settings)
    # The compiled pack and the modules live as long as the worker: kept out of the cyclic
    # collector's scans, and young objects collected less often (a report makes tens of
    # thousands): the collector took a millisecond of every report, about a tenth.
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def die_with_parent(parent: Optional[int]) -> None:
    """Linux's parent-death signal for the process that forked this one, and a watcher thread
    for ``parent`` (the batch's main process, which is not the forking one under forkserver)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass
    if parent is None:
        return
    import threading
    import time

    proc = os.path.exists("/proc/self/stat")

    def gone() -> bool:
        if proc:
            try:
                with open(f"/proc/{parent}/stat", "rb") as stat:
                    return stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"  # a zombie is dead too
            except OSError:
                return True
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False

    def watch() -> None:
        while not gone():
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, name="xxgk-parent-watch", daemon=True).start()


def index_file(file: str) -> IndexEntry:
    assert _WORKER is not None, "start() first"
    return _WORKER.index(file)


def check_unit(task: CheckTask) -> list[Checked]:
    assert _WORKER is not None, "start() first"
    return _WORKER.check(task)


def crashed_file(file: str, lang: str = "zh") -> IndexEntry:
    return IndexEntry(file=file, error=unchecked("worker_died", lang), error_detail=WORKER_DIED)


def crash_rows(task: CheckTask, settings: Settings, compiled: tuple[RulePack, Profile]) -> list[Checked]:
    """The rows of a unit whose worker died (made in the parent)."""
    pack, profile = compiled
    reason = unchecked("worker_died", settings.lang)
    compactor = Compactor(catalogue(pack, profile), settings.lang)
    out = []
    for member in task.unit.members:
        if member.file in task.unit.done:
            continue
        result = unreadable_result(member.file, reason, profile, settings.manifest, detail=WORKER_DIED)
        row = settings.manifest.row(file_key(member.file)) if settings.manifest else None
        out.append(checked(result, member, settings, {}, compactor, region=row.region if row else None))
    return out


def unreadable_result(file: str, reason: str, profile: Profile, manifest: Optional[Manifest],
                      reader: str = "", detail: Optional[str] = None) -> ReportResult:
    """The row of a file that could not be checked; it keeps what the manifest says of it
    (whose report, which year), so it is listed under its agency in every output."""
    result = error_result(file, reason, profile, reader=reader, detail=detail)
    row = manifest.row(file_key(file)) if manifest else None
    return replace(result, meta=row.facts()) if row is not None else result
