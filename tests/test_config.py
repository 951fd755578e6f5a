"""The project configuration: found from the working directory upwards (xxgk.toml, or
[tool.xxgk] in pyproject.toml), the same keys as the options, options win, and `xxgk config`
says where each setting came from."""
from __future__ import annotations

import json

from authoring_support import PROVINCE_PROFILE, Project, project  # noqa: F401  (fixture)


def test_xxgk_toml_is_found_from_a_subfolder_and_its_paths_are_relative_to_it(project: Project) -> None:
    project.write("xxgk.toml", 'profile = "province.toml"\nignore = ["TB-006"]\n')
    project.write("province.toml", PROVINCE_PROFILE)
    (project.root / "a" / "b").mkdir(parents=True)
    import os
    os.chdir(project.root / "a" / "b")
    run = project.run("config")
    assert run.code == 0, run.output
    assert "configuration file: ../../xxgk.toml" in run.out
    assert "profile       ../../province.toml" in run.out and "../../xxgk.toml:1:1" in run.out
    assert "ignore        TB-006" in run.out and "../../xxgk.toml:2:1" in run.out
    assert "profile: 某省评分 (province, extends default" in run.out


def test_options_win_over_the_file(project: Project) -> None:
    project.write("xxgk.toml", 'select = ["TB"]\nlang = "en"\n')
    run = project.run("config", "--select", "TC", "--json")
    settings = json.loads(run.out)["settings"]
    assert settings["select"] == {"value": ["TC"], "origin": "--select"}
    assert settings["lang"] == {"value": "en", "origin": "xxgk.toml:2:1"}
    assert settings["profile"] == {"value": "default", "origin": "default"}


def test_pyproject_tool_table_is_read_and_one_without_it_is_passed_over(project: Project) -> None:
    project.write("pyproject.toml", '[project]\nname = "x"\n\n[tool.xxgk]\nselect = ["TB", "TC"]\n')
    project.write("inner/pyproject.toml", '[project]\nname = "inner"\n')
    import os
    os.chdir(project.root / "inner")
    run = project.run("config", "--json")
    document = json.loads(run.out)
    assert document["config_file"] == "../pyproject.toml"
    assert document["settings"]["select"]["origin"] == "../pyproject.toml:5:1"


def test_the_nearest_file_wins(project: Project) -> None:
    project.write("xxgk.toml", 'select = ["TB"]\n')
    project.write("sub/pyproject.toml", '[tool.xxgk]\nselect = ["TC"]\n')
    import os
    os.chdir(project.root / "sub")
    assert json.loads(project.run("config", "--json").out)["settings"]["select"]["value"] == ["TC"]


def test_isolated_ignores_the_file(project: Project) -> None:
    project.write("xxgk.toml", 'select = ["TB"]\n')
    run = project.run("config", "--isolated", "--json")
    assert json.loads(run.out)["config_file"] is None


def test_check_takes_format_lang_and_profile_from_the_file(project: Project) -> None:
    report = project.report()
    project.write("xxgk.toml", 'format = "json"\nprofile = "province.toml"\nfail-on = "never"\n')
    project.write("province.toml", PROVINCE_PROFILE)
    run = project.run("check", str(report))
    assert run.code == 0  # fail-on = never
    document = json.loads(run.out)
    assert document["reports"][0]["profile"] == "province"
    assert document["reports"][0]["profile_title"] == "某省评分"
    assert document["provenance"]["config_file"] == "xxgk.toml"
    assert document["provenance"]["profile_extends"] == ["default"]


def test_unknown_key_in_pyproject_is_placed_in_that_file(project: Project) -> None:
    project.write("pyproject.toml", '[project]\nname = "x"\n\n[tool.xxgk]\nselct = ["TB"]\n')
    run = project.run("config")
    assert run.code == 2
    assert "pyproject.toml:5:1: key selct: unknown key 'selct' - did you mean 'select'?" in run.err


def test_extend_rules_adds_to_the_shipped_pack(project: Project) -> None:
    assert project.run("rules", "new", "PROV-001", "--kind", "keywords", "-o", "extra/prov.toml").code == 0
    project.write("xxgk.toml", 'extend-rules = ["extra"]\n')
    run = project.run("config", "--json")
    resolved = json.loads(run.out)["resolved"]
    assert resolved["extra_rule_files"] == ["extra/prov.toml"]
    assert resolved["rules"] == json.loads(project.run("config", "--isolated", "--json").out)["resolved"]["rules"] + 1
    # the same on the command line
    run = project.run("check", str(project.report()), "--isolated", "--extend-rules", "extra", "--select", "PROV",
                      "--format", "json", "--fail-on", "never")
    assert [r["rule"] for r in json.loads(run.out)["reports"][0]["results"]] == ["PROV-001"]


def test_select_in_the_file_naming_no_rule_is_placed_at_its_item(project: Project) -> None:
    project.write("xxgk.toml", 'select = [\n  "TB",\n  "TX",\n]\n')
    run = project.run("check", str(project.report()))
    assert run.code == 2
    assert "xxgk.toml:3:3: key select[1]: unknown rule family 'TX' - did you mean" in run.err
