"""Errors of the expression language.

Two families, kept apart on purpose:

* ``ExprError`` and its subclasses: something is wrong with the *rule* - it does not parse, names
  something unknown, calls a function wrongly, or fails at run time (a type error, a division by
  zero, a key the data does not have). The engine reports the rule as broken ("error").
* ``Missing``: nothing is wrong with the rule, but the report lacks a value it needs (a blank or
  not-applicable cell, an absent table). The engine reports the rule as "not_assessable".
  ``Missing`` therefore does NOT derive from ``ExprError``.
"""
from __future__ import annotations

import difflib
import unicodedata
from typing import Any, Iterable, Optional


def did_you_mean(word: str, candidates: Iterable[Any], *, limit: int = 3) -> list[str]:
    """Close matches of ``word`` among ``candidates`` (compared as text), best first."""
    names = [str(c) for c in candidates]
    return difflib.get_close_matches(str(word), names, n=limit, cutoff=0.6)


def display_width(text: str) -> int:
    """Terminal columns of ``text``: Chinese characters take two (a caret or a column must
    account for them)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def caret_lines(text: str, pos: int) -> tuple[str, str]:
    """The line of ``text`` holding ``pos`` and a line with a caret under that position."""
    pos = max(0, min(pos, len(text)))
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:] if end < 0 else text[start:end]
    prefix = text[start:pos].replace("\t", " ")
    return line.replace("\t", " "), " " * display_width(prefix) + "^"


class ExprError(Exception):
    """Base class of every error about an expression. ``text``/``pos`` locate it when known."""

    def __init__(self, message: str, *, text: Optional[str] = None, pos: Optional[int] = None) -> None:
        self.message = message
        self.text = text
        self.pos = pos
        super().__init__(message)

    def __str__(self) -> str:
        if self.text is not None and self.pos is not None:
            return f"{self.message} (at column {self.column})"
        return self.message

    @property
    def column(self) -> Optional[int]:
        """1-based column of ``pos`` on its line."""
        if self.text is None or self.pos is None:
            return None
        return self.pos - (self.text.rfind("\n", 0, self.pos) + 1) + 1

    def render(self) -> str:
        """The message, then the expression and a caret under the problem (when located)."""
        if self.text is None or self.pos is None:
            return self.message
        line, caret = caret_lines(self.text, self.pos)
        return f"{self.message}\n  {line}\n  {caret}"


class ExprSyntaxError(ExprError):
    """The text is not a valid expression. ``expected`` says what the parser wanted at ``pos``."""

    def __init__(self, message: str, *, text: str, pos: int, expected: Optional[str] = None) -> None:
        super().__init__(message, text=text, pos=pos)
        self.expected = expected


class UnknownFunction(ExprError):
    """A call to a function that is not in the registry (checked when compiling)."""

    def __init__(self, name: str, *, known: Iterable[str] = (), text: Optional[str] = None,
                 pos: Optional[int] = None, hint: str = "") -> None:
        self.name = name
        self.suggestions = did_you_mean(name, known)
        message = f"unknown function {name}()"
        if self.suggestions:
            message += " - did you mean " + " or ".join(f"{s}()" for s in self.suggestions) + "?"
        if hint:
            message += f" ({hint})"
        super().__init__(message, text=text, pos=pos)


class ArityError(ExprError):
    """A function called with too few or too many arguments (checked when compiling)."""


class EvalError(ExprError):
    """Evaluation failed because of the rule: a type error, a division by zero, a key or index the
    data does not have. (A value the *report* lacks is ``Missing`` instead.)"""


class UnknownName(EvalError):
    """A root name that is not defined. Raised when compiling if the allowed ``names`` were given,
    otherwise when evaluating - hence an ``EvalError``."""

    def __init__(self, name: str, *, known: Iterable[str] = (), text: Optional[str] = None,
                 pos: Optional[int] = None, hint: str = "") -> None:
        self.name = name
        self.suggestions = did_you_mean(name, known)
        message = f"unknown name {name!r}"
        if hint:
            message += f" - {hint}"
        elif self.suggestions:
            message += " - did you mean " + " or ".join(self.suggestions) + "?"
        super().__init__(message, text=text, pos=pos)


_KIND_REASONS = {
    "blank": "is blank",
    "not_applicable": "is marked not applicable",
    "text": "holds text, not a number",
    "lost": "was lost (its row had fewer values than columns)",
    "unplaced": "could not be placed by the checker (which of the values is its own is not known)",
}


class Missing(Exception):
    """A value the expression needs is absent from the report. Not an error of the rule.

    ``cell`` is the offending cell when there is one; ``expr`` the source text of the
    sub-expression that produced the absent value, when known; ``inputs`` the keys of what is
    absent when the raiser knows them ("table:applications", see checker.engine.inputs)."""

    def __init__(self, reason: str = "", cell: Any = None, *, expr: Optional[str] = None,
                 inputs: tuple[str, ...] = ()) -> None:
        if not reason and cell is not None:
            reason = f"cell {_KIND_REASONS.get(getattr(cell, 'kind', ''), 'has no value')}"
            raw = getattr(cell, "raw", "")
            if raw:
                reason += f" ({raw!r})"
        self.reason = reason or "a value is missing"
        self.cell = cell
        self.expr = expr
        self.inputs = inputs
        super().__init__(self.reason)

    def __str__(self) -> str:
        if not self.expr:
            return self.reason
        if self.reason.startswith(("is ", "was ", "has ", "holds ")):
            return f"{self.expr} {self.reason}"
        return f"{self.expr}: {self.reason}"
