"""How long `xxgk batch` takes on a large batch, and how much memory it needs.

Generates N text reports from the seed fixtures into a temporary folder: distinct agencies,
about 40% of them with last year's report too (half of those copied last year's text with new
numbers, as many agencies do), 1% of reports copied from another agency under a new title, the
narrative of every other agency reworded (a sixth of its characters changed) so agencies are not
all copies of five seeds. Then runs `xxgk batch --jobs 2` on it and prints the wall time, the
peak memory of the whole process tree (sampled from /proc) and reports per second.

    python bench/bench_batch.py [-n 10000] [--jobs 2] [--keep DIR] [--profile-name municipal-2pt]

Targets (issue 12): 10,000 reports on two cores in under 30 s, 100,000 in under 5 minutes, peak
memory of the process tree under 500 MB and flat in the number of reports; index.html under
15 MB for 100,000 reports. The output sizes are printed per file.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seeds"
# (agency as the seed's title writes it, year) of each seed
_TITLE = re.compile(r"^(?:#\s*)?(\S+?)\s*(20\d\d)\s*年度?政府信息公开工作年度报告", re.M)
_PLACES = "东西南北中上下新老高长平安永宁丰和兴隆泰康华清河江山阳林峰川源城台"
_ENDINGS = ("县", "区", "市")
_DEPARTMENTS = ("", "", "", "教育局", "财政局", "卫生健康委员会", "自然资源局", "住房和城乡建设局", "人民政府办公室")
_FILLER = "的一是在有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府"


def _seeds() -> list[tuple[str, str, int]]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        match = _TITLE.search(text)
        out.append((text, match.group(1) if match else "", int(match.group(2)) if match else 2024))
    return out


def _agencies(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        # three-character places past 10,000 names: two-character ones give only about 22,000
        # (and up to 10,000 the batch is the same as it always was, so figures stay comparable)
        place = "".join(rng.sample(_PLACES, 2 if len(names) < 10_000 else 3)) + rng.choice(_ENDINGS)
        names.add(place + rng.choice(_DEPARTMENTS))
    return sorted(names)


def _prose(line: str) -> bool:
    return len(line) > 60 and "\t" not in line and "|" not in line


def _reword(text: str, rng: random.Random) -> str:
    """Change a sixth of the characters of the long prose lines: an agency's own wording."""
    lines = []
    for line in text.split("\n"):
        if _prose(line):
            line = "".join(rng.choice(_FILLER) if "\u4e00" <= c <= "\u9fff" and rng.random() < 1 / 6 else c
                           for c in line)
        lines.append(line)
    return "\n".join(lines)


def _renumber(text: str, rng: random.Random) -> str:
    """New counts in the narrative: '…发布信息 2469 条' with other numbers."""
    def repl(match: re.Match[str]) -> str:
        return str(rng.randint(0, 3000)) + match.group(2)
    return "\n".join(re.sub(r"(\d{1,4})(\s*[条件次篇场个项])", repl, line) if _prose(line) else line
                     for line in text.split("\n"))


def _as(text: str, seed_agency: str, agency: str, seed_year: int, year: int) -> str:
    if seed_agency:
        text = text.replace(seed_agency, agency)
    if year != seed_year:
        text = text.replace(str(seed_year + 1), str(year + 1)).replace(str(seed_year), str(year))
    return text


def generate(folder: Path, count: int, seed: int = 5) -> int:
    rng = random.Random(seed)
    seeds = _seeds()
    written = 0
    agencies = _agencies(count, rng)
    reports: list[tuple[str, str]] = []  # (agency, text of this year's report) for copies
    for index, agency in enumerate(agencies):
        if written >= count:
            break
        text, seed_agency, seed_year = seeds[index % len(seeds)]
        if reports and rng.random() < 0.01:  # another agency's report under a new title
            donor_agency, donor = rng.choice(reports)
            current = donor.replace(f"{donor_agency} 2024", f"{agency} 2024", 1)
        else:
            current = _renumber(_reword(_as(text, seed_agency, agency, seed_year, 2024), rng), rng)
        reports.append((agency, current))
        (folder / f"{index:05d}-2024.txt").write_text(current, encoding="utf-8")
        written += 1
        if written < count and rng.random() < 0.4:
            earlier = current.replace("2024", "2023").replace("2025", "2024")
            earlier = _renumber(earlier if rng.random() < 0.5 else _reword(earlier, rng), rng)
            (folder / f"{index:05d}-2023.txt").write_text(earlier, encoding="utf-8")
            written += 1
    return written


def _tree(root: int) -> dict[int, tuple[int, int]]:
    """Each process of the tree under ``root``: (resident bytes, CPU ticks so far)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, tuple[int, int]] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        stats[pid] = (int(fields[21]) * page, int(fields[11]) + int(fields[12]))  # rss; utime + stime
    tree, stack = {}, [root]
    while stack:
        pid = stack.pop()
        if pid in stats:
            tree[pid] = stats[pid]
        stack.extend(children.get(pid, []))
    return tree


def run(folder: Path, out: Path, jobs: int, extra: list[str]) -> tuple[float, int, int, float]:
    """Wall seconds, peak resident bytes of the tree, of its largest process, CPU seconds."""
    # not --quiet: standard error is no terminal here, so no progress bar, but the closing line
    # with the time of each phase
    command = [sys.executable, "-m", "checker", "batch", str(folder), "--out", str(out), "--jobs", str(jobs),
               *extra]
    peak = largest = 0
    cpu: dict[int, int] = {}
    start = time.perf_counter()
    process = subprocess.Popen(command)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, largest
        while not done.is_set():
            tree = _tree(process.pid)
            peak = max(peak, sum(rss for rss, _ in tree.values()))
            largest = max([largest] + [rss for rss, _ in tree.values()])
            for pid, (_, ticks) in tree.items():
                cpu[pid] = max(cpu.get(pid, 0), ticks)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"xxgk batch exited {code}")
    return wall, peak, largest, sum(cpu.values()) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--reports", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR (reused if it has the reports) and keep it")
    parser.add_argument("--profile-name", default=None, metavar="NAME", help="scoring profile to pass on")
    parser.add_argument("--compress", action="store_true", help="pass --compress (results.jsonl.gz)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch) / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        existing = len(list(folder.glob("*.txt")))
        t0 = time.perf_counter()
        count = existing if existing >= args.reports else generate(folder, args.reports)
        print(f"reports: {count} in {folder} ({time.perf_counter() - t0:.1f} s to generate)" if existing < args.reports
              else f"reports: {count} in {folder} (reused)")
        extra = (["--profile", args.profile_name] if args.profile_name else []) + (
            ["--compress"] if args.compress else [])
        out = Path(scratch) / "out"
        wall, peak, largest, cpu = run(folder, out, args.jobs, extra)
        sizes = {p.name: (sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.is_dir() else p.stat().st_size)
                 for p in sorted(out.iterdir())}
        size = sum(sizes.values())
        print(f"xxgk batch --jobs {args.jobs}: wall {wall:.1f} s, {count / wall:.0f} reports/s")
        print(f"CPU: {cpu:.0f} s in all processes, {cpu / count * 1000:.1f} ms a report "
              f"(other load on the machine slows the wall time, not this)")
        print(f"peak memory: {peak / 2**20:.0f} MB for the process tree (sampled every 0.1 s), "
              f"{largest / 2**20:.0f} MB for its largest process")
        print(f"outputs: {size / 2**20:.0f} MB: " + ", ".join(f"{name} {n / 2**20:.1f} MB" for name, n in sizes.items()))
        print(f"results per report: {sizes.get('results.jsonl', sizes.get('results.jsonl.gz', 0)) / count / 1024:.1f} KB")


if __name__ == "__main__":
    main()
