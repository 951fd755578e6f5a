"""Kind `claims`: numbers the narrative states, compared with the tables.

Each claim is a regular expression over one sentence; its named group `n` captures the number
(or the claim has a fixed `value`, e.g. 0 for "未发生行政诉讼"). The number must equal one of the
`expect` expressions. A report whose text makes no such claim is not applicable; every finding
quotes the sentence it read.

Three things keep a number with the claim it belongs to:

- ``stops``: words that start another claim. A number that follows one of them (after the
  claim's own opening word) is that claim's, not this one's: in "收到申请后及时办结，办结80件"
  the 80 is the 办结 count, not the 收到 count.
- the sentence's own arithmetic: a number that does not equal the table may still reconcile
  with it through another number claimed in the same sentence ("现行有效120件，本年度制发30件"
  where 120 + 30 is the table's 现行有效 150). That is no contradiction; the evidence shows the
  sum.
- ``ignore_markers``: format word lists (e.g. the template's placeholders "（文字描述）",
  "在此处报告") whose sentences are template text, never a claim."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any, Mapping, Optional, Sequence

from ..evaluation import RuleRun
from ..screens import absent, needs
from ..expr import Missing, as_number
from ...results import Detail, Evidence
from ...textnorm import parse_number, squash
from . import Outcome, aggregate, kind


def prepare(data: Mapping[str, Any], compiler: Any) -> dict[str, Any]:
    claims = []
    for i, claim in enumerate(data["claims"]):
        key = f"claims[{i}]"
        pattern = compiler.regex(claim["pattern"], f"{key}.pattern")
        if "value" not in claim and "n" not in pattern.groupindex:
            raise compiler.error(f"{key}.pattern", "the pattern needs a named group (?P<n>...) or the claim a `value`")
        claims.append({
            "label": claim["label"],
            "pattern": pattern,
            "needs": needs(pattern),
            "value": Decimal(str(claim["value"])) if "value" in claim else None,
            "expect": tuple(compiler.expr(e, f"{key}.expect[{j}]", expect="number")
                            for j, e in enumerate(claim["expect"])),
            "require": tuple(claim.get("require", ())),
            "unless": tuple(compiler.regex(p, f"{key}.unless") for p in claim.get("unless", ())),
        })
    return {"scope": data["scope"], "claims": tuple(claims),
            "words": tuple(squash(w) for w in data.get("words", ())),
            "tolerance": Decimal(str(data.get("tolerance", 0))),
            "stops": compiler.regex("|".join(re.escape(w) for w in data["stops"]), "stops") if data.get("stops") else None,
            "ignore": ignored_sentences(data, compiler)}


def ignored_sentences(data: Mapping[str, Any], compiler: Any) -> Optional[re.Pattern[str]]:
    """The words of the format's marker lists named in `ignore_markers`, as one pattern over a
    sentence's squashed text (shared with the keywords kind)."""
    words: list[str] = []
    for name in data.get("ignore_markers", ()):
        if name not in compiler.fmt.markers:
            raise compiler.error("ignore_markers", f"the format has no marker list {name!r} "
                                                   f"(it has: {', '.join(sorted(compiler.fmt.markers))})")
        words.extend(squash(w) for w in compiler.fmt.markers[name])
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _belongs_elsewhere(match: re.Match[str], stops: Optional[re.Pattern[str]]) -> bool:
    """Whether the number follows a word that opens another claim (beyond the claim's opening)."""
    if stops is None or "n" not in match.re.groupindex or match.start("n") < 0:
        return False
    before = match.string[match.start():match.start("n")]
    opening = re.match(r"\w{1,2}", before)
    # a stop word right after the opening word makes one verb with it (受理答复), not a new claim
    start = opening.end() + 1 if opening else 0
    return stops.search(before, start) is not None


@kind("claims", params=("label", "claim", "claimed", "expected", "quote", "count", "arithmetic"), prepare=prepare)
def run_claims(rule: Any, run: RuleRun) -> Outcome:
    """Numbers quoted in the narrative that must match table values."""
    options = rule.options
    details: list[Detail] = []
    seen: set[tuple[str, str, Any]] = set()
    words = options["words"]
    if words:  # the words pick the few sentences worth reading
        sentences = [s for s in run.view.sentences(options["scope"]) if any(w in s.flat for w in words)]
        claims = list(options["claims"]) if sentences else []
    else:
        folded = run.view.scope_text(options["scope"]).folded
        claims = [c for c in options["claims"]  # the rest cannot match
                  if not absent(c["needs"], folded) and c["pattern"].search(folded)]
        sentences = run.view.sentences(options["scope"]) if claims else []
    ignore = options["ignore"]
    for sentence in sentences:
        if ignore is not None and ignore.search(sentence.flat):
            continue
        found = _claims_in(sentence.folded, claims, options["stops"])
        for claim, claimed, said in found:
            key = (claim["label"], sentence.text, claimed)
            if key in seen:
                continue
            seen.add(key)
            others = [(c["label"], n) for c, n, _ in found if c is not claim and c["value"] is None]
            details.append(_compare(rule, run, claim, claimed, sentence, options["tolerance"], others))
    status = aggregate(details)
    failing = [d for d in details if d.status == status]
    params = dict(failing[0].params) if failing else {}
    params["count"] = sum(1 for d in details if d.status == "fail")
    evidence = tuple(dict.fromkeys(e for d in details if d.status == status for e in d.evidence))
    return Outcome(status=status, params=params, evidence=evidence, details=tuple(details))


def _claims_in(text: str, claims: Sequence[Mapping[str, Any]], stops: Optional[re.Pattern[str]]
               ) -> list[tuple[Mapping[str, Any], Any, str]]:
    """Every claim one sentence makes, as (claim, number, the words that said it)."""
    found = []
    for claim in claims:
        if absent(claim["needs"], text):  # a sentence without what every match holds
            continue
        for match in claim["pattern"].finditer(text):
            said = match.group(0)
            if claim["require"] and not any(w in said for w in claim["require"]):
                continue
            if any(p.search(said) for p in claim["unless"]):
                continue
            if claim["value"] is None and _belongs_elsewhere(match, stops):
                continue
            claimed = claim["value"] if claim["value"] is not None else parse_number(match.group("n"))
            if claimed is not None:
                found.append((claim, claimed, said))
    return found


def _compare(rule: Any, run: RuleRun, claim: Mapping[str, Any], claimed: Any, sentence: Any,
             tolerance: Decimal, others: Sequence[tuple[str, Any]]) -> Detail:
    quote = Evidence(kind="quote", text=sentence.text, where=sentence.where, role="text")
    said = claim["label"] if claim["value"] is not None else f"{claim['label']}{claimed}件"
    expected_values = []
    cells: list[Evidence] = []
    try:
        for expr in claim["expect"]:
            value, touched = run.evaluate_traced(expr)
            cells.extend(run.evidence_of(touched))
            # a cell without a number (blank, lost, text) is what the claim cannot be compared
            # with: Missing names it, and the claim is not assessable
            expected_values.append(as_number(value, expr.root))
    except Missing as missing:
        return Detail(status="not_assessable", template="", item=claim["label"], evidence=(quote,),
                      params={"label": claim["label"], "claim": said, "claimed": claimed, "expected": None,
                              "quote": sentence.text}, missing=run.absences(missing))
    cells = [_as_table_side(e) for e in dict.fromkeys(cells)]
    ok = any(_equal(v, claimed, tolerance) for v in expected_values)
    arithmetic = None if ok else _reconciled(claim["label"], claimed, others, expected_values, tolerance)
    distinct = list(dict.fromkeys(expected_values))
    params = {"label": claim["label"], "claim": said, "claimed": claimed,
              "expected": "或".join(str(v) for v in distinct), "quote": sentence.text, **run.params()}
    evidence: list[Evidence] = [quote, *cells]
    if arithmetic is not None:
        params["arithmetic"] = arithmetic
        evidence.insert(1, Evidence(kind="note", text=arithmetic, role="text"))
        ok = True
    return Detail(status="pass" if ok else "fail", template=rule.message if not ok else rule.pass_message,
                  params=params, evidence=tuple(evidence), item=claim["label"])


def _as_table_side(item: Evidence) -> Evidence:
    return item if item.role else replace(item, role="table")


def _equal(value: Any, claimed: Any, tolerance: Decimal) -> bool:
    return value is not None and abs(Decimal(value) - Decimal(claimed)) <= tolerance


def _reconciled(label: str, claimed: Any, others: Sequence[tuple[str, Any]], expected: Sequence[Any],
                tolerance: Decimal) -> Optional[str]:
    """The sum (or difference) with another number of the same sentence that gives the table's
    value, written out: "现行有效行政规范性文件120 + 本年制发行政规范性文件30 = 150"."""
    for other_label, other in others:
        for value in expected:
            if value is None:
                continue
            if _equal(value, Decimal(claimed) + Decimal(other), tolerance):
                return f"{label}{claimed} + {other_label}{other} = {value}（与表格相符）"
            if _equal(value, Decimal(claimed) - Decimal(other), tolerance):
                return f"{label}{claimed} − {other_label}{other} = {value}（与表格相符）"
    return None
