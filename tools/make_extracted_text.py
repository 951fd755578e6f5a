"""Write tests/fixtures/extracted/: reports as text that *other* tools extracted from PDFs.

    .venv/bin/python tools/make_extracted_text.py      # needs `pdftotext` (poppler-utils) and `soffice`

Oversight offices often receive a report as text someone pulled out of a PDF with poppler's
``pdftotext``: with ``-layout`` the table's columns are kept as runs of spaces; without it, the
text comes block by block, so a clump of row labels can come before their values, or the values
before the labels. Each fixture is one such extraction of a PDF whose every cell is known:

- the corpus PDF, and the word-processor PDFs of tests/fixtures/pdf/;
- PDFs LibreOffice prints from the corpus web pages and from the seed texts;
- PDFs LibreOffice prints from each gold report rendered as a web page in the national layout
  (tests/layouts.py).

``sources.json`` names, for each fixture, the gold file (relative to tests/fixtures) whose cells
it holds, and whether the report's own text (and so the gold verdicts) is kept. The tests read
the committed text and never need poppler or LibreOffice. The output is deterministic for a
given poppler and LibreOffice (the versions are recorded in sources.json)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
OUT = FIXTURES / "extracted"
MODES = {"raw": [], "layout": ["-layout"]}


def _run(args: list[str], **kwargs) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def _version(args: list[str]) -> str:
    proc = subprocess.run(args, capture_output=True, text=True)
    return (proc.stdout or proc.stderr).strip().splitlines()[0]


def _to_pdf(sources: list[Path], work: Path) -> dict[Path, Path]:
    """PDFs LibreOffice prints from the files (one process for all), by source."""
    profile = work / "profile"
    outdir = work / "pdf"
    outdir.mkdir()
    # the seed texts are UTF-8: say so, or LibreOffice guesses a legacy code page
    texts = [s for s in sources if s.suffix == ".txt"]
    pages = [s for s in sources if s.suffix != ".txt"]
    base = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless"]
    if texts:
        _run(base + ["--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "pdf", "--outdir", str(outdir),
                     *map(str, texts)])
    if pages:
        # Writer's own HTML import: the default one (Writer/Web) leaves the page's first block,
        # the report's title, out of the PDF
        _run(base + ["--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outdir),
                     *map(str, pages)])
    return {s: outdir / f"{s.stem}.pdf" for s in sources}


def _rendered_golds(work: Path) -> list[tuple[str, Path, str]]:
    """Every gold report rendered as a web page in the national layout: (name, file, gold)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import layouts as L

    out = []
    folder = work / "rendered"
    folder.mkdir()
    for truth, path in zip(L.load_truths(), L.GOLD_FILES):
        page = folder / f"national-{truth.name}.html"
        page.write_bytes(L.write_html(L.report_blocks(truth, L.LAYOUTS["national"]), L.LAYOUTS["national"]))
        out.append((f"national-{truth.name}", page, str(path.relative_to(FIXTURES))))
    return out


def main() -> None:
    for tool in ("pdftotext", "soffice"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install -y poppler-utils libreoffice-writer")
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.txt"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="xxgk-extracted-") as tmp:
        work = Path(tmp)
        # (fixture name, PDF or file to print, gold, whether the report's own text is kept)
        jobs: list[tuple[str, Path, str, bool]] = [
            ("corpus-huaian-2024", FIXTURES / "corpus" / "huaian-2024.pdf", "corpus/gold/huaian-2024.json", True)]
        make_fixtures = (FIXTURES / "pdf" / "make_fixtures.py").read_text(encoding="utf-8")
        for pdf in sorted((FIXTURES / "pdf").glob("word-*.pdf")):
            gold = make_fixtures.split(f'"{pdf.stem}": Variant("', 1)[1].split('"', 1)[0]
            jobs.append((f"pdf-{pdf.stem}", pdf, f"corpus/gold/{gold}.json", False))
        printed = [(f"corpus-{p.stem}", p, f"corpus/gold/{p.stem}.json", True)
                   for p in sorted((FIXTURES / "corpus").glob("*.html"))]
        for gold in sorted((FIXTURES / "gold").glob("*.json")):
            source = json.loads(gold.read_text(encoding="utf-8"))["source"]
            printed.append((f"seed-{gold.stem[:3]}", FIXTURES / "seeds" / source, f"gold/{gold.name}", True))
        printed += [(name, page, gold, False) for name, page, gold in _rendered_golds(work)]
        pdfs = _to_pdf([p for _, p, _, _ in printed], work)
        jobs += [(name, pdfs[p], gold, own) for name, p, gold, own in printed]
        sources = {}
        for name, pdf, gold, own in jobs:
            for mode, flags in MODES.items():
                text = _run(["pdftotext", *flags, "-enc", "UTF-8", str(pdf), "-"])
                file = f"{name}.{mode}.txt"
                (OUT / file).write_text(text, encoding="utf-8")
                sources[file] = {"gold": gold, "own_text": own}
    manifest = {"pdftotext": _version(["pdftotext", "-v"]), "soffice": _version(["soffice", "--version"]),
                "files": sources}
    (OUT / "sources.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(sources)} files to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
