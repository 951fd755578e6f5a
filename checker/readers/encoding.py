"""Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK, detected
from the bytes rather than assumed."""
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
    candidates: list[str] = []
    if declared:
        candidates.append(_canonical(declared))
    guess = _guess(data)
    if guess:
        candidates.append("gb18030" if guess in _GB_FAMILY else guess)
    candidates.append("gb18030")
    for name in candidates:
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace"), "gb18030"


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
