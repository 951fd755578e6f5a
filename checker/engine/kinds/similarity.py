"""Kind `similarity`: how much of the report's text (the parts in `scope`) is reused from the
same agency's previous report (`against = "previous"`) or from another agency's report of the
same batch (`against = "peers"`). Reports the share and, as evidence, the longest runs of
sentences the two reports share, quoted as written; with `check_names`, also flags another
agency's name used as if it were the reporter."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Mapping, Optional

from ..context import ReportView, Sentence
from ..evaluation import RuleRun
from ..inputs import UNKNOWN, scope_absences
from ...messages import phrase
from ...results import Evidence
from ...similarity import containment, shared_passages, shingles_of_each
from ...textnorm import squash
from . import Outcome, kind


def prepare(data: Mapping[str, Any], compiler: Any) -> dict[str, Any]:
    return {"against": data["against"], "scope": data["scope"], "threshold": Decimal(str(data["threshold"])),
            "check_names": bool(data.get("check_names", False))}


@dataclass(frozen=True)
class Shingled:
    """A scope of one report, shingled sentence by sentence (computed once per report and scope,
    kept with the report: DUP-001 and DUP-002 read the same, and so does the next year's
    report comparing itself with it)."""

    sentences: tuple[Sentence, ...]
    per_sentence: tuple[set[int], ...]
    lengths: tuple[int, ...]
    all: frozenset[int]


def shingled(view: ReportView, scope: Any, known: dict[str, set[int]]) -> Shingled:
    """``known``: the shingles of each sentence text met so far in this check (read, not
    changed): part 5 alone (DUP-003) is in parts 1, 5 and 6 (DUP-001), and a report copied from
    last year's repeats many of its sentences."""
    key = ("similarity", scope if isinstance(scope, str) else tuple(scope))
    memo = view.text_memo
    if key not in memo:
        sentences = tuple(view.sentences(scope))
        flats = [s.flat for s in sentences]
        new = [flat for flat in dict.fromkeys(flats) if flat not in known]
        if new:  # the sentences not met yet, shingled together
            known.update(zip(new, shingles_of_each(new)))
        per_sentence = tuple(known[flat] for flat in flats)
        memo[key] = Shingled(sentences, per_sentence, tuple(map(len, flats)), frozenset().union(*per_sentence))
    return memo[key]


def _percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def _empty(status: str, threshold: Decimal) -> Outcome:
    return Outcome(status=status, params={"similarity": None, "threshold": _percent(threshold), "peer": "",
                                          "names": "", "passages": ""})


@kind("similarity", params=("similarity", "threshold", "peer", "names", "passages"), prepare=prepare)
def run_similarity(rule: Any, run: RuleRun) -> Outcome:
    """Share of this report's text found in another report."""
    options = rule.options
    view = run.view
    others = [view.previous] if options["against"] == "previous" else list(view.peers)
    others = [o for o in others if o is not None]
    if not others:
        return _empty("not_applicable", options["threshold"])
    known = view.memo.setdefault("sentence shingles", {})
    mine = shingled(view, options["scope"], known)
    if not mine.all:  # none of the parts it compares has any text
        return replace(_empty("not_assessable", options["threshold"]),
                       missing=scope_absences(view, options["scope"]) or (UNKNOWN,))
    best: Optional[tuple[Decimal, ReportView, Shingled]] = None
    for other in others:
        theirs = shingled(other, options["scope"], known)
        score = containment(mine.all, theirs.all)
        if best is None or score > best[0]:
            best = (score, other, theirs)
    assert best is not None
    score, other, theirs = best
    names = _other_agency_named(view, others) if options["check_names"] else []
    failed = score > options["threshold"] or bool(names)
    evidence: list[Evidence] = []
    if failed:
        for passage in shared_passages(mine.per_sentence, mine.lengths, theirs.all):
            quoted = mine.sentences[passage.first:passage.last + 1]
            evidence.append(Evidence(kind="quote", text="".join(s.text for s in quoted), where=quoted[0].where))
        evidence.extend(sentence.evidence() for _, sentence in names)
    peer = other.report.meta.agency or other.report.source
    params = {"similarity": _percent(score), "threshold": _percent(options["threshold"]), "peer": peer,
              "names": phrase("other_agency", names="、".join(sorted({n for n, _ in names}))) if names else "",
              "names_en": phrase("other_agency", "en", names=", ".join(sorted({n for n, _ in names}))) if names else "",
              "passages": len([e for e in evidence if e.kind == "quote"]), **run.params()}
    return Outcome(status="fail" if failed else "pass", params=params, evidence=tuple(evidence))


def _other_agency_named(view: ReportView, others: list[ReportView]) -> list[tuple[str, Sentence]]:
    """Sentences naming another agency of the batch more often than the report's own agency."""
    own = squash(view.report.meta.agency or "")
    sentences = view.sentences("narrative")
    found = []
    for other in others:
        name = squash(other.report.meta.agency or "")
        if not name or name == own or name in own or (own and own in name):
            continue
        naming = [s for s in sentences if name in s.flat]
        own_count = sum(1 for s in sentences if own and own in s.flat)
        if naming and len(naming) > own_count:
            found.extend((other.report.meta.agency, s) for s in naming[:2])
    return found
