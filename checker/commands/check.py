"""`xxgk check FILE...`: check reports against the rule pack and score them."""
from __future__ import annotations

import argparse
import sys
from typing import Optional

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
from ..engine.pack import RulePack, load_pack
from ..engine.scoring import DEFAULT_PROFILE, Profile, check_profile_rules, get_profile

FAIL_ON = ("critical", "high", "medium", "low", "never")
NO_REPORT = "未找到年度报告内容（没有识别到任何部分标题或表格）"


def _ids(text: Optional[str]) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that checks reports."""
    parser.add_argument("--profile", default=DEFAULT_PROFILE, metavar="NAME",
                        help="scoring profile: a name in rules/profiles/ or a .toml path (default: %(default)s)")
    parser.add_argument("--select", metavar="IDS", help="only these rules (comma-separated ids or families: TB,FEE-001)")
    parser.add_argument("--ignore", metavar="IDS", help="skip these rules (comma-separated)")
    parser.add_argument("--rules", action="append", metavar="PATH",
                        help="rule files or folders to use instead of the shipped pack (repeatable)")
    parser.add_argument("--spec", default=DEFAULT_FORMAT, metavar="FORMAT",
                        help="the national report format (rules/formats/; default: %(default)s)")


def load_setup(args: argparse.Namespace) -> tuple[RulePack, Profile]:
    from ..formats import get_format

    pack = load_pack(args.rules or (), get_format(args.spec))
    profile = get_profile(args.profile)
    check_profile_rules(profile, pack.ids() + [a for r in pack.rules for a in r.aliases])
    profile = profile.with_selection(_ids(args.select), _ids(args.ignore))
    return pack, profile


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


def render(results: list[ReportResult], fmt: str, pack: RulePack, lang: str, verbose: bool) -> str:
    messages_en = {r.id: r.message_en for r in pack.rules if r.message_en}
    if fmt == "json":
        return jsonout.dumps(results_document(results, lang, messages_en))
    if fmt == "md":
        return reports_markdown(results, lang, messages_en)
    return reports_text(results, lang, messages_en, verbose)


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output_file(args.output)  # before anything is read
    pack, profile = load_setup(args)
    if args.previous and len(args.files) != 1:
        raise UsageError("--previous needs exactly one FILE")
    results = [check_path(f, pack, profile, args.previous) for f in args.files]
    text = render(results, args.format, pack, args.lang, args.verbose)
    if args.output:
        write_text(args.output, text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return exit_status(results, args.fail_on)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="check and score reports",
                            description="检查年度报告并评分。Check reports against the rule pack and score them.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="report files (.txt .md .html .pdf .docx)")
    parser.add_argument("--format", choices=("text", "json", "md"), default="text", help="output format")
    add_rule_options(parser)
    parser.add_argument("--fail-on", choices=FAIL_ON, default="low",
                        help="exit 1 when a rule of this severity or worse failed (default: %(default)s)")
    parser.add_argument("--previous", metavar="FILE", help="the same agency's report of the previous year")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list passed and skipped rules")
    parser.set_defaults(run=run)
