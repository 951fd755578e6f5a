"""Kind `claims`: numbers the narrative states, compared with the tables.

Each claim is a regular expression over one sentence; its named group `n` captures the number
(or the claim has a fixed `value`, e.g. 0 for "未发生行政诉讼"). The number must equal one of the
`expect` expressions. A report whose text makes no such claim is not applicable; every finding
quotes the sentence it read."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from ..evaluation import RuleRun, plain
from ..expr import Missing
from ...results import Detail
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
            "value": Decimal(str(claim["value"])) if "value" in claim else None,
            "expect": tuple(compiler.expr(e, f"{key}.expect[{j}]") for j, e in enumerate(claim["expect"])),
            "require": tuple(claim.get("require", ())),
            "unless": tuple(compiler.regex(p, f"{key}.unless") for p in claim.get("unless", ())),
        })
    return {"scope": data["scope"], "claims": tuple(claims),
            "words": tuple(squash(w) for w in data.get("words", ())),
            "tolerance": Decimal(str(data.get("tolerance", 0)))}


@kind("claims", params=("label", "claim", "claimed", "expected", "quote", "count"), prepare=prepare)
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
        claims = [c for c in options["claims"] if c["pattern"].search(folded)]  # the rest cannot match
        sentences = run.view.sentences(options["scope"]) if claims else []
    for sentence in sentences:
        text = sentence.folded
        for claim in claims:
            for match in claim["pattern"].finditer(text):
                said = match.group(0)
                if claim["require"] and not any(w in said for w in claim["require"]):
                    continue
                if any(p.search(said) for p in claim["unless"]):
                    continue
                claimed = claim["value"] if claim["value"] is not None else parse_number(match.group("n"))
                if claimed is None:
                    continue
                key = (claim["label"], sentence.text, claimed)
                if key in seen:
                    continue
                seen.add(key)
                details.append(_compare(rule, run, claim, claimed, sentence, options["tolerance"]))
    status = aggregate(details)
    failing = [d for d in details if d.status == status]
    params = dict(failing[0].params) if failing else {}
    params["count"] = sum(1 for d in details if d.status == "fail")
    evidence = tuple(e for d in details if d.status == status for e in d.evidence)
    return Outcome(status=status, params=params, evidence=evidence, details=tuple(details))


def _compare(rule: Any, run: RuleRun, claim: Mapping[str, Any], claimed: Any, sentence: Any,
             tolerance: Decimal) -> Detail:
    quote = sentence.evidence()
    said = claim["label"] if claim["value"] is not None else f"{claim['label']}{claimed}件"
    expected_values = []
    cells = []
    try:
        for expr in claim["expect"]:
            value, touched = run.evaluate_traced(expr)
            expected_values.append(plain(value))
            cells.extend(run.evidence_of(touched))
    except Missing as missing:
        return Detail(status="not_assessable", template="", item=claim["label"], evidence=(quote,),
                      params={"label": claim["label"], "claim": said, "claimed": claimed, "expected": None,
                              "quote": sentence.text}, missing=run.absences(missing))
    ok = any(v is not None and abs(Decimal(v) - Decimal(claimed)) <= tolerance for v in expected_values)
    distinct = list(dict.fromkeys(expected_values))
    params = {"label": claim["label"], "claim": said, "claimed": claimed,
              "expected": "或".join(str(v) for v in distinct), "quote": sentence.text, **run.params()}
    return Detail(status="pass" if ok else "fail", template=rule.message if not ok else rule.pass_message,
                  params=params, evidence=(quote, *cells), item=claim["label"])
