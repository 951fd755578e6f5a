"""How long checking takes: compiling the rule pack (once per run) and checking one already
parsed report against the whole pack (per report).

    python bench/bench_check.py [--repeat N]
    python bench/bench_check.py --folder DIR [--rounds N]

With ``--folder`` (text reports named like bench_batch's, ``NNNNN-2024.txt`` beside last year's
``NNNNN-2023.txt``): the processor time per report of checking every report of the current year
alone, then with last year's report beside it (the cross-year rules and DUP-001), best of
``--rounds`` (the machine's wall clock is noisy; processor time is not, or less).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from checker.engine.runner import Comparison, check_report
from checker.pipeline import parse_file
from checker.engine.pack import load_pack
from checker.engine.scoring import get_profile

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--folder", type=Path, help="a folder of NNNNN-YEAR.txt reports: CPU per report")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--limit", type=int, default=100, help="with --folder: at most this many reports")
    args = parser.parse_args()
    if args.folder is not None:
        cpu_per_report(args.folder, args.rounds, args.limit)
        return

    start = time.perf_counter()
    pack = load_pack()
    compile_ms = (time.perf_counter() - start) * 1000
    profile = get_profile()
    print(f"compile rule pack: {compile_ms:.1f} ms ({len(pack.rules)} rules, once per run)")

    files = sorted((FIXTURES / "seeds").glob("*.txt")) + sorted((FIXTURES / "corpus").glob("*.html")) + \
        sorted((FIXTURES / "corpus").glob("*.pdf"))
    for path in files:
        report = parse_file(path)
        check_report(report, pack, profile)  # warm caches (regexes, sentences of this report are not cached)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            check_report(report, pack, profile)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"{path.name:32} check: median {statistics.median(times):6.2f} ms  "
              f"p95 {sorted(times)[int(len(times) * 0.95) - 1]:6.2f} ms")


def cpu_per_report(folder: Path, rounds: int, limit: int) -> None:
    pack, profile = load_pack(), get_profile()
    current = sorted(folder.glob("*-2024.txt"))[:limit]
    pairs = []
    for path in current:
        before = path.with_name(path.name.replace("-2024.", "-2023."))
        pairs.append((parse_file(path), parse_file(before) if before.exists() else None))
    for label, comparison in (("alone", lambda previous: Comparison()),
                              ("with last year's", lambda previous: Comparison(previous=previous))):
        best = float("inf")
        for _ in range(rounds):
            start = time.process_time()
            for report, previous in pairs:
                check_report(report, pack, profile, comparison(previous))
            best = min(best, time.process_time() - start)
        with_previous = sum(1 for _, previous in pairs if previous is not None)
        print(f"check {label:17} {best / len(pairs) * 1000:6.3f} ms CPU per report "
              f"({len(pairs)} reports, {with_previous} with last year's; best of {rounds})")


if __name__ == "__main__":
    main()
