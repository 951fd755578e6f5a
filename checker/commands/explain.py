"""`xxgk explain RULE FILE`: how one rule reached its verdict on one report - every expression
with the value of every sub-expression, what the rule kind saw, which branch decided the status
and, for not_assessable, which input was missing. Text, or the same trace as JSON."""
from __future__ import annotations

import argparse
import dataclasses
import sys

from .. import jsonout
from ..engine.explain import explain_rule
from ..engine.runner import Comparison, make_view, meta_dict
from ..engine.selection import unknown_pattern
from ..errors import ConfigError
from ..pipeline import parse_file
from ..render.explanation import explanation_dict, explanation_text
from ..results import ReportResult
from ..session import open_session
from .check import add_rule_options


def run(args: argparse.Namespace) -> int:
    session = open_session(args)
    pack = session.pack
    rule = pack.get(args.rule)
    if rule is None:
        raise ConfigError(args.rule, unknown_pattern(args.rule, pack.known_ids()) or "no such rule")
    report = parse_file(args.file, pack.fmt.id)
    comparison = Comparison(previous=parse_file(args.previous, pack.fmt.id)) if args.previous else Comparison()
    explanation = explain_rule(rule, make_view(report, pack.fmt, comparison))
    severity = session.profile.severity_of(rule.id, rule.severity)  # as check would show it
    explanation.result = result = dataclasses.replace(explanation.result, severity=severity)
    if session.waivers is not None:
        one = ReportResult(source=report.source, meta=meta_dict(report), results=(result,), score=None,
                           reader=report.reader, flags=tuple(sorted(report.flags)))
        waived = session.apply_waivers(one)
        if waived.results and waived.results[0].status == "waived":
            note = waived.results[0].waiver
            explanation.result = waived.results[0]
            explanation.decided_by += f"; waived by {note.source if note else 'a waiver'} (status waived)"
    settings = session.settings
    lang = settings["lang"]
    if (args.format or "text") == "json":
        sys.stdout.write(jsonout.dumps(explanation_dict(explanation, args.file, session.provenance, lang)) + "\n")
    else:
        sys.stdout.write(explanation_text(explanation, args.file, session.provenance, lang) + "\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("explain", help="how one rule reached its verdict on one report",
                            description="说明一条规则对一份报告的判定过程。Every expression of the rule with the value "
                                        "of every sub-expression, which branch decided the status and, when the rule "
                                        "could not be assessed, which input was missing.")
    parser.add_argument("rule", metavar="RULE", help="the rule id, e.g. TB-010")
    parser.add_argument("file", metavar="FILE", help="the report file")
    parser.add_argument("--previous", metavar="FILE", help="the same agency's report of the previous year")
    parser.add_argument("--format", choices=("text", "json"), help="output format (default: text)")
    parser.add_argument("--lang", choices=("zh", "en"), help="message language (default: zh)")
    add_rule_options(parser)
    parser.set_defaults(run=run)
