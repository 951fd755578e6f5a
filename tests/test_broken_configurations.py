"""Broken configurations - cyclic extends, a waiver for an unknown rule, bad dates, unknown keys at
every level - each give exactly one precise message, at file:line:column, and exit 2."""
from __future__ import annotations

import pytest

from authoring_support import PROVINCE_PROFILE, WAIVER, Project, project  # noqa: F401  (fixture)


CASES = {
    "cyclic extends": (
        {"xxgk.toml": 'profile = "a.toml"\n',
         "a.toml": 'extends = "b.toml"\nid = "a"\nname = "甲"\n',
         "b.toml": 'extends = "a.toml"\nid = "b"\nname = "乙"\n'},
        "b.toml:1:1: key extends: profiles extend each other in a cycle: a.toml → b.toml → a.toml"),
    "extends a profile that does not exist": (
        {"xxgk.toml": 'profile = "p.toml"\n', "p.toml": 'extends = "provincial"\nid = "p"\nname = "p"\n'},
        "p.toml:1:1: key extends: unknown profile 'provincial' (shipped profiles: default, municipal-2pt; "
        "or give a path to a .toml file)"),
    "waiver for an unknown rule": (
        {"xxgk.toml": 'waivers = "waivers.toml"\n', "waivers.toml": WAIVER.replace('"TC-001"', '"TC-100"')},
        "waivers.toml:2:10: rule #1: key rules[0]: unknown rule 'TC-100' - did you mean 'TC-001'?"),
    "a date that does not exist": (
        {"xxgk.toml": 'waivers = "waivers.toml"\n', "waivers.toml": WAIVER.replace("2027-03-31", "2027-02-30")},
        "waivers.toml:6:11: TOML syntax error: not a valid date: write a date as YYYY-MM-DD without quotes, "
        "e.g. 2027-03-31"),
    "a date written the wrong way": (
        {"xxgk.toml": 'waivers = "waivers.toml"\n', "waivers.toml": WAIVER.replace("2027-03-31", "2027/3/31")},
        "waivers.toml:6:11: TOML syntax error: not a valid date: write a date as YYYY-MM-DD without quotes, "
        "e.g. 2027-03-31"),
    "a date in quotes": (
        {"xxgk.toml": 'waivers = "waivers.toml"\n', "waivers.toml": WAIVER.replace("2027-03-31", '"2027-03-31"')},
        "waivers.toml:6:1: rule #1: key expires: expires must be a date written without quotes "
        "(expires = 2027-03-31), not the text '2027-03-31'"),
    "unknown key in xxgk.toml": (
        {"xxgk.toml": 'extend_rules = ["extra"]\n'},
        "xxgk.toml:1:1: key extend_rules: unknown key 'extend_rules' - did you mean 'extend-rules'?"),
    "unknown key in [tool.xxgk]": (
        {"pyproject.toml": '[project]\nname = "x"\n\n[tool.xxgk]\nprofil = "default"\n'},
        "pyproject.toml:5:1: key profil: unknown key 'profil' - did you mean 'profile'?"),
    "unknown key in a profile": (
        {"xxgk.toml": 'profile = "p.toml"\n', "p.toml": PROVINCE_PROFILE.replace('name = "某省评分"', 'nmae = "某省评分"')},
        "p.toml:3:1: key nmae: unknown key 'nmae' - did you mean 'name'?"),
    "unknown key in a profile's deductions": (
        {"xxgk.toml": 'profile = "p.toml"\n', "p.toml": PROVINCE_PROFILE + "\n[deductions]\nhihg = 12\n"},
        "p.toml:12:1: key deductions.hihg: unknown key 'hihg' - did you mean 'high'?"),
    "unknown key in a profile override": (
        {"xxgk.toml": 'profile = "p.toml"\n', "p.toml": PROVINCE_PROFILE.replace('severity = "high"', 'severty = "high"')},
        "p.toml:6:1: key overrides.TB-012.severty: unknown key 'severty' - did you mean 'severity'?"),
    "override of an unknown rule": (
        {"xxgk.toml": 'profile = "p.toml"\n', "p.toml": PROVINCE_PROFILE.replace('"TB-012"', '"TB-021"')},
        "p.toml:5:1: key overrides.TB-021: unknown rule 'TB-021' - did you mean 'TB-012'?"),
    "unknown key in a waiver": (
        {"xxgk.toml": 'waivers = "waivers.toml"\n', "waivers.toml": WAIVER.replace("approved_by", "aproved_by")},
        "waivers.toml:5:1: rule #1: key aproved_by: unknown key 'aproved_by' - did you mean 'approved_by'?"),
    "unknown key in an extra rule": (
        {"xxgk.toml": 'extend-rules = ["extra"]\n'},
        "extra/prov.toml:7:1: rule PROV-001: key severty: unknown key 'severty' - did you mean 'severity'?"),
    "unknown key in a rule's example": (
        {"xxgk.toml": 'extend-rules = ["extra"]\n'},
        "extra/prov.toml:20:3: rule PROV-001: key examples[1].tabels: unknown key 'tabels' - did you mean 'tables'?"),
    "unknown key in a keyword group": (
        {"xxgk.toml": 'extend-rules = ["extra"]\n'},
        "extra/prov.toml:16:1: rule PROV-001: key groups[0].anyy: unknown key 'anyy' - did you mean 'any'?"),
    "unknown family in the configuration's select": (
        {"xxgk.toml": 'select = ["TB", "FE"]\n'},
        "xxgk.toml:1:17: key select[1]: unknown rule family 'FE' - did you mean 'FEE'?"),
}

# the extra rule each "extra rule" case breaks in its own way
EXTRA_RULES = {
    "unknown key in an extra rule": ("assert", "severity", "severty"),
    "unknown key in a rule's example": ("assert", "  tables.applications = { \"*\" = 0, \"3.7\"",
                                        "  tabels.applications = { \"*\" = 0, \"3.7\""),
    "unknown key in a keyword group": ("keywords", 'any = ["问题", "不足"]', 'anyy = ["问题", "不足"]'),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_precise_message_and_exit_2(project: Project, case: str) -> None:
    files, expected = CASES[case]
    for name, text in files.items():
        project.write(name, text)
    if case in EXTRA_RULES:
        kind, old, new = EXTRA_RULES[case]
        assert project.run("rules", "new", "PROV-001", "--kind", kind, "-o", "extra/prov.toml", "--isolated").code == 0
        path = project.root / "extra" / "prov.toml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = project.run("check", str(project.report()))
    assert run.code == 2, run.output
    assert run.out == ""
    assert run.err.splitlines() == [f"xxgk: error: {expected}"], run.err
    assert project.run("config").err == run.err  # `xxgk config` says the same


def test_there_are_at_least_ten() -> None:
    assert len(CASES) >= 10
