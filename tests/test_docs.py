"""Generated documentation stays in step with the rule files."""
from __future__ import annotations

from pathlib import Path

from checker.render.rules_doc import rules_markdown
from checker.engine.pack import load_pack

ROOT = Path(__file__).resolve().parent.parent


def test_rules_reference_is_up_to_date() -> None:
    written = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == rules_markdown(load_pack()), "run `xxgk rules docs -o docs/rules.md` to regenerate it"


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1:lines.index("```sh") + 3]
    assert "pip install ." in block[0] and "xxgk check examples/" in block[0]
    assert "pip install -e '.[test]'" in block[1] and "pytest" in block[1]
