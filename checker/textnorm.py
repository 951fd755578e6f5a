"""Text normalisation shared by readers, the extractor and the rules.

Real reports mix full-width and half-width forms, put spaces inside words ("结果 维持", "社会 公益
组织"), wrap labels in markdown bold and table bars, and number rows in half a dozen ways. Matching
always happens on the folded form produced here; what was written is kept beside it."""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Optional, Union

Number = Union[int, Decimal]

# Characters that carry no meaning for matching: whitespace (incl. U+3000 and NBSP), markdown
# markers, table bars and every kind of quote.
# The marks among them (whitespace, U+00A0 and U+3000 included, is what str.split() drops):
_NOISE_MARKS = "*#|`“”\"'‘’「」『』〝〞"
_NOISE = re.compile(r"[\s\u00a0\u3000" + re.escape(_NOISE_MARKS) + "]+")
# from this length on, dropping the noise by splitting and replacing is cheaper than the regex
# (which builds a piece per match: a paragraph has a space or a quote every few characters)
LONG_TEXT = 64
_ENUMERATOR = re.compile(
    r"^(?:"
    r"[(（][一二三四五六七八九十]+[)）][、.．,，:：]?"  # （三） (三)
    r"|[一二三四五六七八九十]+[、.．,，:：]"  # 一、
    r"|[(（]\d{1,2}[)）][、.．,，:：]?"  # (1)
    r"|\d{1,2}(?:[、.．,，:：](?!\d)|(?=[\u4e00-\u9fff]))"  # 1. 1、 1属于
    r"|[①②③④⑤⑥⑦⑧⑨⑩]"
    r")+"
)
_DIGITS = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# the most digits a number may have, in a report as in a rule's arithmetic
MAX_DIGITS = 60
_LONGEST = MAX_DIGITS * 4 // 3 + 3  # with a sign, a point and thousands separators


# The full-width ASCII forms and the ideographic space, each with its NFKC decomposition (a
# plain ASCII character): nearly all that keeps Chinese report text from being NFKC already.
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_NARROW = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_find_wide = _WIDE.search


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), five times faster on report text. Replacing a
    character by its compatibility decomposition leaves the NFKC form unchanged, so the
    full-width forms are narrowed first; the text is then usually NFKC already, which the
    quick check confirms without normalising."""
    text = narrow(text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def narrow(text: str) -> str:
    """The text with each full-width ASCII form and the ideographic space replaced by its plain
    character."""
    # one replace per distinct form (a handful: ，（）：；), not a Python call per character as
    # a sub() with a function makes (a paragraph has a full-width comma every few words). Each
    # form is found by a search from the last one found: a form is replaced by one character,
    # so no form is left before it (findall() made a string of every occurrence)
    found = _find_wide(text)
    while found is not None:
        form = found.group()
        text = text.replace(form, _NARROW[form])
        found = _find_wide(text, found.end())
    return text


def fold(text: str) -> str:
    """NFKC (full-width letters, digits and brackets to their plain forms) plus a few fixes NFKC
    does not make."""
    text = nfkc(text)
    return text.replace("〔", "[").replace("〕", "]").replace("—", "-").replace("－", "-")


def squash(text: str) -> str:
    """Folded text without whitespace, markdown markers, table bars or quotes."""
    return squash_folded(fold(text))


def squash_folded(folded: str) -> str:
    """squash() of text already folded (saves a second Unicode normalisation)."""
    if len(folded) < LONG_TEXT:
        return _NOISE.sub("", folded)
    # str.split() drops exactly what the regex's \s matches (both ask Py_UNICODE_ISSPACE)
    text = "".join(folded.split())
    for mark in _NOISE_MARKS:
        # most marks are not in a text: a search stops at the first one, where replace() counts
        # them all through the whole text before it copies
        if mark in text:
            text = text.replace(mark, "")
    return text


def strip_enumerator(text: str) -> str:
    """Drop leading outline numbering: '（三）不予公开' -> '不予公开', '1.属于国家秘密' -> '属于国家秘密'."""
    return _ENUMERATOR.sub("", text, count=1)


def label_key(text: str) -> str:
    """The form labels are compared in: squashed, enumerator dropped."""
    return strip_enumerator(squash(text))


@lru_cache(maxsize=8192)  # labels repeat from report to report
def loose(text: str) -> str:
    """For label-wording comparison: squashed and without punctuation at all."""
    return re.sub(r"[^\w]", "", label_key(text))


def parse_number(text: str) -> Optional[Number]:
    """'1,234' -> 1234, '１２３４.５６' -> Decimal('1234.56'); anything else -> None, a run of
    more than MAX_DIGITS digits too (no count in a report is that long, and Python will not even
    print an int of 4,300)."""
    t = text.translate(_DIGITS).strip().replace(" ", "")
    if not t or len(t) > _LONGEST or not _NUMBER.match(t):
        return None
    t = t.replace(",", "")
    if len(t) - (t[0] in "+-") - ("." in t) > MAX_DIGITS:
        return None
    if "." in t:
        try:
            return Decimal(t)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid forms
            return None
    return int(t)
