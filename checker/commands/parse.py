"""``xxgk parse FILE``: read one report and show what was found in it — metadata, parts,
paragraphs and the three tables of typed cells — as text or as JSON (the contract in
schemas/report.schema.json)."""
from __future__ import annotations

import argparse
import sys

from ..formats import DEFAULT_FORMAT, get_format
from ..jsonout import dump
from ..pipeline import parse_file
from ..render.report_json import report_to_dict
from ..render.report_text import render_report


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "parse", help="read a report and show its parts, tables and metadata",
        description="Read one annual report (.txt/.md, .html, .pdf, .docx) and show what the "
                    "checker found in it.")
    parser.add_argument("file", help="the report file")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--spec", default=DEFAULT_FORMAT, metavar="FORMAT_ID",
                        help=f"the national report format to read against (default: {DEFAULT_FORMAT})")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    fmt = get_format(args.spec)
    report = parse_file(args.file, args.spec)
    if args.format == "json":
        dump(report_to_dict(report, fmt), sys.stdout)
    else:
        sys.stdout.write(render_report(report, fmt))
    return 0
