"""Profiles extend profiles: only the overrides are written; chains work, cycles are refused, and
outputs name the profile by its title and say what it extends."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from authoring_support import PROVINCE_PROFILE, Project, project  # noqa: F401  (fixture)
from checker.engine.scoring import get_profile, load_profile
from checker.errors import ConfigError


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_extending_profile_changes_only_what_it_names(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "province.toml", PROVINCE_PROFILE))
    default = get_profile("default")
    assert (profile.id, profile.name, profile.extends) == ("province", "某省评分", ("default",))
    assert profile.severity_of("TB-012", "critical") == "high"
    assert profile.severity_of("META-005", "high") == "low"
    assert profile.severity_of("TB-010", "critical") == "critical"
    assert (profile.start, profile.deductions, profile.caps, profile.grades) == \
        (default.start, default.deductions, default.caps, default.grades)


def test_tables_merge_key_by_key_and_lists_are_replaced(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", 'extends = "default"\nid = "base"\nname = "基础"\n[deductions]\nhigh = 12\n'
                                 '[overrides."TB-006"]\nseverity = "info"\n')
    profile = load_profile(write(tmp_path, "leaf.toml", 'extends = "base.toml"\nid = "leaf"\nname = "叶"\n'
                                                        'select = ["TB"]\n[deductions]\nlow = 1\n'
                                                        '[overrides."TB-006"]\npoints = 3\n'))
    assert profile.extends == ("base", "default")
    assert profile.deductions["high"] == Decimal(12) and profile.deductions["low"] == Decimal(1)
    assert profile.deductions["critical"] == Decimal(20)
    assert profile.overrides["TB-006"].severity == "info" and profile.overrides["TB-006"].points == Decimal(3)
    assert profile.select == ("TB",)


def test_a_cycle_is_refused_naming_the_loop(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'extends = "b.toml"\nid = "a"\nname = "甲"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\nid = "b"\nname = "乙"\n')
    with pytest.raises(ConfigError) as caught:
        load_profile(tmp_path / "a.toml")
    message = str(caught.value)
    assert "profiles extend each other in a cycle" in message
    assert "a.toml → " in message and "b.toml → " in message
    assert caught.value.key == "extends" and caught.value.line == 1


def test_extending_an_unknown_profile_suggests_the_shipped_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown profile 'defualt' - did you mean 'default'"):
        load_profile(write(tmp_path, "p.toml", 'extends = "defualt"\nid = "p"\nname = "p"\n'))


def test_a_profile_without_extends_still_needs_its_scoring_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'start' is required"):
        load_profile(write(tmp_path, "p.toml", 'id = "p"\nname = "p"\n'))


def test_text_output_names_the_profile_by_its_title_and_its_base(project: Project) -> None:
    project.write("province.toml", PROVINCE_PROFILE)
    run = project.run("check", str(project.report()), "--profile", "province.toml")
    assert "评分方案：某省评分" in run.out
    assert "评分方案 某省评分（province；继承 default）" in run.out


def test_unknown_rules_in_a_profile_are_all_reported_where_written(project: Project) -> None:
    project.write("p.toml", 'extends = "default"\nid = "p"\nname = "p"\nselect = ["TB", "TBB"]\n'
                            '[overrides."TB-099"]\nseverity = "low"\n')
    run = project.run("check", str(project.report()), "--profile", "p.toml")
    assert run.code == 2
    assert "p.toml:4:17: key select[1]: unknown rule family 'TBB' - did you mean 'TB'?" in run.err
    assert "p.toml:5:1: key overrides.TB-099: unknown rule 'TB-099' - did you mean" in run.err
