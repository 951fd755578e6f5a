"""Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5,
detected from the bytes rather than assumed.

Big5 bytes decode without error as GB18030 too (every Big5 byte pair is a valid GBK pair), into
nonsense: the two readings are told apart by what a report is written with, the characters
every annual report uses over and over (政府信息公开, 申请, 年度报告...), in either script. The
reading that holds more of them wins; only when neither holds any is charset-normalizer asked."""
from __future__ import annotations

import codecs
import re
from typing import Optional

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Chinese reports are almost always UTF-8 or a GB encoding; GB18030 is a superset of GBK and
# GB2312, so decoding with it never loses a character those would have kept.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "big5", "euc_jis_2004", "cp950"}
# the characters of every report, simplified and traditional: a wrong decoding scatters others
_REPORT_CHARACTERS = tuple(sorted(set("政府信息公开開年度报報告申请請工作情况況处處理复復议議诉訴讼訟行一二三的和")))
# a Chinese legacy encoding, as Python names it, tried in this order (ties go to the first)
_CHINESE = ("gb18030", "cp950")
# how much of the text is looked at to tell them apart
_SAMPLE = 20_000


def decode(data: bytes, declared: Optional[str] = None) -> tuple[str, str]:
    """Return (text, encoding name). ``declared`` is a charset a container stated (an HTML meta
    tag); it is used only when the bytes actually decode with it."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        name = _canonical(declared)
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            pass
    chinese = _chinese(data)
    if chinese is not None:
        return chinese
    guess = _guess(data)
    if guess and guess not in _GB_FAMILY:
        try:
            return data.decode(guess), guess
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("gb18030", errors="replace"), "gb18030"


def _chinese(data: bytes) -> Optional[tuple[str, str]]:
    """The decoding, among the Chinese legacy encodings, whose text holds the most of a report's
    own characters; None when none decodes into any of them."""
    best: Optional[tuple[int, str, str]] = None
    for name in _CHINESE:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        sample = text[:_SAMPLE]
        score = sum(map(sample.count, _REPORT_CHARACTERS))
        if score and (best is None or score > best[0]):
            best = (score, text, name)
    return (best[1], best[2]) if best is not None else None


def _guess(data: bytes) -> Optional[str]:
    """charset-normalizer's guess for bytes that are not UTF-8. Loaded only for such bytes (most
    reports are UTF-8), and optional: without it a GB encoding is tried, which most non-UTF-8
    Chinese reports are."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(data[:200_000]).best()
    return _canonical(best.encoding) if best is not None and best.encoding else None


def _canonical(name: str) -> str:
    name = name.strip().lower().replace("-", "").replace("_", "")
    if name in ("gb2312", "gbk", "gb18030", "cp936", "x-gbk", "xgbk"):
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> Optional[str]:
    """The charset an HTML page declares in its meta tags, if any."""
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii") if match else None
