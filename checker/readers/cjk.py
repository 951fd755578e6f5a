"""Joining pieces of Chinese text the way a reader expects: a cell printed as "商业" / "企业" over
two lines (or two <p> elements) is the word 商业企业, while "2024" / "年" keeps a space.

Shared by the HTML, PDF and Word readers, which all meet text cut into pieces by layout."""
from __future__ import annotations

import re
from typing import Iterable

# A regex character class body: Han ideographs, CJK and full-width punctuation, and the
# quotes, dashes and dots Chinese text uses. Full-width digits and letters are left out on
# purpose: "１２ ３４" are two numbers.
CJK_CLASS = (
    "\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u31ef\u3200-\u32ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    "\u2018-\u201f\u2026\u2014\u00b7"
)
_CJK_CHAR = re.compile(f"[{CJK_CLASS}]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{CJK_CLASS}])\\s+(?=[{CJK_CLASS}])")
_WHITESPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")


def is_cjk(char: str) -> bool:
    return bool(char) and _CJK_CHAR.match(char) is not None


def han_count(text: str | None) -> int:
    """How many Chinese characters a text has (the measure of "how much report is in here")."""
    return len(_HAN.findall(text)) if text else 0


def collapse(text: str) -> str:
    """Whitespace of every kind (NBSP, U+3000, line breaks) to single spaces, invisible
    characters dropped, ends stripped."""
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def squeeze(text: str) -> str:
    """Collapse whitespace and drop it between two CJK characters: inside a table cell a space
    between Chinese characters is layout ("结 果", "社会 公益"), never meaning."""
    return _SPACE_BETWEEN_CJK.sub("", collapse(text))


def glue(left: str, right: str) -> str:
    """The separator two adjacent pieces take: none between CJK characters, a space otherwise."""
    if not left or not right:
        return ""
    return "" if is_cjk(left[-1]) and is_cjk(right[0]) else " "


def join(pieces: Iterable[str]) -> str:
    """Join pieces of one logical text (the lines of a cell, the runs of a paragraph)."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if piece:
            out = out + glue(out, piece) + piece if out else piece
    return out


def join_cell(pieces: Iterable[str]) -> str:
    """Join the lines of one table cell into its text."""
    return squeeze(join(collapse(piece) for piece in pieces))
