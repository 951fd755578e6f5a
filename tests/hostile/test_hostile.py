"""Each hostile case: refused or read as documented (exit status and message), no traceback,
within its processor time and memory, no process or temporary file left behind."""
from __future__ import annotations

import pytest

from .harness import CASES


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(name, hostile_outcomes):
    case, outcome = hostile_outcomes[name]
    problems = outcome.problems(case)
    assert not problems, "\n".join(problems)
