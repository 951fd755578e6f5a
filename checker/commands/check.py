"""`xxgk check FILE...`: check reports against the rule pack and score them."""
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from .. import jsonout
from ..engine.runner import Comparison, check_report, error_result
from ..errors import ReadError, UsageError
from ..formats import DEFAULT_FORMAT
from ..outpaths import check_output_file, write_text
from ..pipeline import parse_file
from ..render.results_json import results_document
from ..render.results_md import reports_markdown
from ..render.results_text import reports_text
from ..results import SEVERITIES, ReportResult
from ..config import add_config_options
from ..engine.pack import RulePack
from ..engine.scoring import DEFAULT_PROFILE, Profile
from ..render.provenance import provenance_markdown, provenance_text
from ..session import Session, open_session

FAIL_ON = ("critical", "high", "medium", "low", "never")
NO_REPORT = "未找到年度报告内容（没有识别到任何部分标题或表格）"


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that checks reports. Those not given come from the
    project configuration (xxgk.toml or [tool.xxgk] in pyproject.toml), then the defaults."""
    parser.add_argument("--profile", metavar="NAME",
                        help=f"scoring profile: a name in rules/profiles/ or a .toml path (default: {DEFAULT_PROFILE})")
    parser.add_argument("--select", metavar="IDS", help="only these rules (comma-separated ids or families: TB,FEE-001)")
    parser.add_argument("--ignore", metavar="IDS", help="skip these rules (comma-separated)")
    parser.add_argument("--rules", action="append", metavar="PATH",
                        help="rule files or folders to use instead of the shipped pack (repeatable)")
    parser.add_argument("--extend-rules", action="append", metavar="PATH",
                        help="rule files or folders added to the shipped pack (repeatable)")
    parser.add_argument("--spec", metavar="FORMAT",
                        help=f"the national report format (rules/formats/; default: {DEFAULT_FORMAT})")
    parser.add_argument("--waivers", metavar="FILE", help="waivers file: documented exceptions (see docs/authoring-rules.md)")
    add_config_options(parser)


def load_setup(args: argparse.Namespace) -> tuple[RulePack, Profile]:
    """The rule pack and profile of a run (see open_session for the whole of it)."""
    session = open_session(args)
    return session.pack, session.profile


def check_path(path: str, pack: RulePack, profile: Profile, previous: Optional[str] = None) -> ReportResult:
    """One file to one result; an unreadable file becomes an error entry, never an exception."""
    try:
        report = parse_file(path, pack.fmt.id)
    except ReadError as exc:
        return error_result(path, exc.reason, profile)
    if "no_report" in report.flags:
        return error_result(path, NO_REPORT, profile, reader=report.reader)
    comparison = Comparison()
    if previous:
        comparison = Comparison(previous=parse_file(previous, pack.fmt.id))
    return check_report(report, pack, profile, comparison)


def exit_status(results: list[ReportResult], fail_on: str) -> int:
    if any(r.error for r in results):
        return 1
    if fail_on == "never":
        return 0
    threshold = SEVERITIES.index(fail_on)
    for report in results:
        for result in report.results:
            if result.status == "fail" and SEVERITIES.index(result.severity) <= threshold:
                return 1
    return 0


def render(results: list[ReportResult], fmt: str, session: Session, lang: str, verbose: bool,
           warnings: Sequence[str] = ()) -> str:
    messages_en = session.messages_en
    provenance = session.provenance
    if fmt == "json":
        document = results_document(results, lang, messages_en)
        document["provenance"] = provenance.as_dict()
        document["warnings"] = list(warnings)
        return jsonout.dumps(document)
    if fmt == "md":
        return reports_markdown(results, lang, messages_en) + "\n\n" + provenance_markdown(provenance, lang)
    return reports_text(results, lang, messages_en, verbose) + "\n\n" + provenance_text(provenance, lang)


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output_file(args.output)  # before anything is read
    session = open_session(args)
    settings = session.settings
    if args.previous and len(args.files) != 1:
        raise UsageError("--previous needs exactly one FILE")
    results = [session.apply_waivers(check_path(f, session.pack, session.profile, args.previous))
               for f in args.files]
    warnings = session.waiver_warnings(results)
    for warning in warnings:
        print(f"xxgk: warning: {warning}", file=sys.stderr)
    text = render(results, settings["format"], session, settings["lang"], args.verbose, warnings)
    if args.output:
        write_text(args.output, text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return exit_status(results, settings["fail-on"])


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="check and score reports",
                            description="检查年度报告并评分。Check reports against the rule pack and score them.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="report files (.txt .md .html .pdf .docx)")
    parser.add_argument("--format", choices=("text", "json", "md"), help="output format (default: text)")
    add_rule_options(parser)
    parser.add_argument("--fail-on", choices=FAIL_ON,
                        help="exit 1 when a rule of this severity or worse failed (default: low)")
    parser.add_argument("--previous", metavar="FILE", help="the same agency's report of the previous year")
    parser.add_argument("--lang", choices=("zh", "en"), help="message language (default: zh)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list passed and skipped rules")
    parser.set_defaults(run=run)
