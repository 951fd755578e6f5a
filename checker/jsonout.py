"""JSON output with exact numbers: a Decimal is written as the digits it holds, never through
float. Keys keep their insertion order, so the same input always gives the same bytes.

The standard library's C encoder does the writing; Decimals travel through it as marked strings
and are unquoted afterwards, which keeps large batches fast."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

# A Decimal becomes this marker + its digits inside a JSON string; no report text contains the
# two control characters, and the C encoder writes them as \u0000\u0001.
_MARK = "\x00\x01"
_MARKED = re.compile(r'"\\u0000\\u0001(-?[0-9.]+)"')


def _prepare(value: Any) -> Any:
    if isinstance(value, (str, int, float)) or value is None:  # bool is an int
        return value
    if isinstance(value, Decimal):
        return _MARK + format(value, "f") if value.is_finite() else None
    if isinstance(value, dict):
        return {str(k): _prepare(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_prepare(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return [_prepare(v) for v in sorted(value)]
    if is_dataclass(value) and not isinstance(value, type):
        return _prepare(asdict(value))
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value: Any, indent: int | None = 2) -> str:
    separators = (",", ": ") if indent is not None else (", ", ": ")
    text = json.dumps(_prepare(value), ensure_ascii=False, indent=indent, separators=separators)
    return _MARKED.sub(r"\1", text)


def dump(value: Any, stream: TextIO, indent: int | None = 2) -> None:
    stream.write(dumps(value, indent))
    stream.write("\n")


def loads(text: str) -> Any:
    """Read JSON back with exact numbers (Decimal for fractions)."""
    return json.loads(text, parse_float=Decimal)
