"""Load, validate and compile rule files (rules/*.toml) into a RulePack, once per run.

Validation happens in three layers, each error naming the file with the line and column, the
rule and the key:
1. TOML syntax; 2. the JSON Schema (schemas/rules.schema.json): keys, types, enums;
3. what a schema cannot see: expressions parse, names and functions are known, every
   expression makes sense against the report model (checker.engine.typecheck: paths that exist,
   comparisons between values that compare, arguments of the right kind), message parameters
   are provided, ids are unique, regular expressions compile.
Every problem of every file is reported (ConfigErrors), not only the first."""
from __future__ import annotations

import difflib
import hashlib
import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from .. import tomlfile
from . import guards, vocabulary  # noqa: F401  (vocabulary registers the domain functions)
from .context import ROOTS
from ..errors import ConfigError, raise_all
from .expr import Expr, ExprError, compile_expr
from .expr.functions import on_registry_change
from .expr.types import ANY, Type
from ..formats import FormatSpec, get_format
from .kinds import KINDS
from ..resources import rules_dir
from .typecheck import Checker, TypeProblem, element_type, root_types

_PLACEHOLDER = "null"  # stands for an expression that did not compile, so the rest is still checked


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
    # where the rule is written (its [[rule]] header and examples), looked up when asked
    place: Optional["RulePlace"] = field(default=None, compare=False, repr=False)

    @property
    def line(self) -> Optional[int]:
        return self.place.line(()) if self.place is not None else None

    @property
    def location(self) -> str:
        """``file:line`` of the rule, for messages."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def example_location(self, index: int) -> str:
        line = self.place.line(("examples", index)) if self.place is not None else None
        return f"{self.file}:{line}" if line else self.location


@dataclass(frozen=True)
class RulePlace:
    """A rule's place in its file: positions are looked up in the file's source map only when a
    message needs them (scanning costs a second pass over the text)."""

    source: tomlfile.SourceMap
    index: int

    def line(self, inner: tuple[Any, ...]) -> Optional[int]:
        where = self.source.locate(("rule", self.index) + inner)
        return where.line if where else None


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

    def known_ids(self) -> list[str]:
        """Ids and former ids (aliases): what --select, profiles and waivers may name."""
        return [name for r in self.rules for name in (r.id, *r.aliases)]

    def current_id(self, pattern: str) -> str:
        """The rule's id for a former id, else the pattern as it is (results carry the id:
        selecting, ignoring or waiving by a former id must reach the rule under its new one)."""
        return next((r.id for r in self.rules if pattern in r.aliases), pattern)

    def current_ids(self, patterns: Sequence[str]) -> tuple[str, ...]:
        return tuple(self.current_id(pattern) for pattern in patterns)

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


Names = Union[Iterable[str], Mapping[str, Type]]


class _Recorded(Exception):
    """A problem already recorded that stops a kind's prepare."""

    def __init__(self, error: ConfigError) -> None:
        super().__init__(str(error))
        self.error = error


class RuleCompiler:
    """Compiles and type-checks the expressions of one rule. A problem is recorded (as a
    ConfigError naming the file, line and column, the rule and the key) and compiling goes on, so
    one run reports every mistake of the rule; ``error`` makes one for a kind to raise."""

    def __init__(self, fmt: FormatSpec, problems: tomlfile.Problems, index: int, rule_id: str,
                 local_names: Iterable[str] = (), checker: Optional[Checker] = None) -> None:
        self.fmt = fmt
        self.file = problems.name
        self.rule_id = rule_id
        self.problems = problems
        self.path: tuple[Any, ...] = ("rule", index)
        self.checker = checker or Checker(fmt)
        self.types: dict[str, Type] = {**_root_types(fmt), **{name: ANY for name in local_names}}
        self.names = frozenset(self.types)

    def error(self, key: str, message: str, at: Optional[int] = None) -> ConfigError:
        return self.problems.error(self.path + tomlfile.key_parts(key), message, at=at, rule=self.rule_id, key=key)

    def record(self, error: ConfigError) -> None:
        self.problems.errors.append(error)

    def expr(self, text: str, key: str, extra_names: Names = (), expect: Optional[str] = None) -> Expr:
        """The compiled expression; a problem is recorded and a placeholder returned."""
        extra = dict(extra_names) if isinstance(extra_names, Mapping) else {name: ANY for name in extra_names}
        try:
            compiled = compile_expr(text, names=self.names | frozenset(extra))
        except ExprError as exc:
            render = getattr(exc, "render", None)
            self.record(self.error(key, render() if callable(render) else str(exc), at=exc.pos))
            return compile_expr(_PLACEHOLDER)
        self.type_of(compiled, key, extra, expect)
        return compiled

    def type_of(self, compiled: Expr, key: str, extra: Mapping[str, Type] = {}, expect: Optional[str] = None
                ) -> Type:
        """The static type of a compiled expression (ANY after recording a problem)."""
        names = {**self.types, **extra}
        try:
            if expect:
                return self.checker.expect(compiled.root, names, expect)
            return self.checker.check(compiled.root, names)
        except TypeProblem as problem:
            located = ExprError(problem.message, text=compiled.source, pos=problem.pos)
            self.record(self.error(key, located.render(), at=problem.pos))
            return ANY

    def bind(self, name: str, compiled: Expr, key: str) -> None:
        """Give a ``let`` name the type of its expression, for the expressions after it."""
        self.types[name] = self.type_of(compiled, key)

    def element_type(self, compiled: Expr) -> Type:
        """The type of the items of a list expression (a for_each loop variable)."""
        try:
            return element_type(self.checker.check(compiled.root, self.types))
        except TypeProblem:
            return ANY

    def regex(self, text: str, key: str) -> re.Pattern[str]:
        """The compiled pattern; a bad one is recorded and stops the kind's own keys (which may
        go on to combine the patterns), while the rule's other keys are still checked."""
        try:
            return guards.safe_regex(text)
        except re.error as exc:
            error = self.error(key, f"bad regular expression {text!r}: {exc}")
            self.record(error)
            raise _Recorded(error) from None


_ROOT_TYPES: dict[tuple[str, str], dict[str, Type]] = {}


def _root_types(fmt: FormatSpec) -> dict[str, Type]:
    key = (fmt.id, fmt.path)
    if key not in _ROOT_TYPES:
        _ROOT_TYPES[key] = root_types(fmt)
    return _ROOT_TYPES[key]


_FORMATTER = string.Formatter()


def template_fields(template: str) -> set[str]:
    """Root names of the {placeholders} of a message template."""
    fields = set()
    for _, name, _, _ in _FORMATTER.parse(template):
        if name:
            fields.add(re.split(r"[.\[]", name, maxsplit=1)[0])
    return fields


def compile_rule(data: Mapping[str, Any], fmt: FormatSpec, file: str,
                 problems: Optional[tomlfile.Problems] = None, index: int = 0) -> Rule:
    """One rule, compiled; every problem found in it is raised at once (ConfigErrors).
    ``problems`` collects into the file's list instead (nothing is raised then, and the rule
    returned must not be used when problems were added)."""
    own = problems is None
    if problems is None:
        problems = tomlfile.Problems(name=file, data={"rule": [data]}, items_key="rule")
    before = len(problems.errors)
    rule_id = data["id"]
    kind = KINDS.get(data["kind"])
    lets_raw: Mapping[str, str] = data.get("let", {})
    compiler = RuleCompiler(fmt, problems, index, rule_id, local_names=lets_raw.keys(),
                            checker=_checker(fmt))
    if kind is None:  # the schema enumerates kinds; this guards a schema/registry mismatch
        compiler.record(compiler.error("kind", f"unknown rule kind {data['kind']!r}"))
        raise_all(problems.errors[before:] if own else [])
        return _rule(data, file, compiler, {}, (), ())
    for name in lets_raw:
        if name in ROOTS or name in {t.key for t in fmt.tables}:
            compiler.record(compiler.error(f"let.{name}", f"{name!r} would hide a report field of the same name"))
    lets = []
    for name, text in lets_raw.items():
        compiled = compiler.expr(text, f"let.{name}")
        compiler.bind(name, compiled, f"let.{name}")
        lets.append((name, compiled))
    runaway = guards.rule_problem(data, lets)
    if runaway:
        compiler.record(compiler.error(*runaway))
    try:
        options = kind.prepare(data, compiler)
    except _Recorded:
        options = {}
    except ConfigError as exc:
        compiler.record(exc)
        options = {}
    loop_names = options.get("loop_types") or options.get("loop_names", ())
    params = tuple((name, compiler.expr(text, f"params.{name}", loop_names))
                   for name, text in data.get("params", {}).items())
    for key in ("message", "message_en", "pass_message"):
        template = data.get(key)
        if not template:
            continue
        try:
            fields = template_fields(template)
        except ValueError as exc:
            compiler.record(compiler.error(key, f"bad message template: {exc}"))
            continue
        provided = set(kind.params) | {name for name, _ in params}
        unknown = sorted(fields - provided)
        for name in unknown:
            close = difflib.get_close_matches(name, sorted(provided), n=1)
            hint = f" - did you mean {{{close[0]}}}?" if close else f" (available: {', '.join(sorted(provided))})"
            compiler.record(compiler.error(key, f"message parameter {{{name}}} is not provided{hint}",
                                           at=template.find("{" + name)))
    applies = compiler.expr(data["applies"], "applies", expect="bool") if "applies" in data else None
    needs = tuple(compiler.expr(text, f"needs[{i}]") for i, text in enumerate(data.get("needs", ())))
    if own:
        raise_all(problems.errors[before:])
    return _rule(data, file, compiler, options, tuple(lets), params, applies, needs)


def _rule(data: Mapping[str, Any], file: str, compiler: RuleCompiler, options: Mapping[str, Any],
          lets: tuple[tuple[str, Expr], ...], params: tuple[tuple[str, Expr], ...],
          applies: Optional[Expr] = None, needs: tuple[Expr, ...] = ()) -> Rule:
    source = compiler.problems.source
    place = RulePlace(source, compiler.path[1]) if source is not None and source.text else None
    return Rule(
        id=data["id"], name=data["name"], title=data["title"], category=data["category"],
        severity=data["severity"], basis=data["basis"], kind=data["kind"], message=data["message"],
        file=file, description=data.get("description", ""), title_en=data.get("title_en", ""),
        message_en=data.get("message_en", ""), pass_message=data.get("pass_message", ""), applies=applies,
        needs=needs,
        on_missing=data.get("on_missing", "not_assessable"), lets=lets, params=params, options=options,
        examples=tuple(data["examples"]), aliases=tuple(data.get("aliases", ())),
        enabled=data.get("enabled", True), source=dict(data), place=place,
    )


_CHECKERS: dict[tuple[str, str], Checker] = {}


def _checker(fmt: FormatSpec) -> Checker:
    key = (fmt.id, fmt.path)
    if key not in _CHECKERS:
        _CHECKERS[key] = Checker(fmt)
    return _CHECKERS[key]


def rule_files(paths: Sequence[Path | str] = (), *, default: bool = True) -> list[Path]:
    """The rule files under the given files/folders (none given: the shipped pack, unless
    ``default`` is false)."""
    if not paths and default:
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


def load_pack(paths: Sequence[Path | str] = (), fmt: Optional[FormatSpec] = None,
              extend: Sequence[Path | str] = ()) -> RulePack:
    """The rules of ``paths`` (default: the shipped pack) plus those of ``extend`` (folders or
    files of extra rules added to them), compiled. Every problem of every file is raised at
    once (ConfigErrors)."""
    fmt = fmt or get_format()
    files = rule_files(paths) + [f for f in rule_files(extend, default=False) if f not in rule_files(paths)]
    key = (tuple(display_name(f) for f in files), content_digest([*map(str, files), fmt.path]), fmt.id)
    cached = _PACKS.get(key)
    if cached is not None:
        return replace(cached, files=tuple(str(f) for f in files))
    pack = _compile_pack(files, fmt)
    _PACKS[key] = pack
    return pack


# Compiled packs by the content of their files: a process that loads the same rules again (the
# workspace, a test suite) compiles them once. Functions registered later change what compiles.
_PACKS: dict[tuple[Any, ...], RulePack] = {}
on_registry_change(_PACKS.clear)


def _compile_pack(files: Sequence[Path], fmt: FormatSpec) -> RulePack:
    errors: list[ConfigError] = []
    rules: list[Rule] = []
    seen: dict[str, tuple[tomlfile.Problems, int]] = {}
    for path in files:
        file = display_name(path)
        try:
            loaded = tomlfile.load_source(path, name=file)
        except ConfigError as exc:
            errors.extend(exc.errors)
            continue
        problems = tomlfile.Problems(loaded, items_key="rule")
        problems.errors.extend(tomlfile.schema_problems(loaded, "rules.schema.json", items_key="rule"))
        # the rules the schema accepts are compiled too, so one run reports every mistake
        if any(len(e.path) < 2 for e in problems.errors):
            errors.extend(problems.errors)  # the file's shape is wrong: nothing to compile
            continue
        for index, item in enumerate(loaded.data["rule"]):
            schema_errors = [e for e in problems.errors if e.path[:2] == ("rule", index)]
            if schema_errors:
                _compile_what_can_be(item, fmt, file, problems, index, schema_errors)
                continue
            rule_id = item["id"]
            for name in [rule_id, *item.get("aliases", ())]:
                if name in seen:
                    other, other_index = seen[name]
                    problems.add(("rule", index, "id"),
                                 f"duplicate rule id {name!r} (also in {other.name}{_at_line(other, other_index)})")
                seen.setdefault(name, (problems, index))
            before = len(problems.errors)
            rule = compile_rule(item, fmt, file, problems, index)
            if len(problems.errors) == before:
                rules.append(rule)
        errors.extend(sorted(problems.errors, key=lambda e: (e.line or 0, e.column or 0)))
    raise_all(errors)
    rules.sort(key=lambda r: _sort_key(r.id))
    return RulePack(rules=tuple(rules), fmt=fmt, files=tuple(str(f) for f in files))


_CORE_KEYS = ("id", "name", "title", "category", "severity", "basis", "kind", "message", "examples")


def _compile_what_can_be(item: Mapping[str, Any], fmt: FormatSpec, file: str, problems: tomlfile.Problems,
                         index: int, schema_errors: Sequence[ConfigError]) -> None:
    """A rule the schema rejected is still compiled when its core keys are there, so that its
    expression mistakes are reported in the same run; what the schema reported is not repeated."""
    if any(not isinstance(item.get(key), (str, list)) for key in _CORE_KEYS) or item.get("kind") not in KINDS:
        return
    reported = {e.path[2:3] for e in schema_errors}
    scratch = tomlfile.Problems(name=problems.name, source=problems.source, data=problems.data, items_key="rule")
    try:
        compile_rule(item, fmt, file, scratch, index)
    except (KeyError, TypeError, AttributeError, ValueError):
        return  # a shape the schema already refused
    problems.errors.extend(e for e in scratch.errors if e.path[2:3] not in reported)


def _at_line(problems: tomlfile.Problems, index: int) -> str:
    where = problems.source.locate(("rule", index)) if problems.source is not None else None
    return f":{where.line}" if where else ""


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
