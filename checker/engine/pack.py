"""Load, validate and compile rule files (rules/*.toml) into a RulePack, once per run.

Validation happens in three layers, each error naming the file, the rule and the key:
1. TOML syntax; 2. the JSON Schema (schemas/rules.schema.json): keys, types, enums;
3. what a schema cannot see: expressions parse, names and field paths exist, functions are
   known, message parameters are provided, ids are unique, regular expressions compile."""
from __future__ import annotations

import difflib
import hashlib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

from .. import tomlfile
from . import vocabulary  # noqa: F401  (vocabulary registers the domain functions)
from .context import ROOTS, root_names
from ..errors import ConfigError
from .expr import Expr, ExprError, compile_expr
from ..formats import FormatSpec, get_format
from .kinds import KINDS
from ..resources import rules_dir

# What an expression may read from each root besides tables (checked at lint time).
META_KEYS = frozenset({"title", "agency", "agency_kind", "year", "period_start", "period_end",
                       "period_text", "published", "published_text", "signature_agency"})
REPORT_KEYS = frozenset({"source", "reader", "format", "flags"})
CELL_KEYS = frozenset({"value", "kind", "raw"})


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    category: str
    severity: str
    basis: str
    kind: str
    message: str
    file: str
    description: str = ""
    title_en: str = ""
    message_en: str = ""
    pass_message: str = ""
    applies: Optional[Expr] = None
    needs: tuple[Expr, ...] = ()
    on_missing: str = "not_assessable"
    lets: tuple[tuple[str, Expr], ...] = ()
    params: tuple[tuple[str, Expr], ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    examples: tuple[Mapping[str, Any], ...] = ()
    aliases: tuple[str, ...] = ()
    enabled: bool = True
    source: Mapping[str, Any] = field(default_factory=dict)  # the rule as written, for `rules show`


@dataclass(frozen=True)
class RulePack:
    rules: tuple[Rule, ...]
    fmt: FormatSpec
    files: tuple[str, ...] = ()

    def get(self, rule_id: str) -> Optional[Rule]:
        for rule in self.rules:
            if rule.id == rule_id or rule_id in rule.aliases:
                return rule
        return None

    def ids(self) -> list[str]:
        return [r.id for r in self.rules]

    @property
    def digest(self) -> str:
        """A content hash of the rule files and the format file (sha256, hex): the same digest
        means the same rules were applied, whatever the paths."""
        return content_digest([*self.files, self.fmt.path])


def content_digest(paths: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in paths if p):
        data = Path(path).read_bytes()
        digest.update(Path(path).name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


class RuleCompiler:
    """Compiles the expressions of one rule, turning every problem into a ConfigError that
    names the file, the rule and the key."""

    def __init__(self, fmt: FormatSpec, file: str, rule_id: str, local_names: Iterable[str] = ()) -> None:
        self.fmt = fmt
        self.file = file
        self.rule_id = rule_id
        self.names = set(root_names(fmt)) | set(local_names)
        self.local_names = set(local_names)

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.file, message, rule=self.rule_id, key=key)

    def expr(self, text: str, key: str, extra_names: Iterable[str] = ()) -> Expr:
        names = self.names | set(extra_names)
        try:
            compiled = compile_expr(text, names=frozenset(names))
        except ExprError as exc:
            render = getattr(exc, "render", None)
            raise self.error(key, render() if callable(render) else str(exc)) from None
        for path in compiled.paths():
            problem = check_path(self.fmt, path, self.local_names | set(extra_names))
            if problem:
                raise self.error(key, f"{problem} in expression {text!r}")
        return compiled

    def regex(self, text: str, key: str) -> re.Pattern[str]:
        try:
            return re.compile(text)
        except re.error as exc:
            raise self.error(key, f"bad regular expression {text!r}: {exc}") from None


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_path(fmt: FormatSpec, path: Sequence[Any], local_names: Iterable[str]) -> Optional[str]:
    """Why a constant field path cannot exist in any report, or None."""
    if not path:
        return None
    root, rest = str(path[0]), list(path[1:])
    if root in local_names:
        return None
    if root == "previous":
        return check_path(fmt, rest, ()) if rest else None
    if root == "meta" and rest:
        key = str(rest[0])
        return None if key in META_KEYS else f"unknown field meta.{key}{_did_you_mean(key, META_KEYS)}"
    if root == "report" and rest:
        key = str(rest[0])
        return None if key in REPORT_KEYS else f"unknown field report.{key}{_did_you_mean(key, REPORT_KEYS)}"
    tables = {t.key: t for t in fmt.tables}
    if root in tables and rest:
        spec = tables[root]
        row_key = str(rest[0])
        rows = {r.key: r for r in spec.rows}
        if row_key not in rows:
            return f"unknown row {row_key!r} of {root}{_did_you_mean(row_key, rows)}"
        columns = [c.key for c in spec.columns_of(rows[row_key])]
        if len(rest) > 1:
            col = str(rest[1])
            single = spec.layout == "nested" and len(columns) == 1
            allowed = CELL_KEYS if single else set(columns)
            if col not in allowed:
                what = "cell field" if single else "column"
                return f"unknown {what} {col!r} of {root}[{row_key!r}]{_did_you_mean(col, allowed)}"
            if len(rest) > 2 and not single and str(rest[2]) not in CELL_KEYS:
                return f"unknown cell field {rest[2]!r}{_did_you_mean(str(rest[2]), CELL_KEYS)}"
    return None


_FORMATTER = string.Formatter()


def template_fields(template: str) -> set[str]:
    """Root names of the {placeholders} of a message template."""
    fields = set()
    for _, name, _, _ in _FORMATTER.parse(template):
        if name:
            fields.add(re.split(r"[.\[]", name, maxsplit=1)[0])
    return fields


def compile_rule(data: Mapping[str, Any], fmt: FormatSpec, file: str) -> Rule:
    rule_id = data["id"]
    kind = KINDS.get(data["kind"])
    if kind is None:  # the schema enumerates kinds; this guards a schema/registry mismatch
        raise ConfigError(file, f"unknown rule kind {data['kind']!r}{_did_you_mean(data['kind'], KINDS)}",
                          rule=rule_id, key="kind")
    lets_raw: Mapping[str, str] = data.get("let", {})
    compiler = RuleCompiler(fmt, file, rule_id, local_names=lets_raw.keys())
    for name in lets_raw:
        if name in ROOTS or name in {t.key for t in fmt.tables}:
            raise compiler.error(f"let.{name}", f"{name!r} would hide a report field of the same name")
    lets = tuple((name, compiler.expr(text, f"let.{name}")) for name, text in lets_raw.items())
    options = kind.prepare(data, compiler)
    loop_names = options.get("loop_names", ())
    params = tuple((name, compiler.expr(text, f"params.{name}", loop_names))
                   for name, text in data.get("params", {}).items())
    for key in ("message", "message_en", "pass_message"):
        template = data.get(key)
        if not template:
            continue
        try:
            fields = template_fields(template)
        except ValueError as exc:
            raise compiler.error(key, f"bad message template: {exc}") from None
        provided = set(kind.params) | {name for name, _ in params}
        unknown = sorted(fields - provided)
        if unknown:
            raise compiler.error(key, f"message parameter {{{unknown[0]}}} is not provided "
                                      f"(available: {', '.join(sorted(provided))})")
    return Rule(
        id=rule_id, name=data["name"], title=data["title"], category=data["category"],
        severity=data["severity"], basis=data["basis"], kind=data["kind"], message=data["message"],
        file=file, description=data.get("description", ""), title_en=data.get("title_en", ""),
        message_en=data.get("message_en", ""),
        pass_message=data.get("pass_message", ""),
        applies=compiler.expr(data["applies"], "applies") if "applies" in data else None,
        needs=tuple(compiler.expr(text, f"needs[{i}]") for i, text in enumerate(data.get("needs", ()))),
        on_missing=data.get("on_missing", "not_assessable"), lets=lets, params=params, options=options,
        examples=tuple(data["examples"]), aliases=tuple(data.get("aliases", ())),
        enabled=data.get("enabled", True), source=dict(data),
    )


def rule_files(paths: Sequence[Path | str] = ()) -> list[Path]:
    """The rule files under the given files/folders (default: the shipped pack)."""
    if not paths:
        paths = [rules_dir()]
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(path.glob("*.toml")))
        elif path.exists():
            files.append(path)
        else:
            raise ConfigError(str(path), "no such file or folder")
    return files


def load_pack(paths: Sequence[Path | str] = (), fmt: Optional[FormatSpec] = None) -> RulePack:
    fmt = fmt or get_format()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    files = rule_files(paths)
    for path in files:
        file = display_name(path)
        data = tomlfile.load(path, "rules.schema.json", items_key="rule", name=file)
        for item in data["rule"]:
            rule_id = item["id"]
            for name in [rule_id, *item.get("aliases", ())]:
                if name in seen:
                    raise ConfigError(file, f"duplicate rule id {name!r} (also in {seen[name]})",
                                      rule=rule_id, key="id")
                seen[name] = file
            rules.append(compile_rule(item, fmt, file))
    rules.sort(key=lambda r: _sort_key(r.id))
    return RulePack(rules=tuple(rules), fmt=fmt, files=tuple(str(f) for f in files))


def display_name(path: Path) -> str:
    """How messages name a rule file: shipped files as rules/NAME.toml, others as given."""
    try:
        return str(Path("rules") / path.resolve().relative_to(rules_dir().resolve()))
    except ValueError:
        return str(path)


_FAMILY_ORDER = ("META", "TIME", "STR", "TA", "TB", "TC", "XP", "FEE", "TXT", "DUP")


def _sort_key(rule_id: str) -> tuple[int, str]:
    family = rule_id.split("-")[0]
    return (_FAMILY_ORDER.index(family) if family in _FAMILY_ORDER else len(_FAMILY_ORDER), rule_id)
