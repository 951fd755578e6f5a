"""`xxgk config`: the settings a run would use and where each came from - an option, a line of
the project configuration (xxgk.toml or [tool.xxgk] in pyproject.toml) or the default - with
what they lead to: the rule pack and its extra files, the profile and what it extends, the
waivers. Everything is loaded and checked, so a broken configuration exits 2 here as it would
in `xxgk check`."""
from __future__ import annotations

import argparse
import sys

from .. import jsonout
from ..config import describe
from ..engine.expr.errors import display_width
from ..session import open_session
from .check import FAIL_ON, add_rule_options


def run(args: argparse.Namespace) -> int:
    session = open_session(args)
    settings = session.settings
    provenance = session.provenance
    resolved = {
        "rules": len(session.pack.rules), "pack_hash": provenance.pack_hash,
        "extra_rule_files": list(provenance.extra_rule_files),
        "profile": {"id": session.profile.id, "title": session.profile.name, "file": session.profile.path,
                    "extends": list(session.profile.extends)},
        "waivers": len(session.waivers.waivers) if session.waivers is not None else 0,
    }
    if args.json:
        document = {"config_file": settings.file,
                    "settings": {s.key: {"value": s.value, "origin": s.origin} for s in settings},
                    "resolved": resolved}
        sys.stdout.write(jsonout.dumps(document) + "\n")
        return 0
    rows = describe(settings)
    width = max(len(key) for key, _, _ in rows)
    value_width = min(max(display_width(value) for _, value, _ in rows), 48)
    lines = [f"configuration file: {settings.file or '(none found; defaults and options only)'}", ""]
    lines += [f"{key:<{width}}  {value}{' ' * max(value_width - display_width(value), 0)}  {origin}"
              for key, value, origin in rows]
    profile = session.profile
    extends = f", extends {' → '.join(profile.extends)}" if profile.extends else ""
    lines += ["",
              f"rule pack: {len(session.pack.rules)} rules, sha256:{provenance.short_hash}"
              + (f"; extra rule files: {', '.join(provenance.extra_rule_files)}" if provenance.extra_rule_files else ""),
              f"profile: {profile.name} ({profile.id}{extends}; {profile.path})"]
    if session.waivers is not None:
        lines.append(f"waivers: {len(session.waivers.waivers)} in {session.waivers.path}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("config", help="show the resolved settings and where each came from",
                            description="显示生效的配置及其来源。The settings a run would use: from options, the "
                                        "project configuration (xxgk.toml or [tool.xxgk] in pyproject.toml, found "
                                        "from the working directory upwards) or the defaults.")
    parser.add_argument("--json", action="store_true", help="as JSON")
    add_rule_options(parser)
    parser.add_argument("--format", choices=("text", "json", "md"), help="the --format of `xxgk check`")
    parser.add_argument("--lang", choices=("zh", "en"), help="message language")
    parser.add_argument("--fail-on", choices=FAIL_ON, help="the --fail-on of `xxgk check`")
    parser.set_defaults(run=run)
