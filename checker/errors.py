"""The checker's own error types. Each carries what a user needs to fix the input; the CLI turns
them into one clear message and an exit status, never a traceback."""
from __future__ import annotations

from typing import Optional


class CheckerError(Exception):
    """Base class: something about the input, not a bug in the checker."""


class ConfigError(CheckerError):
    """A rule, format or profile file is wrong. The CLI exits 2 and prints
    ``file: rule ID: key: message``."""

    def __init__(self, file: str, message: str, *, rule: Optional[str] = None,
                 key: Optional[str] = None, line: Optional[int] = None) -> None:
        self.file = file
        self.message = message
        self.rule = rule
        self.key = key
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        bits = [where]
        if self.rule:
            bits.append(f"rule {self.rule}")
        if self.key:
            bits.append(f"key {self.key}")
        return ": ".join(bits) + f": {self.message}"


class ReadError(CheckerError):
    """A report file cannot be read (unknown type, encrypted or broken PDF, not a Word file...).
    In a batch it becomes that file's error entry and the batch goes on."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


class UsageError(CheckerError):
    """The command line asks for something impossible; the CLI exits 2."""
