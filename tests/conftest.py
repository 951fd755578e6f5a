"""Shared fixtures: the shipped format, and a helper that parses a report given as text (the
seed reports and their gold are in seeds_support)."""
from __future__ import annotations

from typing import Callable

import pytest

from checker.formats import FormatSpec, get_format
from checker.model import Report
from checker.pipeline import parse_bytes


@pytest.fixture(scope="session")
def report_format() -> FormatSpec:
    return get_format()


@pytest.fixture
def parse_text() -> Callable[..., Report]:
    """parse_text(text, name="report.txt") -> Report, through the real reader and extractor."""
    def parse(text: str, name: str = "report.txt") -> Report:
        return parse_bytes(name, text.encode("utf-8"))
    return parse
