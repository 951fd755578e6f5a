"""Kind `similarity`: how much of the report's text (the parts in `scope`) is reused from the
same agency's previous report (`against = "previous"`) or from another agency's report of the
same batch (`against = "peers"`). Reports the share and the longest shared passages; with
`check_names`, also flags another agency's name used as if it were the reporter."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Optional

from ..evaluation import RuleRun
from ..results import Evidence
from ..similarity import containment, shared_passages, shingles
from ..textnorm import squash
from . import Outcome, kind


def prepare(data: Mapping[str, Any], compiler: Any) -> dict[str, Any]:
    return {"against": data["against"], "scope": data["scope"], "threshold": Decimal(str(data["threshold"])),
            "check_names": bool(data.get("check_names", False))}


def _text(view: Any, scope: Any) -> str:
    return "".join(s.text for s in view.sentences(scope))


def _scope_key(scope: Any) -> Any:
    return scope if isinstance(scope, str) else tuple(scope)


def _shingled(view: Any, scope: Any) -> tuple[str, frozenset[int]]:
    """The scope's text and shingles, computed once per report and check (rules with the same
    scope, like DUP-001 and DUP-002, share them)."""
    key = ("similarity.shingles", _scope_key(scope))
    if key not in view.memo:
        text = _text(view, scope)
        view.memo[key] = (text, shingles(text))
    return view.memo[key]


def _passages(view: Any, other: Any, scope: Any, mine_text: str, theirs_text: str) -> list[Any]:
    key = ("similarity.passages", _scope_key(scope), id(other))  # `other` lives as long as `view`
    if key not in view.memo:
        view.memo[key] = shared_passages(mine_text, theirs_text)
    return view.memo[key]


def _percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


@kind("similarity", params=("similarity", "threshold", "peer", "names", "passages"), prepare=prepare)
def run_similarity(rule: Any, run: RuleRun) -> Outcome:
    """Share of this report's text found in another report."""
    options = rule.options
    view = run.view
    others = [view.previous] if options["against"] == "previous" else list(view.peers)
    others = [o for o in others if o is not None]
    if not others:
        return Outcome(status="not_applicable", params={"similarity": None, "threshold": _percent(options["threshold"]),
                                                        "peer": "", "names": "", "passages": ""})
    mine_text, mine = _shingled(view, options["scope"])
    if not mine:
        return Outcome(status="not_assessable", params={"similarity": None, "threshold": _percent(options["threshold"]),
                                                        "peer": "", "names": "", "passages": ""})
    best: Optional[tuple[Decimal, Any, str]] = None
    for other in others:
        theirs_text, theirs = _shingled(other, options["scope"])
        score = containment(mine, theirs)
        if best is None or score > best[0]:
            best = (score, other, theirs_text)
    assert best is not None
    score, other, theirs_text = best
    names = _other_agency_named(view, others) if options["check_names"] else []
    failed = score > options["threshold"] or bool(names)
    evidence: list[Evidence] = []
    passages = []
    if failed:
        for passage in _passages(view, other, options["scope"], mine_text, theirs_text):
            passages.append(passage.text)
            evidence.append(Evidence(kind="quote", text=passage.text, where=None))
        for name, sentence in names:
            evidence.append(sentence.evidence())
    peer = other.report.meta.agency or other.report.source
    params = {"similarity": _percent(score), "threshold": _percent(options["threshold"]), "peer": peer,
              "names": ("；且报告中以「" + "、".join(sorted({n for n, _ in names})) + "」作为报告主体") if names else "",
              "passages": "；".join(passages), **run.params()}
    return Outcome(status="fail" if failed else "pass", params=params, evidence=tuple(evidence))


def _other_agency_named(view: Any, others: list[Any]) -> list[tuple[str, Any]]:
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
