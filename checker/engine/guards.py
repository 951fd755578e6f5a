"""Checks at rule-load time against rules that would run away when checking a report: each one
a rule file can pass the schema and the expression grammar with, and then hang or crash the
check. A rule failing one is refused like any other bad rule (file, rule and key named).

- A regular expression with a repetition nested in a repetition (``(a+)+``) or a
  backreference, which can take exponential time (checker.engine.expr.patterns says why these
  are refused rather than handed to a linear-time engine).
- A ``let`` that refers to itself, directly or through other lets: it can never have a value.
- A format spec in a message field (``{x:>2000000000}`` would build a 2 GB string): the checker
  shows each value itself (dates in Chinese, decimals as written), so a field is a bare name.
"""
from __future__ import annotations

import string
from typing import Any, Iterable, Mapping, Optional

from .expr.patterns import UnsafePattern, safe_regex  # noqa: F401  (the loader's pattern check)


def rule_problem(data: Mapping[str, Any], lets: Iterable[tuple[str, Any]]) -> Optional[tuple[str, str]]:
    """(key, message) for what would make a rule run away, else None: a let referring to itself
    or to a later let (``lets``: the compiled lets, name and Expr), a message field with a format
    spec. (Patterns are checked as they are compiled, by safe_regex.)"""
    problem = let_order_problem({name: expr.names() for name, expr in lets})
    if problem:
        return problem
    for key in ("message", "message_en", "pass_message"):
        template = data.get(key)
        if not template:
            continue
        try:
            found = template_problem(template)
        except ValueError:
            continue  # a template that does not parse is the loader's own error
        if found:
            return key, found
    return None


# --------------------------------------------------------------------------- lets


def let_cycle(lets: Mapping[str, Iterable[str]]) -> Optional[list[str]]:
    """The names of a cycle among the lets (``name -> names its expression reads``), starting and
    ending with the same name, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> Optional[list[str]]:
        state[name] = 1
        for used in sorted(set(lets[name])):
            if used not in lets:
                continue
            if state.get(used) == 1:
                return path[path.index(used):] + [used]
            if used not in state:
                found = visit(used, path + [used])
                if found:
                    return found
        state[name] = 2
        return None

    for name in lets:
        if name not in state:
            found = visit(name, [name])
            if found:
                return found
    return None


def let_order_problem(lets: Mapping[str, Iterable[str]]) -> Optional[tuple[str, str]]:
    """(key, message) for a let that refers to itself (through others or not), or to a let
    written after it (lets are bound in the order written), else None."""
    cycle = let_cycle(lets)
    if cycle:
        if len(cycle) == 2:
            return f"let.{cycle[0]}", f"{cycle[0]!r} refers to itself: it can never have a value"
        return f"let.{cycle[0]}", f"{cycle[0]!r} refers to itself through {' → '.join(cycle)}"
    order = list(lets)
    for at, name in enumerate(order):
        later = sorted(set(lets[name]) & set(order[at + 1:]))
        if later:
            return f"let.{name}", (f"{name!r} uses {later[0]!r}, which is written after it: lets are bound "
                                   f"in the order written, so put {later[0]!r} first")
    return None


# --------------------------------------------------------------------------- message templates

_FORMATTER = string.Formatter()


def template_problem(template: str) -> Optional[str]:
    """Why a message template may not be used, or None: a field with a format spec or a
    conversion (``{x:>9}``, ``{x!r}``). Raises ValueError for a template that does not parse."""
    for _, field, spec, conversion in _FORMATTER.parse(template):
        if field is not None and (spec or conversion):
            written = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            return (f"the field {{{written}}} has a format spec: write {{{field}}} (the checker "
                    f"formats every value itself)")
    return None


def without_format_specs(template: str) -> str:
    """The template with every field's format spec and conversion dropped: what a message is
    rendered with, so a template that escaped the load-time check cannot build a huge string."""
    if ":" not in template and "!" not in template:
        return template
    try:
        parts = list(_FORMATTER.parse(template))
    except ValueError:
        return template
    out = []
    for literal, field, _, _ in parts:
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is not None:
            out.append("{" + field + "}")
    return "".join(out)
