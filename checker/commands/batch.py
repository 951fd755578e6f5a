"""`xxgk batch PATH... --out DIR`: check every report under some folders at once, with rankings
and summaries for an oversight office (docs/batch.md)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import resolve
from ..errors import UsageError
from ..outpaths import check_output_dir, shown
from .check import add_rule_options

if TYPE_CHECKING:  # the batch machinery loads only when a batch runs
    from ..batch.worker import Settings


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _seconds(nanoseconds: int) -> str:
    tenths = (nanoseconds + 50_000_000) // 100_000_000
    return f"{tenths // 10}.{tenths % 10}"


def run(args: argparse.Namespace) -> int:
    # the batch machinery (process pool, progress bar, workbook) loads only for a batch, so
    # `xxgk parse` and `xxgk check` start without it
    from ..batch.run import BatchOptions, run_batch

    if not args.paths and not args.manifest:
        raise UsageError("give folders or files to check, or a --manifest")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    check_output_dir(args.out)  # a typo in --out costs one line, before anything is read
    settings = worker_settings(args)
    outcome = run_batch(BatchOptions(paths=tuple(args.paths), out=Path(args.out), settings=settings,
                                     manifest=args.manifest, jobs=args.jobs, quiet=args.quiet,
                                     resume=args.resume, compress=args.compress))
    if args.db:
        _into_database(args, settings)
    if not args.quiet:
        names = "、".join(p.name for p in outcome.files)
        phases = "，".join(f"{name} {_seconds(nanoseconds)} 秒" for name, nanoseconds in outcome.phases)
        resumed = f"，沿用上次结果 {outcome.resumed} 份" if outcome.resumed else ""
        print(f"已检查 {outcome.reports} 份报告（无法检查 {outcome.errors} 份{resumed}）；结果写入 {shown(args.out)}：{names}\n"
              f"用时：{phases}", file=sys.stderr)
    return 0


def worker_settings(args: argparse.Namespace) -> "Settings":
    """What the workers check with: the options, then the project configuration, then the
    defaults (the batch's and the workspace's workers alike)."""
    from ..batch.worker import Settings

    resolved = resolve(args)
    return Settings(rules=tuple(args.rules or ()), spec=resolved["spec"], profile=resolved["profile"],
                    select=",".join(resolved["select"]), ignore=",".join(resolved["ignore"]),
                    lang=resolved["lang"], extend_rules=tuple(resolved["extend-rules"]),
                    waivers=resolved["waivers"], config=resolved.file)


def _into_database(args: argparse.Namespace, settings: "Settings") -> None:
    """--db: the batch's results also go into the workspace's database (xxgk serve)."""
    from ..batch.resultsfile import results_path
    from ..batch.worker import setup
    from ..store.batch_import import import_batch

    results = results_path(args.out)
    if results is None:
        raise UsageError(f"no results file in {args.out} to put into {args.db}")
    imported = import_batch(args.db, results, setup(settings), manifest=args.manifest)
    if not args.quiet:
        print(f"已写入数据库 {args.db}：{imported.reports} 份报告", file=sys.stderr)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("batch", help="check every report under some folders; rankings and summaries",
                            description="批量检查并评分：排名、汇总表、跨年度和雷同检查。Check every report under "
                                        "the given folders on a process pool and write results.jsonl, "
                                        "summary.csv/.xlsx, rules.csv, index.html and reports/ into --out.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="report files or folders (searched recursively)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the outputs (created if needed)")
    parser.add_argument("--manifest", metavar="FILE",
                        help="CSV of file, agency, kind, year, published date (文件, 机关, 类型, 年度, 发布日期): "
                             "overrides what is read from the reports")
    parser.add_argument("--db", metavar="FILE",
                        help="also put the results into this workspace database (xxgk serve --db FILE)")
    parser.add_argument("--jobs", "-j", type=int, default=_default_jobs(), metavar="N",
                        help="worker processes (default: the number of CPUs, here %(default)s)")
    add_rule_options(parser)
    parser.add_argument("--lang", choices=("zh", "en"), help="message language in results.jsonl (default: zh)")
    parser.add_argument("--resume", action="store_true",
                        help="after an interruption: keep the results already finished for the same files and rules")
    parser.add_argument("--compress", action="store_true", help="write results.jsonl.gz instead of results.jsonl")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no closing line")
    parser.set_defaults(run=run)
