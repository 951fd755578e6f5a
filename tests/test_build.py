"""The fast builders of the reader and the extractor make the same objects as the model's own constructors."""
from __future__ import annotations

import pickle
from dataclasses import fields
from decimal import Decimal

import pytest

from checker.build import make_cell, make_fragment, make_label, make_line, make_paragraph
from checker.model import Cell, Fragment, Label, Line, Paragraph, Source

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
    assert list(vars(made)) == [f.name for f in fields(cls)]  # every field, in order
    assert repr(made) == repr(expected) and pickle.loads(pickle.dumps(made)) == expected
    with pytest.raises(AttributeError):
        made.where = None  # still frozen
