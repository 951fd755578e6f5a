"""`xxgk check FILE...`: check reports against the rule pack and score them."""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, Optional, Sequence

from .. import jsonout
from ..engine.runner import Comparison, check_report, error_result
from ..errors import ReadError, UsageError
from ..facts import Facts, parse_day, parse_kind, parse_year, supply
from ..formats import DEFAULT_FORMAT
from ..messages import unchecked
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
# exit status of `check` when a rule crashed (the checker's fault, never the report's): worse
# than a failed report (1), apart from usage and rule-file errors (2)
RULE_ERROR = 3


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


def _fact(parse: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        value = parse(text)
        if value is None:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value
    return convert


def add_fact_options(parser: argparse.ArgumentParser) -> None:
    """What a batch manifest says about a report, for checking one report on its own."""
    facts = parser.add_argument_group("known facts (as a batch manifest gives them; they replace what is read "
                                      "from the report)")
    facts.add_argument("--manifest", metavar="FILE",
                       help="the batch manifest CSV (文件, 机关, 类型, 年度, 发布日期): the row of each FILE is used")
    facts.add_argument("--agency", metavar="NAME", help="the reporting agency (机关)")
    facts.add_argument("--kind", type=_fact(parse_kind, "a kind: government, department, other (人民政府, 政府部门, 其他)"),
                       metavar="KIND", help="government | department | other (人民政府 | 政府部门 | 其他)")
    facts.add_argument("--year", type=_fact(parse_year, "a year like 2024"), metavar="YEAR", help="the report year")
    facts.add_argument("--published", type=_fact(parse_day, "a date like 2025-01-20 or 2025年1月20日"),
                       metavar="DATE", help="the publication date (decides timeliness)")


def known_facts(args: argparse.Namespace) -> Callable[[str], list[tuple[Facts, str]]]:
    """Per file, the facts to supply and their origin: the manifest's row, then the options."""
    options = Facts(agency=getattr(args, "agency", None), kind=getattr(args, "kind", None),
                    year=getattr(args, "year", None), published=getattr(args, "published", None),
                    note="命令行参数")
    manifest = None
    if getattr(args, "manifest", None):
        from ..batch.manifest import load_manifest, row_facts  # only when asked: check starts without the batch

        manifest = load_manifest(args.manifest)

    def of(path: str) -> list[tuple[Facts, str]]:
        found: list[tuple[Facts, str]] = []
        if manifest is not None:
            from ..batch.discovery import file_key

            row = manifest.row(file_key(path))
            if row is None:
                print(f"xxgk: {path} is not listed in {args.manifest}", file=sys.stderr)
            else:
                found.append((row_facts(row), "manifest"))
        if options:
            found.append((options, "option"))
        return found

    return of


def check_path(path: str, pack: RulePack, profile: Profile, previous: Optional[str] = None,
               facts: Sequence[tuple[Facts, str]] = (), lang: str = "zh") -> ReportResult:
    """One file to one result; an unreadable file becomes an error entry, never an exception."""
    try:
        report = parse_file(path, pack.fmt.id)
    except ReadError as exc:
        return error_result(path, exc.reason, profile)
    if "no_report" in report.flags:
        return error_result(path, unchecked("no_report", lang), profile, reader=report.reader)
    for given, origin in facts:
        report = supply(report, given, origin, pack.fmt)
    comparison = Comparison()
    if previous:
        comparison = Comparison(previous=parse_file(previous, pack.fmt.id))
    return check_report(report, pack, profile, comparison)


def exit_status(results: list[ReportResult], fail_on: str) -> int:
    """3 when a rule crashed; 1 when a file could not be read or a rule at or above --fail-on
    failed; 0 otherwise."""
    if any(result.status == "error" for report in results for result in report.results):
        return RULE_ERROR
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
    facts_of = known_facts(args)
    results = [session.apply_waivers(check_path(f, session.pack, session.profile, args.previous, facts_of(f),
                                                settings["lang"])) for f in args.files]
    warnings = session.waiver_warnings(results)
    for warning in warnings:
        print(f"xxgk: warning: {warning}", file=sys.stderr)
    text = render(results, settings["format"], session, settings["lang"], args.verbose, warnings)
    if args.output:
        write_text(args.output, text + "\n")
    else:
        sys.stdout.write(text + "\n")
    report_rule_errors(results, settings["lang"])
    return exit_status(results, settings["fail-on"])


def report_rule_errors(results: list[ReportResult], lang: str) -> None:
    """A rule that crashed is said on standard error too, with its reason: the exit status alone
    would not tell which rule or why."""
    for report in results:
        for result in report.results:
            if result.status == "error":
                error = result.params.get("error", "")
                print(f"xxgk: rule {result.rule} crashed on {report.source}: {error} "
                      f"({'检查器的问题，不是报告的问题' if lang == 'zh' else 'a fault of the checker, not of the report'})",
                      file=sys.stderr)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="check and score reports",
                            description="检查年度报告并评分。Check reports against the rule pack and score them. "
                                        "Exit status: 0 nothing at or above --fail-on failed; 1 something did, or "
                                        "a file could not be read; 2 usage or rule-file error; 3 a rule crashed "
                                        "(the checker's fault; the reason is printed on standard error).")
    parser.add_argument("files", nargs="+", metavar="FILE", help="report files (.txt .md .html .pdf .docx)")
    parser.add_argument("--format", choices=("text", "json", "md"), help="output format (default: text)")
    add_rule_options(parser)
    parser.add_argument("--fail-on", choices=FAIL_ON,
                        help="exit 1 when a rule of this severity or worse failed (default: low)")
    parser.add_argument("--previous", metavar="FILE", help="the same agency's report of the previous year")
    add_fact_options(parser)
    parser.add_argument("--lang", choices=("zh", "en"), help="message language (default: zh)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list passed and skipped rules")
    parser.set_defaults(run=run)
