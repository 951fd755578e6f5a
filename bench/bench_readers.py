"""Time each reader (file bytes → Document) on the real corpus and on a generated Word report.

    .venv/bin/python bench/bench_readers.py [--iterations N] [FILE ...]

Prints, per file, milliseconds per report (the best of three rounds, each the mean of N runs)
and per page for PDFs. Targets: an HTML report well under 50 ms; a PDF 40 ms a page (the issue's
limit is a ten-page PDF under 1 s).
The first read of a process is reported apart: PDF font maps are loaded once per process."""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the Word report is built by the tests' fixture code

from readers_support import CORPUS, gold, make_docx  # noqa: E402

from checker.readers import bounded, read_document  # noqa: E402

TARGET_MS = {"html": 50.0, "docx": 50.0}
# the issue asks for a ten-page PDF under 1 s; the reader is held to 40 ms a page (400 ms for ten),
# room for slower machines and busier pages than the corpus's
PDF_TARGET_MS_PER_PAGE = 40.0


def processor_time() -> float:
    """Seconds of processor time of this process and of the children it waited for. A PDF is read
    in a helper process held to the reading limits: it is stopped and reaped first, so that its
    time counts (and each round forks a fresh one, as each batch worker does)."""
    bounded.stop()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(read: Callable[[], object], iterations: int) -> tuple[float, float, float]:
    """(first run, best steady-state mean, CPU time of that mean) in milliseconds. On a shared
    machine the CPU time is the figure to compare: other processes stretch the wall time."""
    start = time.perf_counter()
    read()
    first = time.perf_counter() - start
    best = cpu = float("inf")
    for _ in range(3):
        start, start_cpu = time.perf_counter(), processor_time()
        for _ in range(iterations):
            read()
        best = min(best, (time.perf_counter() - start) / iterations)
        cpu = min(cpu, (processor_time() - start_cpu) / iterations)
    return first * 1000, best * 1000, cpu * 1000


def pages_of(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()

    inputs: list[tuple[str, bytes]] = [(p.name, p.read_bytes()) for p in args.files]
    if not inputs:
        inputs = [(p.name, p.read_bytes()) for p in sorted(CORPUS.glob("*.*")) if p.is_file()]
        inputs.append(("generated-pingtan-2024.docx", make_docx(gold("pingtan-2024"))))

    status = 0
    print(f"{'file':32} {'reader':6} {'KB':>6} {'first ms':>9} {'ms/report':>10} {'cpu ms':>7}"
          "  target (on cpu ms)")
    for name, data in inputs:
        reader = read_document(name, data).reader
        first, steady, cpu = timed(lambda: read_document(name, data), args.iterations)
        if reader == "pdf":
            pages = pages_of(data)
            limit = PDF_TARGET_MS_PER_PAGE * pages
            target = f"{cpu / pages:.0f} ms/page, {limit:.0f} ms for {pages} pages"
        else:
            limit = TARGET_MS.get(reader, 50.0)
            target = f"{limit:.0f} ms"
        verdict = "ok" if cpu <= limit else "SLOW"
        status |= verdict != "ok"
        print(f"{name:32} {reader:6} {len(data) / 1024:6.1f} {first:9.1f} {steady:10.1f} "
              f"{cpu:7.1f}  {verdict} ({target})")
    return status


if __name__ == "__main__":
    sys.exit(main())
