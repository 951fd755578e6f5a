"""JSON output with exact numbers: Decimal values are written as the digits they hold, never
through float. Keys keep their insertion order so the same input always gives the same bytes."""
from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return "null"
        text = format(value, "f")
        return text
    if isinstance(value, (date, datetime)):
        return json.dumps(value.isoformat())
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _write(value: Any, out: list[str], indent: int | None, level: int) -> None:
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, (frozenset, set)):
        value = sorted(value)
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{")
        pad = "\n" + " " * (indent * (level + 1)) if indent is not None else ""
        sep = ", " if indent is None else ","
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(sep)
            out.append(pad)
            out.append(json.dumps(str(key), ensure_ascii=False))
            out.append(": ")
            _write(item, out, indent, level + 1)
        out.append("\n" + " " * (indent * level) if indent is not None else "")
        out.append("}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        out.append("[")
        pad = "\n" + " " * (indent * (level + 1)) if indent is not None else ""
        sep = ", " if indent is None else ","
        for i, item in enumerate(value):
            if i:
                out.append(sep)
            out.append(pad)
            _write(item, out, indent, level + 1)
        out.append("\n" + " " * (indent * level) if indent is not None else "")
        out.append("]")
    else:
        out.append(_scalar(value))


def dumps(value: Any, indent: int | None = 2) -> str:
    out: list[str] = []
    _write(value, out, indent, 0)
    return "".join(out)


def dump(value: Any, stream: TextIO, indent: int | None = 2) -> None:
    stream.write(dumps(value, indent))
    stream.write("\n")


def loads(text: str) -> Any:
    """Read JSON back with exact numbers (Decimal for fractions)."""
    return json.loads(text, parse_float=Decimal)
