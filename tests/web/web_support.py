"""Reports and uploads for the workspace's tests: the shared seeds and corpus, hostile variants
built at test time, zip archives and manifests."""
from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path
from typing import Iterable

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = FIXTURES / "seeds"
CORPUS = FIXTURES / "corpus"
LITONG = "002_a0c218d13443adaa.txt"  # 利通区 2024
YUMIN = "000_c7c1a845340d13e1.txt"  # 裕民县 2024: fails several rules
FENYANG = "004_aeb9e6a604dec192.txt"  # 汾阳市 2024
SCRIPT = "<script>alert('title')</script>"
ONERROR = '<img src=x onerror="alert(1)">'
FORMULA = "=HYPERLINK(\"http://example.invalid\",\"x\")"
HOSTILE_AGENCY = f"{SCRIPT}某区"
HOSTILE_NAME = f"hostile/{ONERROR}.html"  # markup in a delivered file's name
FORMULA_AGENCY = "=SUM(1+2)某局"  # a manifest's agency name a spreadsheet would run


def seed(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def shared_reports() -> list[tuple[str, bytes]]:
    """The seeds and the corpus, as an office would deliver them."""
    files = [(f"seeds/{p.name}", p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    files += [(f"corpus/{p.name}", p.read_bytes()) for p in sorted(CORPUS.iterdir()) if p.is_file()]
    return files


def hostile_report() -> bytes:
    """利通区's report with markup in its title (so in its agency's name)."""
    text = seed(LITONG).decode("utf-8")
    text = text.replace("利通区 2024 年政府信息公开工作年度报告", f"{HOSTILE_AGENCY} 2024 年政府信息公开工作年度报告", 1)
    assert SCRIPT in text
    return text.encode("utf-8")


def formula_page() -> bytes:
    """A web page report with a formula in a cell of Table B (TB-005 quotes it as evidence)."""
    page = (CORPUS / "pingtan-2024.html").read_text(encoding="utf-8")
    escaped = html.escape(FORMULA, quote=True)
    changed = re.sub(r"(本年新收政府信息公开申请数量</p></td><td><p>\d+</p></td><td><p>)\d+(</p>)",
                     lambda m: m.group(1) + escaped + m.group(2), page, count=1)
    assert escaped in changed
    return changed.encode("utf-8")


def last_year(text: str) -> str:
    """The same report a year earlier (every year one less)."""
    return text.replace("2024", "2023").replace("2025", "2024")


def archive(files: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in files:
            zipped.writestr(name, data)
    return buffer.getvalue()
