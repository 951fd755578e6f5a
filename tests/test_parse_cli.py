"""`xxgk parse`: the JSON contract (validated against schemas/report.schema.json), the text
dump, encodings, and a clear error for a file that cannot be read."""
from __future__ import annotations

import codecs
import json
from decimal import Decimal

import jsonschema
import pytest

from checker.cli import main
from checker.jsonout import loads
from checker.resources import schema
from seeds_support import SEEDS, seed_names


def parse_json(capsys, *args) -> dict:
    assert main(["parse", *map(str, args), "--format", "json"]) == 0
    return loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def validator():
    return jsonschema.Draft202012Validator(schema("report.schema.json"))


@pytest.mark.parametrize("name", seed_names())
def test_json_validates_against_the_schema(capsys, validator, name):
    out = parse_json(capsys, SEEDS / name)
    # the schema speaks JSON: check the document as any JSON client would read it
    errors = list(validator.iter_errors(json.loads(json.dumps(out, default=float))))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    assert out["format"] == "gov-2021" and out["reader"] == "text"


def test_json_shapes_follow_the_format(capsys):
    out = parse_json(capsys, SEEDS / "004_aeb9e6a604dec192.txt")
    a, b = out["tables"]["active_disclosure"], out["tables"]["applications"]
    assert set(a["regulations"]) == {"issued", "repealed", "in_force"}
    assert a["administrative_fees_wan_yuan"]["value"] == Decimal("1880.2255")
    assert b["columns"][0] == "natural_person" and len(b["rows"]) == 25
    assert b["rows"]["1"][6] == {"value": 9, "kind": "number", "raw": "9", "line": 46}
    assert out["tables"]["reviews_and_litigation"] is None
    assert out["meta"]["published"] == "2025-01-20" and out["meta"]["published_line"] == 94
    assert [p["id"] for p in out["parts"]] == [1, 2, 3, 4, 5, 6]


def test_lost_and_blank_cells_in_json(capsys):
    lost = parse_json(capsys, SEEDS / "000_c7c1a845340d13e1.txt")["tables"]["applications"]["rows"]["3.7"]
    assert {(c["value"], c["kind"]) for c in lost} == {(None, "lost")}
    blank = parse_json(capsys, SEEDS / "001_816126611a69aadc.txt")["tables"]["applications"]["rows"]["3.6.2"]
    assert {(c["value"], c["kind"]) for c in blank} == {(None, "blank")}


def test_unplaced_cells_in_json_and_in_results(capsys, tmp_path, validator):
    """Table C printed among its headings, column by column: a value for every cell, in an order
    the checker cannot follow. The cells are "unplaced" in the parse, and the rules that need
    them not assessable because of the checker, in the results' contract too."""
    report = tmp_path / "scrambled.txt"
    report.write_text("四、政府信息公开行政复议、行政诉讼情况\n行政复议\n行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n"
                      "1\n1\n0\n0\n总计\n4\n0\n0\n1\n2\n5\n未经复议直接起诉\n1\n0\n1\n0\n2\n"
                      "五、存在的主要问题及改进情况\n", encoding="utf-8")
    out = parse_json(capsys, report)
    assert not list(validator.iter_errors(json.loads(json.dumps(out, default=float))))
    table = out["tables"]["reviews_and_litigation"]
    assert {cell["kind"] for block in table.values() for cell in block.values()} == {"unplaced"}
    main(["check", str(report), "--format", "json"])
    document = loads(capsys.readouterr().out)
    jsonschema.validate(json.loads(json.dumps(document, default=float)), schema("results.schema.json"))
    tc = next(r for r in document["reports"][0]["results"] if r["rule"] == "TC-003")
    assert tc["status"] == "not_assessable" and tc["cause"] == "checker"
    assert {m["state"] for m in tc["missing"]} == {"unplaced"}


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("gb18030"),
    lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
], ids=["gb18030", "utf-8-bom"])
def test_other_encodings_parse_identically(capsys, tmp_path, encode):
    name = "002_a0c218d13443adaa.txt"
    original = parse_json(capsys, SEEDS / name)
    copy = tmp_path / name
    copy.write_bytes(encode((SEEDS / name).read_text(encoding="utf-8")))
    recoded = parse_json(capsys, copy)
    for key in ("source", "encoding"):
        original.pop(key), recoded.pop(key)
    assert recoded == original


def test_text_format_shows_tables_and_marks(capsys):
    assert main(["parse", str(SEEDS / "000_c7c1a845340d13e1.txt")]) == 0
    out = capsys.readouterr().out
    assert "裕民县" in out and "table applications" in out and "?" in out
    assert "(not found)" in out  # Table C


def test_missing_file_exits_2_with_one_line(capsys, tmp_path):
    assert main(["parse", str(tmp_path / "absent.txt")]) == 2
    err = capsys.readouterr().err
    assert "absent.txt" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_spec_exits_2(capsys):
    assert main(["parse", str(SEEDS / "000_c7c1a845340d13e1.txt"), "--spec", "gov-1999"]) == 2
    assert "gov-1999" in capsys.readouterr().err
