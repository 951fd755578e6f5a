"""File -> Report: read the file into a Document, extract the report from it."""
from __future__ import annotations

from pathlib import Path

from .extract import extract
from .formats import DEFAULT_FORMAT, get_format
from .model import Report
from .readers import read_document


def parse_bytes(name: str, data: bytes, format_id: str = DEFAULT_FORMAT) -> Report:
    return extract(read_document(name, data), get_format(format_id))


def parse_file(path: Path | str, format_id: str = DEFAULT_FORMAT) -> Report:
    return extract(read_document(path), get_format(format_id))
