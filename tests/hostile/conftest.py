"""Every registered hostile case (the ``cases_*.py`` modules) is built and run once per session,
all in one helper process; each test then looks at its case's outcome."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from .harness import CASES, Outcome, build_all, run_cases

for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if module.name.startswith("cases_"):
        importlib.import_module(f"{__package__}.{module.name}")


@pytest.fixture(scope="session")
def hostile_outcomes(tmp_path_factory) -> dict[str, tuple]:
    """name -> (Case, Outcome) of every registered case."""
    folder = tmp_path_factory.mktemp("hostile")
    cases = build_all(CASES, folder / "inputs")
    outcomes: dict[str, Outcome] = run_cases(cases, folder / "runs")
    return {c.name: (c, outcomes[c.name]) for c in cases}
