"""The source map of a TOML file: every key of any document is found at the line and column it
is written at, whatever the shape (tables, arrays of tables, dotted keys, inline tables, arrays,
strings with escapes and quotes)."""
from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.tomlsource import source_map

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

names = st.one_of(st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True), st.sampled_from(["TB-006", "3.7", "空 格"]))
strings = st.text(alphabet=st.sampled_from(list("ab中文 \"'\\#=[]{},.\t")), max_size=12)
scalars = st.one_of(st.integers(-5, 99999), strings, st.booleans())


def key(name: str) -> str:
    return name if all(c.isascii() and (c.isalnum() or c in "_-") for c in name) else '"' + name + '"'


def value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(value(i) for i in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(i)}" for k, i in v.items()) + " }"
    raise TypeError(v)


inline = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(names, inner, min_size=1, max_size=3)),
                      max_leaves=6)
# a document: top-level keys, then [[item]] tables, each with keys and [[item.sub]] tables
documents = st.tuples(
    st.dictionaries(names.filter(lambda n: n not in ("item",)), inline, max_size=3),
    st.lists(st.tuples(st.dictionaries(names.filter(lambda n: n != "sub"), inline, max_size=3),
                       st.lists(st.dictionaries(names, inline, min_size=1, max_size=2), max_size=2)),
             max_size=3),
)


def render(document: tuple) -> str:
    top, items = document
    lines = [f"{key(k)} = {value(v)}  # comment" for k, v in top.items()]
    for fields, subs in items:
        lines.append("")
        lines.append("[[item]]")
        lines.extend(f"{key(k)} = {value(v)}" for k, v in fields.items())
        for sub in subs:
            lines.append("  [[item.sub]]")
            lines.extend(f"  {key(k)} = {value(v)}" for k, v in sub.items())
    return "\n".join(lines) + "\n"


def paths(data: object, prefix: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append(prefix + (k,))
            out.extend(paths(v, prefix + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.append(prefix + (i,))
            out.extend(paths(v, prefix + (i,)))
    return out


@settings(max_examples=40, deadline=None)
@given(documents)
def test_every_key_is_found_where_it_is_written(document: tuple) -> None:
    text = render(document)
    data = tomllib.loads(text)
    found = source_map(text)
    lines = text.splitlines()
    for path in paths(data):
        assert path in found.keys or path in found.values, (path, text)
        if path in found.keys and isinstance(path[-1], str) and path[-2:-1] != ("item",):
            where = found.locate(path)
            line = lines[where.line - 1]
            written = key(path[-1])
            assert line[where.column - 1:].startswith(written) or line.strip().startswith("[[item"), (path, line)


def test_a_character_inside_a_string_is_located_through_escapes() -> None:
    text = 'a = 1\nexpr = "say \\"hi\\" + x"\n'
    found = source_map(text)
    index = 'say "hi" + x'.index("x")
    where = found.locate_in_string(("expr",), index)
    assert text.splitlines()[where.line - 1][where.column - 1] == "x"


def test_arrays_of_tables_are_numbered_in_order() -> None:
    text = "[[rule]]\nid = 'A'\n  [[rule.examples]]\n  expect = 'pass'\n[[rule]]\nid = 'B'\n  [[rule.examples]]\n" \
           "  expect = 'fail'\n  [[rule.examples]]\n  expect = 'pass'\n"
    found = source_map(text)
    assert found.locate(("rule", 1, "id")).line == 6
    assert found.locate(("rule", 1, "examples", 1, "expect")).line == 10
    assert found.locate(("rule", 0, "examples", 0, "expect")).line == 4
    assert found.locate(("rule", 1, "examples", 1, "missing")).line == 9  # the nearest ancestor
