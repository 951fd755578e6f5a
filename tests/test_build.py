"""The fast builders of the reader and the extractor make the same objects as the model's own constructors."""
from __future__ import annotations

import pickle
from dataclasses import fields
from decimal import Decimal

import pytest

from checker.build import make_cell, make_fragment, make_label, make_line, make_paragraph
from checker.extract.align import Occurrence, Written
from checker.extract.cells import CellReader
from checker.extract.lines import TextLine, prepare
from checker.extract.tokens import Token, tokens
from checker.model import Cell, Fragment, Label, Line, Paragraph, Source
from checker.readers import text

WHERE = Source(line=7)


@pytest.mark.parametrize("cls, build, values", [
    (Cell, make_cell, (Decimal("1.5"), "number", "1.5", WHERE)),
    (Cell, make_cell, (None, "blank", "", None)),
    (Label, make_label, ("applications", "row", "granted", "（一）予以公开", "（一）予以公开", WHERE)),
    (Paragraph, make_paragraph, ("全年共受理申请 3 件。", 3, WHERE)),
    (Fragment, make_fragment, ("规章", WHERE)),
    (Line, make_line, ((Fragment("规章", WHERE), Fragment("0", WHERE)), "row", WHERE, True)),
    (Line, make_line, ((Fragment("全年共受理申请 3 件。", WHERE),), "text", WHERE, False)),
])
def test_a_fast_builder_makes_what_the_constructor_makes(cls, build, values) -> None:
    made, expected = build(*values), cls(*values)
    assert type(made) is cls and made == expected and hash(made) == hash(expected)
    assert [getattr(made, f.name) for f in fields(cls)] == list(values)  # every field set
    assert not hasattr(made, "__dict__")  # slotted: nothing set beside the fields
    assert repr(made) == repr(expected) and pickle.loads(pickle.dumps(made)) == expected
    with pytest.raises(AttributeError):
        made.where = None  # still frozen


def test_prepared_lines_and_tokens_have_every_field_their_constructor_sets(report_format) -> None:
    """prepare(), tokens(), Written.of and Occurrence.of fill their objects field by field,
    bypassing __init__."""
    document = text.read("r.txt", "一、总体情况\n**主动公开**情况\n规章\t0\t\t1\n行政许可 3 5\n（一）予以公开 |\n".encode())
    cells = CellReader.for_format(report_format)
    made = 0
    for line in prepare(document):
        expected = TextLine(line.index, line.line, line.text, line.cells, line.shown)
        assert [getattr(line, f.name) for f in fields(TextLine)] == [getattr(expected, f.name) for f in fields(TextLine)]
        for token in tokens(line, cells):
            built = Token(token.text, token.where, token.line, token.fragment, token.cell)
            assert [getattr(token, f.name) for f in fields(Token)] == [getattr(built, f.name) for f in fields(Token)]
            written = Written.of(None, token)
            assert written == Written(None, token.text, token.loose, token.where, token.line)
            assert Occurrence.of(written, True) == Occurrence(written, former=True)
            made += 1
    assert made >= 8
