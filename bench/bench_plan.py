"""How long planning a batch takes, and how much memory it needs, for an index of N reports.

Planning (checker.batch.planner.make_plan) pairs each agency's reports across years, finds
candidate copies among agencies of a year and gives every report its id and input key. It sees
the whole index at once, so it is the step whose memory would grow with the batch. This writes
a synthetic index (agencies of three places, two years, 5% of the texts copies of a few others
with some slots changed, 1% unreadable files) and plans it in a fresh process, printing the
wall time and the process's peak resident memory.

    python bench/bench_plan.py [-n 100000] [--keep DIR]

Issue 12: the peak must stay flat in N (the whole batch's tree under 500 MB).
"""
from __future__ import annotations

import argparse
import hashlib
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

_PLACES = "东西南北中上下新老高长平安永宁丰和兴隆泰康华清河江山阳林峰川源城台"


def write_index(path: Path, count: int) -> None:
    from checker.batch.fingerprint import SLOTS, Fingerprint
    from checker.batch.pairing import IndexEntry
    from checker.spool import SpoolWriter

    rng = random.Random(7)
    originals = [rng.randbytes(SLOTS * 4) for _ in range(50)]
    spool = SpoolWriter(str(path))
    for i in range(count):
        agency = "".join(rng.sample(_PLACES, 3)) + rng.choice("县区市") + rng.choice(["", "教育局", "财政局", "人民政府办公室"])
        year = 2024 if rng.random() < 0.7 else 2023
        if rng.random() < 0.05:
            slots = bytearray(rng.choice(originals))
            for _ in range(6):
                slots[rng.randrange(SLOTS * 4)] = rng.getrandbits(8)
        else:
            slots = bytearray(rng.randbytes(SLOTS * 4))
        file = f"/data/reports/{agency}/{year}/{i:07d}.txt"
        digest = hashlib.blake2b(str(i).encode(), digest_size=16).hexdigest()
        if rng.random() < 0.01:
            spool.add(IndexEntry(file=file, error="无法读取", digest=digest))
        else:
            spool.add(IndexEntry(file=file, agency=agency, kind="县级", year=year, digest=digest,
                                 fingerprint=Fingerprint(slots=bytes(slots), size=rng.randint(2000, 6000))))
    spool.close()


def plan(index: Path, folder: Path) -> None:
    """Run in a process of its own: its peak memory is the planning's."""
    from checker.batch.planner import PlanRequest, make_plan

    request = PlanRequest(index=str(index), units=str(folder / "units"), names=str(folder / "names"),
                          threshold=Decimal("0.8"), suffixes=("人民政府",), root="/data", settings=("bench",))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    members = make_plan(request)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"planned {members} reports in {took:.1f} s; peak memory {peak // 1024} MB "
          f"({before // 1024} MB before planning)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--keep", help="folder to keep the index in (reused when it is there)")
    parser.add_argument("--plan", help=argparse.SUPPRESS)  # the child: plan this index
    args = parser.parse_args()
    if args.plan:
        plan(Path(args.plan), Path(args.plan).parent)
        return
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="xxgk-plan-"))
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / f"index-{args.n}"
    if not index.exists():
        start = time.perf_counter()
        write_index(index, args.n)
        print(f"index of {args.n} reports written in {time.perf_counter() - start:.1f} s")
    subprocess.run([sys.executable, __file__, "--plan", str(index)], check=True)


if __name__ == "__main__":
    main()
