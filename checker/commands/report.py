"""`xxgk report FILE --format html|md`: one report's scorecard as a page of its own (the same
drill-down index.html of a batch shows for it)."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from ..messages import label
from ..outpaths import check_output_file, shown, write_text
from ..render.html import report_page
from ..render.results_md import report_markdown
from .check import add_fact_options, add_rule_options, check_path, known_facts, load_setup


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output_file(args.output)  # before anything is read
    pack, profile = load_setup(args)
    result = check_path(args.file, pack, profile, args.previous, known_facts(args)(args.file))
    result = replace(result, source=shown(result.source))  # a name that is not UTF-8 is still shown
    messages_en = {r.id: r.message_en for r in pack.rules if r.message_en}
    if args.format == "html":
        text = report_page(result, args.lang, messages_en)
    else:
        text = f"# {label('heading', args.lang)}\n\n" + report_markdown(result, args.lang, messages_en) + "\n"
    if args.output:
        write_text(args.output, text)
    else:
        sys.stdout.write(text)
    return 1 if result.error else 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="one report's scorecard as an HTML page or Markdown",
                            description="单份报告的检查结果页面。One report's scorecard on its own.")
    parser.add_argument("file", metavar="FILE", help="a report file (.txt .md .html .pdf .docx)")
    parser.add_argument("--format", choices=("html", "md"), default="html", help="output format (default: html)")
    parser.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    parser.add_argument("--previous", metavar="FILE", help="the same agency's report of the previous year")
    add_fact_options(parser)
    add_rule_options(parser)
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language")
    parser.set_defaults(run=run)
