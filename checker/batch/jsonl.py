"""One report object as one JSON line, byte for byte what ``checker.jsonout.dumps(obj,
indent=None)`` writes, but through the C encoder of the json module: on a 10,000-report batch the
pure-Python writer costs 3-9 ms a report, this about a tenth of that.

Decimals must be written as the digits they hold, and the json module writes a str only quoted.
A Decimal whose digits are exactly what the encoder writes for an int or a float goes out as that
int or float (the text is checked, never trusted to rounding); any other goes out as a marked
string and the quotes are taken off afterwards. The mark holds a random nonce drawn per process:
report text is untrusted input and cannot guess it, so it can never turn a string of its own into
a number.

A batch's results lines go through ``line_bytes``: the same bytes, written by msgspec (C) in a
third of the time, with this writer as its fallback."""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Mapping

import msgspec

_NONCE = secrets.token_hex(8)
_MARK = f"\x00{_NONCE}:"
# json.dumps writes the marker's NUL as \u0000; a Decimal in 'f' format is digits, sign and point
_MARKED = re.compile(r'"\\u0000' + _NONCE + r':(-?[0-9]+(?:\.[0-9]+)?)"')


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        digits = format(value, "f")
        number = _same_number(digits)
        return number if number is not None else _MARK + digits
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, msgspec.Struct):  # what a line lists as msgspec writes it (resultsfile)
        return msgspec.to_builtins(value, builtin_types=(Decimal, date, datetime))
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# longer digits stay marked: what a report holds is shorter, and int() refuses thousands of digits
_SHORT = 17


def _same_number(digits: str) -> int | float | None:
    """The int or float the C encoder writes as exactly ``digits`` (it writes int.__repr__ and
    float.__repr__), if there is one: most Decimals of a report (its coverage, points) are, and
    a line with no marked Decimal is not searched and joined again. None for the others (1.50,
    -0, long digits): they are marked."""
    if len(digits) > _SHORT:
        return None
    number: int | float = float(digits) if "." in digits else int(digits)
    return number if repr(number) == digits else None


# json.dumps(value, ensure_ascii=False, default=_default, allow_nan=False), made once: the
# dumps builds an encoder per call, and checks for circles a report object never has
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_default, allow_nan=False, check_circular=False)
_OPENING = '"\\u0000' + _NONCE + ":"  # a marked Decimal as json writes it, up to its digits
_DIGITS = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def dumps_line(value: Any) -> str:
    text = _ENCODER.encode(value)
    return _unmarked(text) if _NONCE in text else text


def _unmarked(text: str) -> str:
    """Each marked Decimal as its bare digits: found by plain search, where a regular expression
    would try its pattern at every position of a long line."""
    head, *marked = text.split(_OPENING)
    out = [head]
    for piece in marked:
        end = piece.find('"')
        if end < 0 or not _DIGITS.fullmatch(piece, 0, end):
            return _MARKED.sub(r"\1", text)
        out.append(piece[:end])
        out.append(piece[end + 1:])
    return "".join(out)


# ---------------------------------------------------------------------- the same bytes, faster

# msgspec writes a line in a third of the time, and the same bytes for what a report's line
# holds (dicts, lists and tuples of text, int, bool, None, date, Decimal and the model's
# dataclasses; the expression language has no sets and refuses floats): every text escaped
# alike, the same digits of an int, a date in its ISO form, a Decimal as str() writes it, which
# is format "f" unless it is not finite or has an exponent.
_WRITER = msgspec.json.Encoder(decimal_format="number")


def line_bytes(value: Any) -> bytes:
    """``dumps_line(value).encode("utf-8")`` for a report's line, written by msgspec: compact,
    then spaced as the json module spaces a line (", " and ": "). A line with a Decimal that
    str() writes otherwise (1E+2; NaN is no JSON the spacing reads), or with text that looks
    like one, goes the slow way."""
    try:
        text = msgspec.json.format(_WRITER.encode(value), indent=0)
    except (TypeError, ValueError, OverflowError):  # a type it does not write, NaN, a lone surrogate
        return dumps_line(value).encode("utf-8")
    if _has_exponent(text):
        return dumps_line(value).encode("utf-8")
    return text


def _has_exponent(text: bytes) -> bool:
    """Whether an E between a digit and a sign is in the line (an exponent, or text that looks
    like one). Each E is found by a byte search, which skips the line's tens of kilobytes many
    bytes at a step; a regular expression tried its pattern at every byte, a tenth of a line's
    writing. An E in UTF-8 is always the letter itself: the bytes of other characters are >= 0x80."""
    at = text.find(b"E")
    while at >= 0:
        if text[at + 1:at + 2] in _SIGNS and at > 0 and 48 <= text[at - 1] <= 57:
            return True
        at = text.find(b"E", at + 1)
    return False


_SIGNS = (b"+", b"-")
