"""`xxgk report FILE --format html|md`: one report's scorecard as a page of its own (the same
drill-down index.html of a batch shows for it)."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from ..messages import label
from ..outpaths import check_output_file, shown, write_text
from ..render.html import report_page
from ..render.provenance import provenance_markdown
from ..render.results_md import report_markdown
from ..session import open_session
from .check import add_fact_options, add_rule_options, check_path, known_facts


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output_file(args.output)  # before anything is read
    session = open_session(args)
    result = session.apply_waivers(check_path(args.file, session.pack, session.profile, args.previous,
                                              known_facts(args)(args.file), session.settings["lang"]))
    result = replace(result, source=shown(result.source))  # a name that is not UTF-8 is still shown
    for warning in session.waiver_warnings([result]):
        print(f"xxgk: warning: {warning}", file=sys.stderr)
    messages_en = session.messages_en
    lang = session.settings["lang"]
    if args.format == "html":
        text = report_page(result, lang, messages_en, provenance=session.provenance.as_dict())
    else:
        text = (f"# {label('heading', lang)}\n\n" + report_markdown(result, lang, messages_en) + "\n\n"
                + provenance_markdown(session.provenance, lang) + "\n")
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
    parser.add_argument("--lang", choices=("zh", "en"), help="message language (default: zh)")
    parser.set_defaults(run=run)
