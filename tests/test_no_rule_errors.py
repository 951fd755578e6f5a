"""A rule that crashes is the checker's error: whatever a report holds, no rule ends in `error`.
Checked over every report fixture (seeds, corpus pages and PDF, text other tools extracted,
word-processor PDFs) and over damaged copies of the text ones: numbers turned into words, marks or
blanks, lines cut, dropped, shuffled, split and joined."""
from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.pack import load_pack
from checker.engine.runner import check_report
from checker.engine.scoring import get_profile
from checker.pipeline import parse_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# (the text other tools extracted is checked for rule errors in test_extracted_text.py)
REPORTS = sorted(p for folder in ("seeds", "corpus", "pdf") for p in (FIXTURES / folder).glob("*.*")
                 if p.suffix in (".txt", ".html", ".pdf"))
TEXTS = [p for p in REPORTS if p.suffix in (".txt", ".html")] + sorted((FIXTURES / "extracted").glob("*.txt"))
PACK = load_pack()
PROFILE = get_profile()
_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.])")
# what a value cell may hold instead of a number
_NOT_NUMBERS = ("", "/", "—", "无", "见附件", "-1", "1.5", "１２", "3,001", "十")


def _errors(name: str, data: bytes) -> list[str]:
    result = check_report(parse_bytes(name, data), PACK, PROFILE)
    return [f"{r.rule}: {r.params.get('error')}" for r in result.results if r.status == "error"]


def test_every_fixture_is_checked_without_a_rule_error():
    assert len(REPORTS) >= 10
    crashed = {p.name: found for p in REPORTS if (found := _errors(p.name, p.read_bytes()))}
    assert not crashed


def _damaged(text: str, mode: str, rnd: random.Random) -> str:
    lines = text.split("\n")
    if mode == "words":
        return _NUMBER.sub(lambda m: rnd.choice(_NOT_NUMBERS) if rnd.random() < 0.2 else m.group(0), text)
    if mode == "cut":
        low, high = sorted(rnd.randrange(len(lines) + 1) for _ in range(2))
        return "\n".join(lines[low:high])
    if mode == "drop":
        return "\n".join(line for line in lines if rnd.random() > 0.15)
    if mode == "shuffle":
        start, size = rnd.randrange(len(lines)), rnd.randrange(2, 40)
        piece = lines[start:start + size]
        rnd.shuffle(piece)
        return "\n".join(lines[:start] + piece + lines[start + size:])
    out: list[str] = []
    for line in lines:
        if mode == "split" and len(line) > 4 and rnd.random() < 0.2:
            cut = rnd.randrange(1, len(line))
            out += [line[:cut], line[cut:]]
        elif mode == "join" and out and rnd.random() < 0.15:
            out[-1] += rnd.choice(("", " ", "\t")) + line
        else:
            out.append(line)
    return "\n".join(out)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(TEXTS), modes=st.lists(st.sampled_from(["words", "cut", "drop", "shuffle", "split",
                                                                       "join"]), min_size=1, max_size=2),
       rnd=st.randoms(use_true_random=False))
def test_a_damaged_report_is_checked_without_a_rule_error(source, modes, rnd):
    text = source.read_bytes().decode("utf-8", errors="replace")
    for mode in modes:
        text = _damaged(text, mode, rnd)
    assert not _errors(source.name, text.encode("utf-8"))


def test_every_report_with_words_for_numbers_is_checked_without_a_rule_error():
    crashed = {}
    for path in [p for p in TEXTS if p.parent.name != "extracted"]:
        text = _damaged(path.read_bytes().decode("utf-8", errors="replace"), "words", random.Random(path.name))
        if found := _errors(path.name, text.encode("utf-8")):
            crashed[path.name] = found
    assert not crashed
