"""The checker's own error types. Each carries what a user needs to fix the input; the CLI turns
them into one clear message and an exit status, never a traceback."""
from __future__ import annotations

from typing import Optional


class CheckerError(Exception):
    """Base class: something about the input, not a bug in the checker."""


class ConfigError(CheckerError):
    """A rule, format, profile, configuration or waivers file is wrong. The CLI exits 2 and prints
    ``file:line:column: rule ID: key K: message`` (the parts that are known)."""

    def __init__(self, file: str, message: str, *, rule: Optional[str] = None,
                 key: Optional[str] = None, line: Optional[int] = None, column: Optional[int] = None) -> None:
        self.file = file
        self.message = message
        self.rule = rule
        self.key = key
        self.line = line
        self.column = column
        self.path: tuple = ()  # the key path in the file's data, when known
        super().__init__(str(self))

    @property
    def errors(self) -> tuple["ConfigError", ...]:
        return (self,)

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.line and self.column else "")
        bits = [where]
        if self.rule:
            bits.append(f"rule {self.rule}")
        if self.key:
            bits.append(f"key {self.key}")
        return ": ".join(bits) + f": {self.message}"


class ConfigErrors(ConfigError):
    """Several problems found in one run (lint reports them all, not only the first); each is a
    ConfigError of its own, in file order."""

    def __init__(self, errors: "list[ConfigError] | tuple[ConfigError, ...]") -> None:
        flat = [one for error in errors for one in error.errors]
        if not flat:
            raise ValueError("ConfigErrors needs at least one error")
        self._errors = tuple(flat)
        first = flat[0]
        super().__init__(first.file, first.message, rule=first.rule, key=first.key, line=first.line,
                         column=first.column)

    @property
    def errors(self) -> tuple[ConfigError, ...]:
        return self._errors

    def __str__(self) -> str:
        return "\n".join(ConfigError.__str__(error) for error in self._errors)


def raise_all(errors: "list[ConfigError]") -> None:
    """Raise the errors collected, as one (ConfigErrors when there are several); nothing if none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ConfigErrors(errors)


class ReadError(CheckerError):
    """A report file cannot be read (unknown type, encrypted or broken PDF, not a Word file...).
    In a batch it becomes that file's error entry and the batch goes on."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


class UsageError(CheckerError):
    """The command line asks for something impossible; the CLI exits 2."""
