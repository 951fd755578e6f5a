"""Dates as Chinese reports write them: 2025年1月17日, 2025 年 1 月 20 日, 二〇二五年一月十七日,
and ranges (2024年1月1日至2024年12月31日, 从…到12月31日, 自…至…止, 2024.1.1-2024.12.31); and a
statistics period stated by months or as the whole year (统计期限为2024年1月至12月, 2024年全年)."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

_DIGITS = "0-9０-９"
_HAN_DIGITS = "〇零○一二三四五六七八九"
_HAN_NUMBER = "一二三四五六七八九十"
_YEAR = rf"(?:[12１２][{_DIGITS}]{{3}}|[{_HAN_DIGITS}]{{4}})"
_SMALL = rf"(?:[{_DIGITS}]{{1,2}}|[{_HAN_NUMBER}]{{1,3}})"


def _date(tag: str, year_optional: bool = False) -> str:
    year = rf"(?P<{tag}y>{_YEAR})\s*年\s*"
    if year_optional:
        year = f"(?:{year})?"
    return rf"{year}(?P<{tag}m>{_SMALL})\s*月\s*(?P<{tag}d>{_SMALL})\s*[日号]"


DATE = re.compile(_date(""))
# a date in figures, as a signature block may print it: 2025-01-10, 2025.1.10, 2025/1/10
NUMERIC_DATE = re.compile(
    rf"(?<![{_DIGITS}.．])(?P<y>[12１２][{_DIGITS}]{{3}})\s*[-－.．/／]\s*(?P<m>[{_DIGITS}]{{1,2}})\s*[-－.．/／]\s*"
    rf"(?P<d>[{_DIGITS}]{{1,2}})(?![{_DIGITS}])")
RANGE = re.compile(rf"(?:[从自]\s*)?{_date('a')}\s*(?:起\s*)?(?:至|到|—+|-|－|~|～)\s*{_date('b', True)}(?:\s*止)?")

_TO = r"(?:至|到|—+|-|－|~|～)"
# a range of dates in figures: 2024.1.1-2024.12.31, 2024/01/01至2024/12/31
NUMERIC_RANGE = re.compile(
    rf"(?<![{_DIGITS}.．])(?P<ay>[12１２][{_DIGITS}]{{3}})(?P<sep>[-－.．/／])(?P<am>[{_DIGITS}]{{1,2}})(?P=sep)"
    rf"(?P<ad>[{_DIGITS}]{{1,2}})\s*{_TO}\s*(?P<by>[12１２][{_DIGITS}]{{3}})[-－.．/／](?P<bm>[{_DIGITS}]{{1,2}})"
    rf"[-－.．/／](?P<bd>[{_DIGITS}]{{1,2}})(?![{_DIGITS}])")
# what a range in figures starts with (may_hold_numeric_range)
_NUMERIC_YEAR = re.compile(rf"[12１２][{_DIGITS}]{{3}}[-－.．/／]")
# months, where a statistics period is stated: 2024年1月至12月, 2024年1月份至2024年12月份
MONTH_RANGE = re.compile(rf"(?P<ay>{_YEAR})\s*年\s*(?P<am>{_SMALL})\s*月份?\s*{_TO}\s*"
                         rf"(?:(?P<by>{_YEAR})\s*年\s*)?(?P<bm>{_SMALL})\s*月(?!\s*[{_DIGITS}{_HAN_NUMBER}]+\s*[日号])份?")
# the whole year, where a statistics period is stated: 2024年全年, 2024年度, 2024年1-12月
WHOLE_YEAR = re.compile(rf"(?P<y>{_YEAR})\s*(?:年\s*全年|年度|全年)")
# what names the statistics period in its sentence
STATISTICS = "统计"
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")

_HAN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")


def _number(text: str) -> int:
    text = text.translate(_WIDE)
    if text.isdigit():
        return int(text)
    if "十" in text:  # 十 → 10, 十七 → 17, 二十 → 20, 三十一 → 31
        tens, _, units = text.partition("十")
        return (_HAN_VALUE[tens] if tens else 1) * 10 + (_HAN_VALUE[units] if units else 0)
    return int("".join(str(_HAN_VALUE[c]) for c in text))


YEAR = re.compile(rf"({_YEAR})\s*年")


def year_of(written: str) -> Optional[int]:
    """The year a YEAR match's group 1 writes ("2024", "２０２４", "二〇二四"), if plausible."""
    try:
        year = _number(written)
    except (ValueError, KeyError):
        return None
    return year if 1900 <= year <= 2099 else None


def to_date(year: str, month: str, day: str) -> Optional[date]:
    try:
        return date(_number(year), _number(month), _number(day))
    except (ValueError, KeyError):
        return None


def written_date(text: str) -> Optional[re.Match[str]]:
    """The first date in words (2025年1月10日) or, failing that, in figures (2025-01-10)."""
    return DATE.search(text) or NUMERIC_DATE.search(text)


def parse_date(text: str) -> Optional[date]:
    match = DATE.search(text)
    return to_date(match.group("y"), match.group("m"), match.group("d")) if match else None


def find_range(text: str) -> Optional[tuple[date, date, str]]:
    """The first range of dates in words in ``text``: (start, end, the range as written)."""
    if text.count("月") < 2:
        return None  # a range writes two dates, each with its 月: most paragraphs, without the scan
    for match in RANGE.finditer(text):
        start = to_date(match.group("ay"), match.group("am"), match.group("ad"))
        end_year = match.group("by") or match.group("ay")
        end = to_date(end_year, match.group("bm"), match.group("bd"))
        if start and end and start <= end:
            return start, end, match.group().strip()
    return None


def may_hold_numeric_range(text: str) -> bool:
    """Whether ``text`` has a year in figures before a separator, as a range in figures starts
    (a quick scan: the range's own pattern begins with a look-behind, tested at every position)."""
    return _NUMERIC_YEAR.search(text) is not None


def find_numeric_range(text: str) -> Optional[tuple[date, date, str]]:
    """The first range of dates in figures in ``text`` (2024.1.1-2024.12.31)."""
    for match in NUMERIC_RANGE.finditer(text):
        start = to_date(match.group("ay"), match.group("am"), match.group("ad"))
        end = to_date(match.group("by"), match.group("bm"), match.group("bd"))
        if start and end and start <= end:
            return start, end, match.group().strip()
    return None


def may_state_period(text: str) -> bool:
    return STATISTICS in text


def find_stated_period(text: str) -> Optional[tuple[date, date, str]]:
    """A statistics period a sentence of ``text`` that names it (统计) states by months or as
    the whole year: (first day, last day, as written). Months and years alone are not taken
    elsewhere: "2024年1月至6月，开展…" is no statistics period."""
    if STATISTICS not in text:
        return None
    for sentence in _SENTENCE_END.split(text):
        if STATISTICS not in sentence:
            continue
        for match in MONTH_RANGE.finditer(sentence):
            start = _month_start(match.group("ay"), match.group("am"))
            end = _month_end(match.group("by") or match.group("ay"), match.group("bm"))
            if start and end and start <= end:
                return start, end, match.group().strip()
        match = WHOLE_YEAR.search(sentence)
        if match:
            year = year_of(match.group("y"))
            if year is not None:
                return date(year, 1, 1), date(year, 12, 31), match.group().strip()
    return None


def _month_start(year: str, month: str) -> Optional[date]:
    return to_date(year, month, "1")


def _month_end(year: str, month: str) -> Optional[date]:
    first = to_date(year, month, "1")
    if first is None:
        return None
    following = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return date.fromordinal(following.toordinal() - 1)
