"""`xxgk notice OUT_DIR [--year Y] [--region R] -o 通报.docx`: the written notice (通报) of a
batch's results, as a Word document in the conventions of official documents
(checker/render/notice.py)."""
from __future__ import annotations

import argparse
import sys

from ..errors import UsageError
from ..outpaths import check_output_file, shown


def run(args: argparse.Namespace) -> int:
    from ..batch.resultsfile import read_results, results_path
    from ..render.notice import write_notice

    target = check_output_file(args.output)  # before anything is read
    if not str(target).lower().endswith(".docx"):
        raise UsageError(f"{shown(args.output)}: the notice is a Word document; give a name ending in .docx")
    source = results_path(args.out_dir)
    if source is None:
        raise UsageError(f"no results.jsonl in {shown(args.out_dir)}: give the --out folder of `xxgk batch`")
    try:
        header, reports = read_results(source)
    except ValueError as exc:
        raise UsageError(f"{shown(source)}: {exc}") from None
    if header is None:
        raise UsageError(f"{shown(source)} is empty")
    count = write_notice(target, reports, provenance=header.provenance, year=args.year, region=args.region,
                         issuer=args.issuer or "", rule_count=len(header.rules))
    if count == 0:
        print(f"xxgk: warning: no report of that year and region in {shown(source)}; the notice is empty",
              file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("notice", help="the written notice (通报) of a batch's results, as .docx",
                            description="生成检查情况通报（Word 文档）。Write the notice an office sends upward from "
                                        "the results of `xxgk batch`.")
    parser.add_argument("out_dir", metavar="OUT_DIR", help="the --out folder of `xxgk batch`")
    parser.add_argument("--year", type=int, metavar="Y", help="the report year (default: the latest in the results)")
    parser.add_argument("--region", metavar="R", help="only the reports of this region (manifest column 地区)")
    parser.add_argument("--issuer", metavar="NAME", help="the issuing office, printed above the date")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the .docx to write")
    parser.set_defaults(run=run)
