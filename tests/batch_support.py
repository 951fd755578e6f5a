"""A batch folder built from the seed reports for the batch tests: the five seeds, last year's
report of one of them, a copy of another under a different agency's name, a report whose title
tries to inject markup, unreadable files, and a manifest."""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
LITONG = "002_a0c218d13443adaa.txt"  # 利通区 2024, a people's government
FENYANG = "004_aeb9e6a604dec192.txt"  # 汾阳市 2024
YUMIN = "000_c7c1a845340d13e1.txt"  # 裕民县 2024, published 2025-01-17
XIUWU = "003_855a3ef0bc8273b0.txt"  # 修武县人民政府办公室 2024, a department
INJECTION = "</script><script>alert(1)</script>某县"


@dataclass(frozen=True)
class BatchFolder:
    root: Path  # the folder the batch scans
    manifest: Path
    litong_2023: Path
    litong_2024: Path
    fenyang: Path
    copy: Path  # 汾阳市's report under the title of 孝义市
    hostile: Path  # a title with markup in it
    random_pdf: Path
    empty_docx: Path
    yumin: Path
    xiuwu: Path
    missing: str  # a file the manifest lists but nobody delivered


def last_year(text: str) -> str:
    """The same report a year earlier: every 2024 becomes 2023 and 2025 becomes 2024, and
    last year ended with 3 applications carried over (this year's row 2 says 0: TB-013)."""
    text = text.replace("2024", "2023").replace("2025", "2024")
    return re.sub(r"^四、结转下年度继续办理.*$", "四、结转下年度继续办理\t\t3\t0\t0\t0\t0\t0\t3\t", text, flags=re.M)


def build_batch_folder(base: Path) -> BatchFolder:
    root = base / "reports"
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copyfile(seed, seeds / seed.name)
    litong = (SEEDS / LITONG).read_text(encoding="utf-8")
    years = root / "litong"
    years.mkdir()
    litong_2023 = years / "litong-2023.txt"
    litong_2023.write_text(last_year(litong), encoding="utf-8")

    fenyang = (SEEDS / FENYANG).read_text(encoding="utf-8")
    copies = root / "copies"
    copies.mkdir()
    copy = copies / "xiaoyi-2024.txt"
    # the title names 孝义市; the body still speaks as 汾阳市 (我市 spelled out, as copies often are)
    copied = fenyang.replace("汾阳市 2024 年政府信息公开工作年度报告", "孝义市 2024 年政府信息公开工作年度报告", 1)
    copy.write_text(copied.replace("我市", "汾阳市"), encoding="utf-8")
    hostile = copies / "hostile.txt"
    yumin = (SEEDS / YUMIN).read_text(encoding="utf-8")
    hostile.write_text(yumin.replace("裕民县", INJECTION, 1), encoding="utf-8")  # the title

    broken = root / "broken"
    broken.mkdir()
    random_pdf = broken / "scan.pdf"
    random_pdf.write_bytes(bytes((i * 151 + 7) % 256 for i in range(4096)))
    empty_docx = broken / "empty.docx"
    empty_docx.write_bytes(b"")

    manifest = root / "manifest.csv"
    manifest.write_text(
        "文件,机关,类型,年度,发布日期\n"
        f"seeds/{YUMIN},,,,2025年4月15日\n"  # a government's report after 31 March: TIME-002
        f"seeds/{XIUWU},,政府部门,,2025-02-20\n"  # a department's after 31 January: TIME-001
        "missing/gongan-2024.pdf,某县公安局,政府部门,2024,\n",
        encoding="utf-8-sig")
    return BatchFolder(root=root, manifest=manifest, litong_2023=litong_2023, litong_2024=seeds / LITONG,
                       fenyang=seeds / FENYANG, copy=copy, hostile=hostile, random_pdf=random_pdf,
                       empty_docx=empty_docx, yumin=seeds / YUMIN, xiuwu=seeds / XIUWU,
                       missing=str(root / "missing" / "gongan-2024.pdf"))
