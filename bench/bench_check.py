"""How long checking takes: compiling the rule pack (once per run) and checking one already
parsed report against the whole pack (per report).

    python bench/bench_check.py [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from checker.engine.runner import check_report
from checker.pipeline import parse_file
from checker.engine.pack import load_pack
from checker.engine.scoring import get_profile

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
