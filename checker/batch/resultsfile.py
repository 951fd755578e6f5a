"""results.jsonl: a batch's full results, one line per report, without repeated text.

The first line is a header: what produced the results (checker.provenance), the batch root the
report paths are relative to, and the rule catalogue (per rule its title, category, severity,
basis and message template). Each following line is one report: the object ``xxgk check
--format json`` gives for it, plus its stable ``id``, ``region`` and ``input`` key, written
compactly:

- a result leaves out what equals its rule's catalogue entry (title, category, severity, basis,
  template), a message that is only its status in words (通过, 不适用), and empty fields;
- evidence is listed once per report under ``evidence``, and what rules lacked (``missing``) once
  under ``absences``; results refer to them by index (the same sentence is often the evidence of
  several rules, the same blank cell what several rules lacked).

``expand`` restores the full object (schemas/results.schema.json) and ``read_results`` reads a
results file (plain or .gz) as full objects, so a consumer never sees the compact form.
"""
from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, fields
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Mapping, Optional

import msgspec

from ..messages import detail_message, result_message
from ..render.records import QUIET_STATUSES, SummaryRow, finding_of, summary_row
from ..render.results_json import json_params, report_fields, report_tail, result_tail
from ..model import Source
from ..results import Absence, Detail, Evidence, ReportResult, RuleResult

HEADER_KIND = "xxgk-batch-results"
VERSION = 2
RESULTS = "results.jsonl"
RESULTS_GZ = "results.jsonl.gz"
_CATALOGUED = ("title", "title_en", "category", "severity", "basis", "template")
_STATUS_ONLY = ("pass", "not_applicable", "not_assessable")


@dataclass(frozen=True)
class Header:
    provenance: Mapping[str, Any]
    root: str
    lang: str
    rules: Mapping[str, Mapping[str, Any]]  # rule id -> catalogue entry

    def as_dict(self) -> dict[str, Any]:
        return {"kind": HEADER_KIND, "version": VERSION, "provenance": dict(self.provenance), "root": self.root,
                "lang": self.lang, "rules": {k: dict(v) for k, v in self.rules.items()}}


def catalogue(pack: Any, profile: Any) -> dict[str, dict[str, Any]]:
    """Per rule of the run what every result of it repeats."""
    return {rule.id: {"title": rule.title, **({"title_en": rule.title_en} if rule.title_en else {}),
                      "category": rule.category,
                      "severity": profile.severity_of(rule.id, rule.severity), "basis": rule.basis,
                      "template": rule.message, **({"message_en": rule.message_en} if rule.message_en else {})}
            for rule in pack.rules if rule.enabled and profile.takes_part(rule.id)}


def _status_message(status: str, lang: str) -> str:
    bare = RuleResult(rule="", status=status, severity="info", category="", title="", template="",  # type: ignore[arg-type]
                      params={})
    return result_message(bare, lang)


class Compactor:
    """Turns full report objects into compact ones for one run (rules and language fixed)."""

    def __init__(self, rules: Mapping[str, Mapping[str, Any]], lang: str) -> None:
        self.rules = rules
        self.lang = lang
        self.entries = {rule: tuple(entry.get(key, _ABSENT) for key in _CATALOGUED_IN_ORDER)
                        for rule, entry in rules.items()}
        self.defaults = {status: _status_message(status, lang) for status in _STATUS_ONLY}

    def compact(self, report: Mapping[str, Any]) -> dict[str, Any]:
        evidence: list[Any] = []
        absences: list[Any] = []
        where: dict[Any, int] = {}
        lacked: dict[Any, int] = {}

        def listed(items: list[Any], into: list[Any], index: dict[Any, int]) -> list[int]:
            out = []
            for item in items:
                key = _key(item)
                if key not in index:
                    index[key] = len(into)
                    into.append(item)
                out.append(index[key])
            return out

        def refer(items: list[Any]) -> list[int]:
            return listed(items, evidence, where)

        def lacking(items: list[Any]) -> list[int]:
            return listed(items, absences, lacked)

        results = []
        for result in report.get("results", ()):
            entry = self.rules.get(result["rule"], {})
            out: dict[str, Any] = {}
            for key, value in result.items():
                if key in _CATALOGUED and key in entry and entry[key] == value:
                    continue
                if key == "message" and self.defaults.get(result["status"]) == value:
                    continue
                if key == "evidence":
                    if value:
                        out[key] = refer(value)
                    continue
                if key == "missing":
                    out[key] = lacking(value)
                    continue
                if key == "details":
                    out[key] = [_compact_detail(d, refer, lacking) for d in value]
                    continue
                if key in ("params", "points") and not value and value != 0:
                    continue
                out[key] = value
            results.append(out)
        compact = {k: v for k, v in report.items() if k != "results"}
        if evidence:
            compact["evidence"] = evidence
        if absences:
            compact["absences"] = absences
        compact["results"] = results
        return compact


    def report_line(self, report: ReportResult, messages_en: Mapping[str, str], **extra: Any) -> "Line":
        """``compact(report_dict(report) | extra)`` made from the result itself: each distinct
        evidence item and absence is written as a dict once, and a result leaves out what its
        catalogue entry says without building it first (a report repeats most of them)."""
        lang = self.lang
        evidence: list[Any] = []
        absences: list[Any] = []
        as_dicts: dict[int, dict[str, Any]] = {}  # by identity: one object, one dict
        ev_listing = _Listing(evidence, as_dicts, _evidence_entry)
        ab_listing = _Listing(absences, as_dicts, _absence_entry)
        # the lists of indices to fill, each with the items it refers to, in the order they are
        # met: listed in one pass at the end (each list's items looked up as it was made cost a
        # call and its setting up, some forty a report)
        cited: list[tuple[list[int], Any]] = []
        lacked: list[tuple[list[int], Any]] = []

        def lacking(items: Any) -> list[int]:
            refs: list[int] = []
            lacked.append((refs, items))
            return refs

        results = []
        failed: list[str] = []
        waived: list[str] = []
        findings = []  # records.finding_fields of the report, made from its results
        statuses = []  # each result's (rule, status)
        ident = str(extra.get("id") or report.source)
        said: dict[int, str] = {}  # the messages rendered, by their result's or detail's identity
        entries = self.entries
        defaults = self.defaults
        for result in report.results:
            held = getattr(result, "__dict__", ())
            if _IN_ORDER and len(held) == _RESULT_SIZE:
                # every field at once: a quick_init instance's fields are its __dict__, in their
                # order (frozen.quick_init, results.RuleResult)
                (rule, status, severity_is, category_is, title_is, template_is, params, items, details, basis_is,
                 points, title_en_is, cause, missing, reports, root, caused, waiver, _) = held.values()
            else:
                (rule, status, severity_is, category_is, title_is, template_is, params, items, details, basis_is,
                 points, title_en_is, cause, missing, reports, root, caused, waiver) = _RESULT_ATTRIBUTES(result)
            message_en = messages_en.get(rule, "")
            severity, category, title, template, basis, title_en = entries.get(rule, _NOT_CATALOGUED)
            # a rule that held or did not apply says so in words (the status's default message,
            # left out of the line), unless it has a template of its own
            quiet = status == "not_applicable" or (status == "pass" and not template_is)
            if not quiet:
                message = said[id(result)] = result_message(result, lang, message_en)
            out: dict[str, Any] = {"rule": rule, "status": status}
            if severity != severity_is:
                out["severity"] = severity_is
            if category != category_is:
                out["category"] = category_is
            if title != title_is:
                out["title"] = title_is
            if not quiet and defaults.get(status) != message:
                out["message"] = message
            if template != template_is:
                out["template"] = template_is
            if params and "trace" in params:
                params = json_params(params)
            if params:
                out["params"] = params
            if items:
                out["evidence"] = refs = []
                cited.append((refs, items))
            if basis != basis_is:
                out["basis"] = basis_is
            if points is not None:
                out["points"] = points
            if details:
                out["details"] = [_detail_line(d, lang, message_en, cited, lacked, said) for d in details]
            if title_en_is and title_en != title_en_is:
                out["title_en"] = title_en_is
            if status in _REASONED or cause is not None or missing or reports or root is not None or caused \
                    or waiver is not None:  # (most results have no tail)
                # the reason of a rule that could not judge is its message
                out = result_tail(result, lang, out, lacking, message if status in _REASONED else None)
            results.append(out)
            statuses.append((rule, status))
            if status not in QUIET_STATUSES:
                findings.append(finding_of(ident, result, message, lang))
                if status == "fail":
                    failed.append(rule)
                elif status == "waived":
                    waived.append(rule)
        ev_listing.fill(cited)
        ab_listing.fill(lacked)
        head = report_tail(report, report_fields(report))
        head.update(extra)
        line = dict(head)
        if evidence:
            line["evidence"] = evidence
        if absences:
            line["absences"] = absences
        line["results"] = results
        return Line(line=line, summary=summary_row(head, tuple(failed), tuple(waived)), findings=tuple(findings),
                    statuses=tuple(statuses), said=said)


@dataclass(frozen=True)
class Line:
    """A report's compact line, and what the batch's tables take of the report: its summary row
    (records.summary_row), its findings (records.finding_fields, each row as a tuple) and each
    result's rule and status."""

    line: dict[str, Any]
    summary: SummaryRow
    findings: tuple[tuple[str, ...], ...]
    statuses: tuple[tuple[str, str], ...]
    # the messages of the results that are not quiet and of the details, by the identity of
    # the result or detail: the report's page shows them again (html.report_fragment)
    said: Mapping[int, str]


# a result's fields the line writes before its tail (results_json.result_tail), in one call
_WRITTEN_FIRST = ("rule", "status", "severity", "category", "title", "template", "params", "evidence", "details",
                  "basis", "points", "title_en")
# and the fields of its tail (written when a result has one of them, or a reason)
_TAIL = ("cause", "missing", "reports", "root", "caused", "waiver")
_RESULT_ATTRIBUTES = attrgetter(*_WRITTEN_FIRST, *_TAIL)
# a result's fields in their order are these and the status a waived one had reached: read
# from its field dictionary's values, where a getter by name took twice as long (a class
# whose fields came to be in another order is read by name)
_IN_ORDER = tuple(f.name for f in fields(RuleResult)) == (*_WRITTEN_FIRST, *_TAIL, "waived_status")
_RESULT_SIZE = len(fields(RuleResult))
# statuses whose message is the reason the rule could not judge (messages.result_message)
_REASONED = ("not_assessable", "error")
_ABSENT = object()  # equal to no value: a result of a rule the catalogue lacks keeps all its fields
_CATALOGUED_IN_ORDER = ("severity", "category", "title", "template", "basis", "title_en")
_NOT_CATALOGUED = (_ABSENT,) * len(_CATALOGUED_IN_ORDER)


class _Listing:
    """Evidence items (or absences) listed once per report, referred to by index: items with
    equal dicts share one entry, as ``compact`` lists them. ``entry`` gives of an item what
    msgspec writes as its dict, a struct equal for equal dicts (None when it has none); an item
    that has none (a value that is not compared as it is written) is looked up by its dict's
    key, as ``compact`` does, and from then on so is every new item."""

    def __init__(self, into: list[Any], as_dicts: dict[int, dict[str, Any]],
                 entry: Callable[[Any, dict[int, Any]], Any]) -> None:
        self.into = into
        self.as_dicts = as_dicts
        self.entry = entry
        self.by_entry: dict[Any, int] = {}
        # the items of the report (alive while its line is made) by identity
        self.by_identity: dict[int, int] = {}
        self.by_key: Optional[dict[Any, int]] = None
        # what ``entry`` made of the positions of the report's items, by identity (a report's
        # items are at a third as many places as there are items)
        self.places: dict[int, Any] = {}

    def fill(self, cited: list[tuple[list[int], Any]]) -> None:
        """Each list of indices with those of its items, the lists in order."""
        by_identity, by_entry, entry, into, places = self.by_identity, self.by_entry, self.entry, self.into, self.places
        for out, items in cited:
            for item in items:
                index = by_identity.get(id(item))  # the same object again (a sentence several rules quote)
                if index is None:
                    written = entry(item, places)
                    if written is not None:
                        try:
                            if self.by_key is None:  # listed as it is written (hashed once: a struct's hash is not kept)
                                listed = len(into)
                                index = by_entry.setdefault(written, listed)
                                if index == listed:  # new
                                    into.append(written)
                            else:
                                index = by_entry.get(written)
                        except TypeError:  # an unhashable value inside
                            written = None
                    if index is None:
                        index = self._listed(item, written)
                    by_identity[id(item)] = index
                out.append(index)

    def _listed(self, item: Any, written: Any) -> int:
        as_dict = self.as_dicts[id(item)] = item.as_dict()
        if self.by_key is None:  # the listed items' dicts are all different
            self.by_key = {_key(_builtins(listed)): n for n, listed in enumerate(self.into)}
        key = _key(as_dict)
        index = self.by_key.get(key)
        if index is None:
            index = self.by_key[key] = len(self.into)
            self.into.append(as_dict)
        if written is not None:
            self.by_entry[written] = index
        return index


def _builtins(listed: Any) -> Any:
    """A listed entry as the dict it writes."""
    return listed if type(listed) is dict else msgspec.to_builtins(listed, builtin_types=(Decimal,))


# Evidence.as_dict as msgspec writes it: the fields set, in its order (a cell's value and kind
# even when None), its position (a Source) nested. Made and compared in C where a dict and a
# tuple of its fields took a tenth of a report's line; equal exactly when the dicts are equal.
_Where = msgspec.defstruct("_Where", [(f.name, Any, None) for f in fields(Source)], frozen=True,
                           omit_defaults=True)
# what Evidence.as_dict writes of every item, in its order
_WRITTEN = ("kind", "text", "table", "row", "col", "role", "origin", "file", "label")
_OPTIONAL = [(name, Any, None) for name in _WRITTEN[2:]]
# an item that is not a cell (a quote, a label, a note)
_Noted = msgspec.defstruct("_Noted", [("kind", str), ("text", str), *_OPTIONAL, ("where", Any, None)],
                           frozen=True, omit_defaults=True)
# a cell: its value and kind written even when None (UNSET, left out, is no value an item holds)
_Cell = msgspec.defstruct("_Cell", [("kind", str), ("text", str), *_OPTIONAL, ("value", Any, msgspec.UNSET),
                                    ("cell_kind", Any, msgspec.UNSET), ("where", Any, None)],
                          frozen=True, omit_defaults=True)


def _evidence_entry(item: Evidence, places: dict[int, Any]) -> Any:
    """What Evidence.as_dict writes of the item, as a _Noted or _Cell (None: a value not compared
    as it is written, or a position that is not a Source)."""
    held = item.__dict__  # read at once
    where = held["where"]
    if where is not None:
        if type(where) is not Source:
            return None
        place = places.get(id(where))
        if place is None:  # (a Source's own hash and equality are Python code)
            place = places[id(where)] = _Where(*where.__dict__.values())
        where = place
    # each field by its own subscript, in _WRITTEN's order: a getter of all nine and the call made from its tuple
    # took three times as long
    kind = held["kind"]
    if kind != "cell":
        return _Noted(kind, held["text"], held["table"], held["row"], held["col"], held["role"], held["origin"],
                      held["file"], held["label"], where)
    value = held["value"]
    if type(value) not in _AS_THEY_ARE:
        return None
    return _Cell(kind, held["text"], held["table"], held["row"], held["col"], held["role"], held["origin"],
                 held["file"], held["label"], value, held["cell_kind"], where)


class _Absent(msgspec.Struct, frozen=True):
    """What Absence.as_dict writes: its file and the input it is within only when they say
    something (UNSET is left out)."""

    key: str
    state: str
    cause: str
    label: str
    file: Any = msgspec.UNSET
    within: Any = msgspec.UNSET


def _absence_entry(item: Absence, places: dict[int, Any]) -> Any:
    return _Absent(item.key, item.state, item.cause, item.label, item.file or msgspec.UNSET,
                   item.within if item.within and item.within != item.key else msgspec.UNSET)


def _detail_line(detail: Detail, lang: str, message_en: str, cited: list[tuple[list[int], Any]],
                 lacked: list[tuple[list[int], Any]], said: dict[int, str]) -> dict[str, Any]:
    """A detail as the line writes it; the indices of its evidence and absences are filled in
    at the end of the line (cited, lacked)."""
    message = said[id(detail)] = detail_message(detail, lang, message_en)
    params = detail.params
    if type(params) is not dict or "trace" in params:  # (a dict without a trace is written as it is)
        params = json_params(params)
    out = {"item": detail.item, "status": detail.status, "message": message, "params": params}
    if detail.evidence:
        out["evidence"] = refs = []
        cited.append((refs, detail.evidence))
    if detail.missing:
        out["missing"] = refs = []
        lacked.append((refs, detail.missing))
    return out


def _compact_detail(detail: Mapping[str, Any], refer: Any, lacking: Any) -> dict[str, Any]:
    out = {k: v for k, v in detail.items() if k not in ("evidence", "missing")}
    if detail.get("evidence"):
        out["evidence"] = refer(detail["evidence"])
    if detail.get("missing"):
        out["missing"] = lacking(detail["missing"])
    return out


def _key(item: Mapping[str, Any]) -> Any:
    try:
        key = tuple(item.items())
        hash(key)
        return key
    except TypeError:  # a mapping or a list among the values (an evidence item's "where")
        return _frozen(item)


def _frozen(value: Any) -> Any:
    """A mapping or list as nested tuples, compared as a flat item's items are (a third of the
    time of writing it as JSON, which every evidence item with a position took)."""
    kind = type(value)
    if kind in _AS_THEY_ARE:  # most values: decided without isinstance on typing's ABCs
        return value
    if kind is dict or isinstance(value, Mapping):
        return tuple([(k, v if type(v) in _AS_THEY_ARE else _frozen(v)) for k, v in value.items()])
    if kind is list or kind is tuple or isinstance(value, (list, tuple)):
        return ("[", *[_frozen(v) for v in value])
    return value


_AS_THEY_ARE = frozenset({str, int, type(None), Decimal, bool})


def expand(line: Mapping[str, Any], header: Header) -> dict[str, Any]:
    """The full report object (as ``xxgk check --format json`` writes it) of a compact line."""
    evidence = line.get("evidence", [])
    absences = line.get("absences", [])
    defaults = {status: _status_message(status, header.lang) for status in _STATUS_ONLY}
    results = []
    for result in line.get("results", ()):
        entry = header.rules.get(result["rule"], {})
        status = result["status"]
        full: dict[str, Any] = {
            "rule": result["rule"], "status": status,
            "severity": result.get("severity", entry.get("severity")),
            "category": result.get("category", entry.get("category")),
            "title": result.get("title", entry.get("title")),
            "message": result.get("message", defaults.get(status, "")),
            "template": result.get("template", entry.get("template", "")),
            "params": result.get("params", {}),
            "evidence": [evidence[i] for i in result.get("evidence", ())],
            "basis": result.get("basis", entry.get("basis", "")),
            "points": result.get("points"),
        }
        if "details" in result:
            full["details"] = [_expand_detail(d, evidence, absences) for d in result["details"]]
        if "title_en" in entry or "title_en" in result:
            full["title_en"] = result.get("title_en", entry.get("title_en"))
        if "missing" in result:
            full["missing"] = [absences[i] for i in result["missing"]]
        # what else a result carries (cause, reason, root, caused, reports...) passes through
        full.update({k: v for k, v in result.items() if k not in full and k != "details"})
        results.append(full)
    out = {k: v for k, v in line.items() if k not in ("evidence", "absences", "results")}
    out["results"] = results
    return out


def _expand_detail(detail: Mapping[str, Any], evidence: list[Any], absences: list[Any]) -> dict[str, Any]:
    out = {"item": detail.get("item"), "status": detail["status"], "message": detail.get("message", ""),
           "params": detail.get("params", {}), "evidence": [evidence[i] for i in detail.get("evidence", ())]}
    if "missing" in detail:
        out["missing"] = [absences[i] for i in detail["missing"]]
    return out


# ---------------------------------------------------------------------- reading


def results_path(folder: str | os.PathLike[str]) -> Optional[Path]:
    """The results file of an output folder: results.jsonl or results.jsonl.gz."""
    for name in (RESULTS, RESULTS_GZ):
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


def open_results(path: str | os.PathLike[str]) -> IO[str]:
    if str(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def parse_line(text: str) -> dict[str, Any]:
    return json.loads(text, parse_float=Decimal)


def read_header(stream: IO[str]) -> Optional[Header]:
    first = stream.readline()
    if not first.strip():
        return None
    data = parse_line(first)
    if data.get("kind") != HEADER_KIND:
        raise ValueError("not a batch results file (its first line is no header)")
    return Header(provenance=data.get("provenance", {}), root=data.get("root", ""), lang=data.get("lang", "zh"),
                  rules=data.get("rules", {}))


def read_results(path: str | os.PathLike[str]) -> tuple[Optional[Header], Iterator[dict[str, Any]]]:
    """The header and the full report objects of a results file, read lazily (a 100,000-report
    file is never held in memory). A last line cut off by an interruption is skipped."""
    stream = open_results(path)
    try:
        header = read_header(stream)
    except BaseException:
        stream.close()
        raise

    def reports() -> Iterator[dict[str, Any]]:
        with stream:
            if header is None:
                return
            for text in stream:
                if not text.endswith("\n"):
                    return
                yield expand(parse_line(text), header)
    return header, reports()
