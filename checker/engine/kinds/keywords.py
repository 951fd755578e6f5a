"""Kind `keywords`: what the text of some parts must (or must not) say.

Each group is matched sentence by sentence: a sentence counts for a group when it contains any
of `any`, all of `all`, or matches one of `patterns`, and matches none of `unless` (so a sentence
about 行政事业性收费 never counts as a fee statement). `require = "all"` fails naming every group
not found, `"any"` fails when none is found, `"none"` fails quoting what was found."""
from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from ..context import ScopeText, Sentence
from ..evaluation import RuleRun
from ..inputs import scope_absences
from ..leading import guarded
from ..screens import absent, context_free, needs
from .claims import ignored_sentences
from ...frozen import filled
from ...messages import phrase
from ...results import Evidence
from ...textnorm import squash
from . import Outcome, kind


def _alternation(patterns: list[str]) -> Optional[re.Pattern[str]]:
    return guarded(re.compile("|".join(f"(?:{p})" for p in patterns))) if patterns else None


def prepare(data: Mapping[str, Any], compiler: Any) -> dict[str, Any]:
    groups = []
    for i, group in enumerate(data["groups"]):
        key = f"groups[{i}]"
        for p in group.get("patterns", ()):
            compiler.regex(p, f"{key}.patterns")  # each named in its own error
        for p in group.get("unless", ()):
            compiler.regex(p, f"{key}.unless")
        groups.append({
            "label": group["label"],
            "label_en": group.get("label_en", group["label"]),
            "any": _alternation([re.escape(squash(w)) for w in group.get("any", ())]),
            "all": tuple(squash(w) for w in group.get("all", ())),
            "patterns": _alternation(list(group.get("patterns", ()))),
            "unless": _alternation(list(group.get("unless", ()))),
        })
        patterns = groups[-1]["patterns"]
        groups[-1]["needs"] = needs(patterns) if patterns is not None else ()
        groups[-1]["context_free"] = patterns is None or context_free(patterns)
    return {"scope": data["scope"], "groups": tuple(groups), "require": data["require"],
            "min_chars": data.get("min_chars", 0), "on_missing_scope": data.get("on_missing_scope", "not_assessable"),
            "elsewhere": data.get("elsewhere"), "ignore": ignored_sentences(data, compiler)}


def _matches(group: Mapping[str, Any], text: str, flat: str) -> bool:
    if group["any"] is not None and group["any"].search(flat):
        return True
    if group["all"] and all(w in flat for w in group["all"]):
        return True
    # a text without what every match of the patterns contains is not searched
    return group["patterns"] is not None and not absent(group["needs"], text) \
        and group["patterns"].search(text) is not None


def _hits(group: Mapping[str, Any], joined: ScopeText, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences of the scope that count for a group."""
    unless = group["unless"]
    if group["patterns"] is None and not group["all"]:
        # words only: one search over the joined text finds the sentences directly
        found = joined.sentences_matching_flat(group["any"])
        return [s for s in found if unless is None or not unless.search(s.text)]
    # one search over the whole scope first: most groups are decided without a sentence loop
    if not _matches(group, joined.text, joined.flat):
        return []
    if not group["all"] and group["context_free"]:
        # the sentences with a word, and those the patterns match, each found in the joined text
        hits = set(joined.flat_hits(group["any"])) if group["any"] is not None else set()
        hits.update(joined.sentences_searched(group["patterns"]))
        found = [sentences[i] for i in sorted(hits)]
        return [s for s in found if unless is None or not unless.search(s.text)]
    return [s for s in sentences if sentence_matches(group, s)]


def sentence_matches(group: Mapping[str, Any], sentence: Sentence) -> bool:
    if group["unless"] is not None and group["unless"].search(sentence.text):
        return False
    return _matches(group, sentence.text, sentence.flat)


def _search(view: Any, scope: Any, options: Mapping[str, Any]
            ) -> tuple[dict[str, list[Sentence]], list[Sentence], ScopeText]:
    """The sentences of a scope that count for each group (by label), and the scope's sentences
    read (template text left out), as a list and joined."""
    sentences = view.sentences(scope)
    joined = view.scope_text(scope)
    ignore = options["ignore"]
    if ignore is not None and ignore.search(joined.flat):  # template text is no statement
        sentences = [s for s in sentences if not ignore.search(s.flat)]
        joined = ScopeText.of(sentences)
    return {group["label"]: _hits(group, joined, sentences) for group in options["groups"]}, sentences, joined


def _satisfied(require: str, hits: Mapping[str, list[Sentence]]) -> bool:
    return all(hits.values()) if require == "all" else any(hits.values())


def _stated_elsewhere(view: Any, options: Mapping[str, Any]) -> Optional[dict[str, list[Sentence]]]:
    """The hits in the rule's `elsewhere` scope, when what its own scope lacks is said there:
    a fact the format wants in part 六 but that the report states in another part is stated."""
    if options["elsewhere"] is None:
        return None
    hits, _, _ = _search(view, options["elsewhere"], options)
    return hits if _satisfied(options["require"], hits) else None


def _quotes(hits: Mapping[str, list[Sentence]]) -> list[Evidence]:
    """The sentences that counted, up to three a group, each quoted once."""
    quotes: list[Evidence] = []
    seen: set[tuple[str, Any]] = set()  # a sentence's quote is its text where it stands
    for found in hits.values():
        for sentence in found[:3]:
            key = (sentence.text, sentence.where)
            if key not in seen:
                seen.add(key)
                quotes.append(sentence.evidence())
    return quotes


def _passed_elsewhere(hits: Mapping[str, list[Sentence]], options: Mapping[str, Any], run: RuleRun) -> Outcome:
    found = [label for label, sentences in hits.items() if sentences]
    return Outcome(status="pass", evidence=tuple(_quotes(hits)),
                   params={"missing": "", "missing_en": "", "found": "、".join(found), "problem": "",
                           "problem_en": "", "chars": sum(len(s.flat) for s in run.view.sentences(options["elsewhere"])),
                           "count": len(found), **run.params()})


@kind("keywords", params=("missing", "found", "problem", "chars", "count"), prepare=prepare)
def run_keywords(rule: Any, run: RuleRun) -> Outcome:
    """Keyword groups that the text of the scope must contain (all / any) or must not (none)."""
    options = rule.options
    view = run.view
    scope = options["scope"]
    require = options["require"]
    if not view.scope_found(scope):
        placed = _stated_elsewhere(view, options)
        if placed is not None:
            return _passed_elsewhere(placed, options, run)
        return Outcome(status=options["on_missing_scope"],
                       params={"missing": "", "found": "", "problem": phrase("scope_missing"),
                               "problem_en": phrase("scope_missing", "en"), "chars": 0, "count": 0,
                               **run.params()}, missing=scope_absences(view, scope))
    hits, sentences, joined = _search(view, scope, options)
    # the characters of the sentences read: their squashed text joined by a newline each
    chars = len(joined.flat) - len(sentences) + 1 if sentences else 0
    if require != "none" and not _satisfied(require, hits) and not (options["min_chars"] and chars < options["min_chars"]):
        placed = _stated_elsewhere(view, options)
        if placed is not None:
            return _passed_elsewhere(placed, options, run)
    found_labels = [label for label, found in hits.items() if found]
    missing_labels = [label for label, found in hits.items() if not found]
    english = {g["label"]: g["label_en"] for g in options["groups"]}
    names = {"zh": lambda labels: labels, "en": lambda labels: [english[label] for label in labels]}
    quotes = _quotes(hits)

    problems: dict[str, list[str]] = {"zh": [], "en": []}
    if require in ("all", "any"):
        ok = not missing_labels if require == "all" else bool(found_labels)
        if not ok:
            for lang in problems:
                problems[lang].append(phrase("not_written", lang,
                                             labels=phrase("list", lang).join(names[lang](missing_labels))))
    else:
        ok = not found_labels
        if found_labels:
            for lang in problems:
                problems[lang].append(phrase("found", lang, labels=phrase("list", lang).join(names[lang](found_labels))))
    if options["min_chars"] and chars < options["min_chars"]:
        ok = False
        for lang in problems:
            problems[lang].insert(0, phrase("too_short", lang, chars=chars))
    params = {
        "missing": "、".join(missing_labels), "missing_en": ", ".join(names["en"](missing_labels)),
        "found": "、".join(e.text for e in quotes) if require == "none" else "、".join(found_labels),
        "problem": phrase("sep", "zh").join(problems["zh"]), "problem_en": phrase("sep", "en").join(problems["en"]),
        "chars": chars, "count": len(found_labels),
        **run.params(),
    }
    quoted = set(quotes)
    evidence = tuple(quotes) + tuple(e for e in view.quoted if e not in quoted)
    if not ok and not evidence:
        # nothing matched: quote the beginning of the scope so the reviewer sees what was read
        evidence = tuple(s.evidence() for s in sentences[:2])
    return filled(Outcome, {"status": "pass" if ok else "fail", "params": params, "evidence": evidence, "details": (),
                            "missing": (), "reports": ()})
