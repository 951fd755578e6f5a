"""The ``xxgk`` command. Each subcommand lives in its own module under checker/commands/ with a
``register(subparsers)`` function that adds its parser and sets ``run``."""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Optional, Sequence

from . import __version__
from .errors import CheckerError, ConfigError, ReadError

# subcommand modules, in the order `xxgk --help` lists them
COMMANDS: tuple[str, ...] = ("parse", "check", "batch", "report", "rules", "serve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xxgk",
        description="检查并评分政府信息公开工作年度报告 — check and score government "
                    "information-disclosure annual reports.",
    )
    parser.add_argument("--version", action="version", version=f"xxgk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"checker.commands.{name}").register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except ConfigError as exc:
        print(f"xxgk: error: {exc}", file=sys.stderr)
        return 2
    except ReadError as exc:
        print(f"xxgk: cannot read {exc.file}: {exc.reason}", file=sys.stderr)
        return 2
    except CheckerError as exc:
        print(f"xxgk: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `xxgk ... | head`
        return 0
    except KeyboardInterrupt:
        print("xxgk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
