"""`xxgk rules lint|test|show|list|docs`: work on rule files without checking reports."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ConfigError
from ..engine.examples import run_examples
from ..formats import DEFAULT_FORMAT, get_format
from ..render.rules_doc import rule_plain, rules_markdown
from ..engine.pack import load_pack, rule_files
from ..engine.scoring import available_profiles, check_profile_rules, load_profile


def _pack(args: argparse.Namespace):
    return load_pack(args.paths, get_format(args.spec))


def run_lint(args: argparse.Namespace) -> int:
    """Every file is checked, and every problem reported, before the exit status is decided."""
    fmt = get_format(args.spec)
    problems = rules = 0
    files = rule_files(args.paths)
    for path in files:
        try:
            rules += len(load_pack([path], fmt).rules)
        except ConfigError as exc:
            problems += 1
            print(f"{exc}", file=sys.stderr)
    if not problems:
        try:  # ids must be unique across files too
            pack = load_pack(args.paths, fmt)
            for path in available_profiles().values() if not args.paths else ():
                check_profile_rules(load_profile(path), pack.ids())
        except ConfigError as exc:
            problems += 1
            print(f"{exc}", file=sys.stderr)
    if problems:
        print(f"xxgk rules lint: {problems} file(s) with errors", file=sys.stderr)
        return 2
    print(f"xxgk rules lint: {len(files)} file(s), {rules} rules, no errors")
    return 0


def run_test(args: argparse.Namespace) -> int:
    pack = _pack(args)
    outcomes = run_examples(pack, args.rule or ())
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed:
        note = f" ({outcome.note})" if outcome.note else ""
        detail = f": {outcome.message}" if outcome.message else ""
        print(f"FAIL {outcome.rule.id} example {outcome.index + 1}{note}: expected {outcome.expected}, "
              f"got {outcome.got}{detail}  [{outcome.rule.file}]")
    rules = len({o.rule.id for o in outcomes})
    print(f"xxgk rules test: {len(outcomes) - len(failed)}/{len(outcomes)} examples of {rules} rules as expected")
    return 1 if failed else 0


def run_show(args: argparse.Namespace) -> int:
    pack = _pack(args)
    rule = pack.get(args.id)
    if rule is None:
        raise ConfigError(args.id, "no such rule; `xxgk rules list` shows the ids")
    print(rule_plain(rule))
    return 0


def run_list(args: argparse.Namespace) -> int:
    pack = _pack(args)
    for rule in pack.rules:
        print(f"{rule.id:9} {rule.severity:8} {rule.category:12} {rule.title}")
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


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("rules", help="lint, test, show and document rule files",
                            description="规则文件：检查、运行示例、查看、生成文档。")
    rules_sub = parser.add_subparsers(dest="rules_command", metavar="ACTION")
    rules_sub.required = True

    def common(p: argparse.ArgumentParser, paths: bool = True) -> None:
        if paths:
            p.add_argument("paths", nargs="*", metavar="PATH", help="rule files or folders (default: the shipped pack)")
        p.add_argument("--spec", default=DEFAULT_FORMAT, metavar="FORMAT", help="national format (default: %(default)s)")

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
