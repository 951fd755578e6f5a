"""`xxgk rules lint|test|show|list|docs|new`: work on rule files without checking reports."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Optional

from ..engine.examples import ExampleOutcome, example_view, run_examples
from ..engine.explain import explain_rule, walk
from ..config import add_config_options, resolve
from ..engine.pack import RulePack, load_pack
from ..engine.scoring import available_profiles, check_profile_rules, load_profile
from ..engine.skeletons import KINDS as SKELETON_KINDS, skeleton
from ..errors import ConfigError, UsageError
from ..formats import DEFAULT_FORMAT, get_format
from ..messages import result_message
from ..render.rules_doc import rule_plain, rules_markdown


def _pack(args: argparse.Namespace) -> RulePack:
    """The rules of the paths given; without paths, the shipped pack with the extra rules of
    --extend-rules or, failing that, of the project configuration."""
    if args.paths:
        return load_pack(args.paths, get_format(args.spec or DEFAULT_FORMAT), extend=args.extend_rules or ())
    settings = resolve(args)
    return load_pack((), get_format(settings["spec"]), extend=settings["extend-rules"])


def _pack_line(pack: RulePack) -> str:
    return f"rule pack sha256:{pack.digest[:12]} ({pack.fmt.id}, {len(pack.files)} file(s))"


def run_lint(args: argparse.Namespace) -> int:
    """Every file is checked and every problem reported - file:line:column, rule, key - before
    the exit status is decided."""
    errors: list[ConfigError] = []
    pack: Optional[RulePack] = None
    try:
        pack = _pack(args)
    except ConfigError as exc:
        errors.extend(exc.errors)
    if pack is not None and not args.paths:  # the shipped profiles must name rules the pack has
        for path in available_profiles().values():
            try:
                check_profile_rules(load_profile(path), pack.known_ids())
            except ConfigError as exc:
                errors.extend(exc.errors)
    for error in errors:
        print(f"{error}", file=sys.stderr)
    if errors:
        where = len({e.file for e in errors})
        print(f"xxgk rules lint: {len(errors)} error(s) in {where} file(s)", file=sys.stderr)
        return 2
    assert pack is not None
    print(f"xxgk rules lint: {len(pack.files)} file(s), {len(pack.rules)} rules, no errors; {_pack_line(pack)}")
    return 0


def run_test(args: argparse.Namespace) -> int:
    pack = _pack(args)
    unknown = [rule_id for rule_id in args.rule or () if pack.get(rule_id) is None]
    if unknown:
        raise UsageError(f"--rule: no rule {unknown[0]!r} in the pack; `xxgk rules list` shows the ids")
    outcomes = run_examples(pack, args.rule or ())
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed:
        print("\n".join(failure_lines(outcome, pack)))
    rules = len({o.rule.id for o in outcomes})
    print(f"xxgk rules test: {len(outcomes) - len(failed)}/{len(outcomes)} examples of {rules} rules as expected; "
          f"{_pack_line(pack)}")
    return 1 if failed else 0


def failure_lines(outcome: ExampleOutcome, pack: RulePack, values: int = 12) -> list[str]:
    """A failing example: where it is written, the expected and actual status, the message, how
    the rule decided and the values it saw."""
    rule = outcome.rule
    note = f" ({outcome.note})" if outcome.note else ""
    lines = [f"FAIL {rule.id} example {outcome.index + 1}{note} [{rule.example_location(outcome.index)}]",
             f"  expected: {outcome.expected}",
             f"  actual:   {outcome.got}"]
    if outcome.result is None:
        lines.append(f"  {outcome.message}")
        return lines
    lines.append(f"  message:  {result_message(outcome.result, 'zh', rule.message_en)}")
    try:
        view = example_view(rule, outcome.index, pack.fmt)
    except (ValueError, TypeError, KeyError):
        return lines
    explanation = explain_rule(rule, view)
    lines.append(f"  decided:  {explanation.decided_by}")
    seen: list[str] = []
    for step in explanation.steps:
        if step.tree is None:
            continue
        for _, node in walk(step.tree):
            shown = node.value.data if node.value is not None else None
            if isinstance(shown, dict) and "cell" in shown:
                line = f"{node.source} = {node.value.text}"  # type: ignore[union-attr]
                if line not in seen:
                    seen.append(line)
    for label, items in explanation.seen:
        seen.extend(f"{label}: {item}" for item in items)
    if explanation.missing:
        seen.append(f"missing: {explanation.missing['expression']} — {explanation.missing['reason']}")
    if seen:
        lines.append("  values seen:")
        lines.extend(f"    {line}" for line in seen[:values])
        if len(seen) > values:
            lines.append(f"    … {len(seen) - values} more (xxgk explain shows them all)")
    return lines


def run_show(args: argparse.Namespace) -> int:
    pack = _pack(args)
    rule = pack.get(args.id)
    if rule is None:
        raise ConfigError(args.id, "no such rule; `xxgk rules list` shows the ids")
    print(rule_plain(rule))
    print(f"\n[{rule.location}; {_pack_line(pack)}]")
    return 0


def run_list(args: argparse.Namespace) -> int:
    pack = _pack(args)
    for rule in pack.rules:
        print(f"{rule.id:9} {rule.severity:8} {rule.category:12} {rule.title}")
    print(f"# {len(pack.rules)} rules; {_pack_line(pack)}")
    return 0


def run_docs(args: argparse.Namespace) -> int:
    pack = _pack(args)
    text = rules_markdown(pack)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({len(pack.rules)} rules)")
    return 0


_RULE_ID = re.compile(r"[A-Z]+-[0-9]{3}")


def run_new(args: argparse.Namespace) -> int:
    """Write a skeleton rule - one passing and one failing example - to standard output or
    append it to a file, refusing an id the pack (or the file) already has."""
    if not _RULE_ID.fullmatch(args.id):
        raise UsageError(f"a rule id is a family in capitals, a dash and three digits (e.g. PROV-001), not {args.id!r}")
    target = Path(args.output) if args.output else None
    extend = list(resolve(args)["extend-rules"]) + ([target] if target is not None and target.exists() else [])
    existing = load_pack(extend=extend)
    if existing.get(args.id) is not None:
        raise UsageError(f"rule {args.id} already exists ({existing.get(args.id).location})")  # type: ignore[union-attr]
    text = skeleton(args.id, args.kind)
    if target is None:
        sys.stdout.write(text)
        return 0
    before = target.read_text(encoding="utf-8") if target.exists() else ""
    separator = "" if not before or before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(before + separator + text, encoding="utf-8")
    print(f"wrote rule {args.id} ({args.kind}) to {target}: edit it, then `xxgk rules lint {target}` "
          f"and `xxgk rules test {target}`")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("rules", help="lint, test, show, document and create rule files",
                            description="规则文件：检查、运行示例、查看、生成文档、新建。")
    rules_sub = parser.add_subparsers(dest="rules_command", metavar="ACTION")
    rules_sub.required = True

    def common(p: argparse.ArgumentParser, paths: bool = True) -> None:
        if paths:
            p.add_argument("paths", nargs="*", metavar="PATH", help="rule files or folders (default: the shipped pack)")
        p.add_argument("--extend-rules", action="append", metavar="PATH",
                       help="rule files or folders added to the pack (repeatable)")
        p.add_argument("--spec", metavar="FORMAT", help=f"national format (default: {DEFAULT_FORMAT})")
        add_config_options(p)

    lint = rules_sub.add_parser("lint", help="validate rule files without running them (exit 2 on error)")
    common(lint)
    lint.set_defaults(run=run_lint)

    test = rules_sub.add_parser("test", help="run every rule's inline examples")
    common(test)
    test.add_argument("--rule", action="append", metavar="ID", help="only this rule (repeatable)")
    test.set_defaults(run=run_test)

    show = rules_sub.add_parser("show", help="print one rule in plain language")
    show.add_argument("id", metavar="ID")
    common(show)
    show.set_defaults(run=run_show)

    listing = rules_sub.add_parser("list", help="one line per rule")
    common(listing)
    listing.set_defaults(run=run_list)

    docs = rules_sub.add_parser("docs", help="print the rule reference (Markdown; docs/rules.md is made with "
                                              "-o docs/rules.md)")
    common(docs)
    docs.add_argument("-o", "--output", metavar="FILE",
                      help="write to FILE (the repository's copy: -o docs/rules.md); default: standard output")
    docs.set_defaults(run=run_docs)

    new = rules_sub.add_parser("new", help="write a skeleton rule with one passing and one failing example")
    new.add_argument("id", metavar="ID", help="the new rule's id, e.g. PROV-001")
    new.add_argument("--kind", required=True, choices=SKELETON_KINDS, help="the rule kind")
    new.add_argument("-o", "--output", metavar="FILE", help="append to this rule file (default: standard output)")
    add_config_options(new)
    new.set_defaults(run=run_new)
