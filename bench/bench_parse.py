"""Time parsing (read + extract) of the seed reports.

    .venv/bin/python bench/bench_parse.py [--iterations N] [FILE ...]

Prints, per file, milliseconds per report and per KB of input; the default files are the seed
reports in tests/fixtures/seeds. The target is a 15 KB report in well under 10 ms.

"cold" clears the extractor's caches of normalised label texts before every parse (a single
report); "warm" keeps them, as in a batch, where the same labels recur in every report."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from checker.extract import clear_caches, extract
from checker.formats import get_format
from checker.readers import read_document

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seeds"


def bench(path: Path, iterations: int, cold: bool) -> float:
    """Milliseconds per parse: the best of three rounds, each the mean of ``iterations`` runs."""
    data = path.read_bytes()
    fmt = get_format()
    extract(read_document(path.name, data), fmt)  # the format index is built once per process
    best = float("inf")
    for _ in range(3):
        elapsed = 0.0
        for _ in range(iterations):
            if cold:
                clear_caches()
            start = time.perf_counter()
            extract(read_document(path.name, data), fmt)
            elapsed += time.perf_counter() - start
        best = min(best, elapsed / iterations)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--iterations", type=int, default=50)
    args = parser.parse_args()
    files = args.files or sorted(SEEDS.glob("*.txt"))
    print(f"{'file':<32} {'size':>8}  {'cold ms':>8} {'ms/KB':>6}  {'warm ms':>8} {'ms/KB':>6}")
    totals = [0.0, 0.0, 0.0]
    for path in files:
        kb = path.stat().st_size / 1024
        cold, warm = bench(path, args.iterations, True), bench(path, args.iterations, False)
        for i, value in enumerate((kb, cold, warm)):
            totals[i] += value
        print(f"{path.name:<32} {kb:5.1f} KB  {cold:8.2f} {cold / kb:6.3f}  {warm:8.2f} {warm / kb:6.3f}")
    kb, cold, warm = totals
    if kb:
        n = len(files)
        print(f"{'mean':<32} {kb / n:5.1f} KB  {cold / n:8.2f} {cold / kb:6.3f}  {warm / n:8.2f} {warm / kb:6.3f}")


if __name__ == "__main__":
    main()
