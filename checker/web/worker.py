"""What runs in each checking process of the workspace: the rule pack is compiled once per
process (``start``), then ``check`` reads a stored file, puts the manifest's facts in, checks it
(with last year's report of the same agency when there is one) and returns the result and the
three tables as read. A file that cannot be read becomes its error result, never an exception."""
from __future__ import annotations

import posixpath
import signal
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any, Optional

from .. import limits
from ..batch.manifest import ManifestRow, apply_row
from ..batch.fingerprint import Fingerprint, report_fingerprint
# the rule options a worker compiles, as the batch's workers take them
from ..batch.worker import PeerRule, Settings, internal_error, peer_rule, setup as compile_settings, worker_session
from ..engine.pack import RulePack
from ..engine.runner import Comparison, check_report, error_result
from ..engine.scoring import Profile
from ..engine.waivers import Waiver, apply_waivers
from ..errors import ReadError
from ..extract import extract
from ..messages import unchecked
from ..model import Report
from ..provenance import run_date
from ..readers import read_document
from ..readers.bounds import read_file
from ..render.report_json import table_to_dict
from ..results import ReportResult
from ..store.ingest import Prepared, prepare

@dataclass(frozen=True)
class Task:
    file_hash: str
    path: str  # the stored file (a path the store made from the content hash)
    name: str  # the name it was delivered under: the report's source
    facts: Optional[ManifestRow] = None  # what a manifest said about it
    previous: Optional[tuple[str, str]] = None  # last year's report: (stored path, name)
    # other agencies' reports of the same year it may copy or be copied by (DUP-004): (stored
    # path, name, the facts a manifest gave)
    peers: tuple[tuple[str, str, Optional[ManifestRow]], ...] = ()


@dataclass(frozen=True)
class Checked:
    """A checked report, encoded here for the store: the server's thread only writes it."""

    task: Task
    prepared: Prepared

    @property
    def result(self) -> ReportResult:
        return self.prepared.result


def checked(task: Task, result: ReportResult, tables: Optional[dict[str, Any]] = None,
            copy_print: Optional[Fingerprint] = None) -> Checked:
    return Checked(task, prepare(task.file_hash, task.name, result, tables, copy_print=copy_print))


_COMPILED: Optional[tuple[RulePack, Profile]] = None
_PEER_RULE: Optional[PeerRule] = None
# reports of other agencies kept parsed: the same few recur as peers of a year's copies
_PEERS: "OrderedDict[str, Optional[Report]]" = OrderedDict()
_PEERS_KEPT = 16
_WAIVERS: tuple[Waiver, ...] = ()  # the waivers file of the settings, rebased on UPLOAD_ROOT
_LANG = "zh"
# What a waiver's file globs are matched against: a delivered report's name is relative to the
# upload's folder (or to a batch's root), which stands where the waivers file's folder stands
# for a batch. A fixed absolute folder that no file is read from.
UPLOAD_ROOT = "/xxgk-upload"


def start(settings: Settings, compiled: Optional[tuple[RulePack, Profile]] = None) -> None:
    global _COMPILED, _WAIVERS, _LANG, _PEER_RULE
    _COMPILED = compiled or compile_settings(settings)
    _PEER_RULE = peer_rule(*_COMPILED)
    _PEERS.clear()
    _LANG = settings.lang
    session = worker_session(settings) if settings.waivers else None
    kept = session.waivers.waivers if session is not None and session.waivers is not None else ()
    _WAIVERS = tuple(replace(w, base=UPLOAD_ROOT) for w in kept)


def waive(result: ReportResult, name: str, profile: Profile) -> ReportResult:
    """The waivers of the settings applied to a delivered report known by ``name``: by agency,
    year and file glob, as a batch applies them to the files under its root."""
    if not _WAIVERS:
        return result
    located = replace(result, source=posixpath.join(UPLOAD_ROOT, name))
    return replace(apply_waivers(located, _WAIVERS, profile, today=run_date()), source=result.source)


def start_worker(settings: Settings) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's to handle
    if settings.limits is not None:  # the server's, not those of the process it was forked from
        limits.set_current(settings.limits)
    start(settings)


def _read(path: str, name: str, facts: Optional[ManifestRow], pack: RulePack) -> Report:
    report = extract(read_document(name, read_file(path, limits.current().bytes_of("file_mb"))), pack.fmt)
    return apply_row(report, facts)


def check(task: Task) -> Checked:
    assert _COMPILED is not None, "start() first"
    pack, profile = _COMPILED
    try:
        report = _read(task.path, task.name, task.facts, pack)
    except ReadError as exc:
        return checked(task, error_result(task.name, exc.reason, profile))
    except Exception as exc:  # the parser's bug: this report's error, not the run's end
        return checked(task, error_result(task.name, unchecked("checker_failed", _LANG), profile,
                                          detail=internal_error(exc)))
    if "no_report" in report.flags:
        return checked(task, error_result(task.name, unchecked("no_report", _LANG), profile, reader=report.reader))
    previous = None
    if task.previous is not None:
        try:
            previous = _read(task.previous[0], task.previous[1], None, pack)
        except Exception:  # last year's file unreadable: the cross-year rules stay not applicable
            previous = None
    peers = tuple(p for p in (_peer(path, name, facts, pack) for path, name, facts in task.peers) if p is not None)
    try:
        result = waive(check_report(report, pack, profile, Comparison(previous=previous, peers=peers)), task.name,
                       profile)
    except Exception as exc:
        return checked(task, error_result(task.name, unchecked("checker_failed", _LANG), profile, reader=report.reader,
                                          detail=internal_error(exc)))
    copy_print = report_fingerprint(report, _PEER_RULE.scope) if _PEER_RULE is not None else None
    return checked(task, result, tables_of(report, pack), copy_print)


def _peer(path: str, name: str, facts: Optional[ManifestRow], pack: RulePack) -> Optional[Report]:
    """Another agency's report, parsed once for the few reports it is a peer of; None when it
    cannot be read (it is then simply no peer)."""
    if path in _PEERS:
        _PEERS.move_to_end(path)
        return _PEERS[path]
    try:
        report: Optional[Report] = _read(path, name, facts, pack)
    except Exception:
        report = None
    _PEERS[path] = report
    if len(_PEERS) > _PEERS_KEPT:
        _PEERS.popitem(last=False)
    return report


def tables_of(report: Report, pack: RulePack) -> dict[str, Any]:
    return {spec.key: table_to_dict(report.tables.get(spec.key), spec) for spec in pack.fmt.tables}


def read_tables(path: str, name: str) -> Optional[dict[str, Any]]:
    """The tables of a stored file, read again (reports imported from a batch's results)."""
    assert _COMPILED is not None, "start() first"
    pack = _COMPILED[0]
    try:
        return tables_of(_read(path, name, None, pack), pack)
    except Exception:
        return None
