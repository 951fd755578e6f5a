"""Rules that run away: refused when loaded (``xxgk rules lint`` exits 2 naming the file, the rule
and the key), or, when no load-time check can see it, stopped by the rule's time budget or the
bounds of numbers, the rule's verdict becoming "error" and the check going on."""
from __future__ import annotations

from pathlib import Path

from .harness import Case, case, xxgk

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "000_c7c1a845340d13e1.txt"


def rule_file(folder: Path, rule_id: str, body: str) -> Path:
    """A rule file of one assert rule with two inline examples (lint wants both outcomes)."""
    path = folder / "rules.toml"
    path.write_text(f'''[[rule]]
id = "{rule_id}"
name = "runaway"
title = "a rule that runs away"
category = "tables"
severity = "low"
basis = "test"
kind = "assert"
{body}

  [[rule.examples]]
  expect = "pass"

  [[rule.examples]]
  expect = "fail"
''', encoding="utf-8")
    return path


# rules refused when loaded: name -> (the rule's keys, what lint says)
REFUSED = {
    "rule_with_a_catastrophic_pattern": (
        'assert = "not matches(part(1).text, \'(a+)+$\')"\nmessage = "x"',
        r"rules\.toml:\d+:\d+: rule ZZ-001: key assert: .*a repetition inside a repetition"),
    "rule_with_a_backreference": (
        'assert = "not matches(part(1).text, \'(\\\\d+)-\\\\1\')"\nmessage = "x"',
        r"rule ZZ-001: key assert: .*backreference"),
    "rule_with_a_message_two_gigabytes_wide": (
        'assert = "1 > 2"\nmessage = "{x:>2000000000}"\nparams = { x = "1" }',
        r"rule ZZ-001: key message: the field \{x:>2000000000\} has a format spec"),
    "rule_whose_let_refers_to_itself": (
        'assert = "x > 0"\nmessage = "x"\nlet = { x = "x + 1" }',
        r"rule ZZ-001: key let\.x: 'x' refers to itself"),
    "rule_whose_lets_refer_to_each_other": (
        'assert = "a > 0"\nmessage = "x"\nlet = { a = "b + 1", b = "a * 2" }',
        r"rule ZZ-001: key let\.a: 'a' refers to itself through a → b → a"),
}


def _refused(body: str, says: str):
    def build(folder: Path) -> Case:
        return Case(xxgk("rules", "lint", rule_file(folder, "ZZ-001", body)), exit_code=2, says=says)
    return build


for _name, (_body, _says) in REFUSED.items():
    case(_refused(_body, _says), name=_name)


@case
def rule_matching_in_polynomial_time(folder: Path) -> Case:
    # passes the load-time check; the budget (lowered here to keep the suite quick) stops it
    path = rule_file(folder, "ZZ-002", '''assert = "not matches(part(1).text, '.*.*.*.*.*.*.*X')"
message = "x"''')
    # a rule in error makes check exit 3 (the checker's fault, named on standard error)
    return Case(xxgk("check", SEED, "--rules", path, "--format", "json", "--fail-on", "never"), exit_code=3,
                says=r'"status": "error"[^}]*the rule ran longer than its time budget \(0\.5 s',
                env={"XXGK_LIMIT_RULE_SECONDS": "0.5"}, max_seconds=3)


@case
def rule_multiplying_sixty_digit_numbers(folder: Path) -> Case:
    big = "9" * 60
    path = rule_file(folder, "ZZ-003", f'''assert = "x * x * x * x * x * x * x * x * x * x > 0"
message = "{{y}}"
params = {{ y = "x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x * x" }}
let = {{ x = "{big}" }}''')
    return Case(xxgk("check", SEED, "--rules", path, "--format", "json", "--fail-on", "never"), exit_code=3,
                says=r'"status": "error"[^}]*arithmetic overflow', max_seconds=3)
