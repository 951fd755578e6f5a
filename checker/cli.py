"""The ``xxgk`` command. Each subcommand lives in its own module under checker/commands/ with a
``register(subparsers)`` function that adds its parser and sets ``run``."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Optional, Sequence

from . import __version__, limits
from .errors import CheckerError, ConfigError, ReadError

# subcommand modules, in the order `xxgk --help` lists them
COMMANDS: tuple[str, ...] = ("parse", "check", "batch", "report", "notice", "explain", "rules", "config", "serve")


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
        limits.current()  # a bad XXGK_LIMIT_* is a usage error before anything is read
        return int(args.run(args) or 0)
    except ConfigError as exc:
        for error in exc.errors:  # every problem found, each on its own line
            print(f"xxgk: error: {error}", file=sys.stderr)
        return 2
    except ReadError as exc:
        print(f"xxgk: cannot read {exc.file}: {exc.reason}", file=sys.stderr)
        return 2
    except CheckerError as exc:
        print(f"xxgk: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError as exc:
        if not _stdout_closed(exc):
            print(f"xxgk: error: a pipe closed unexpectedly ({exc})", file=sys.stderr)
            return 2
        # `xxgk ... | head`: the reader has what it wanted; say nothing, and keep Python from
        # complaining at exit about the standard output it cannot flush
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("xxgk: interrupted", file=sys.stderr)
        return 130


def _stdout_closed(exc: BrokenPipeError) -> bool:
    """Whether this broken pipe is our standard output's: only then is it `| head` closing
    early. One from a worker process or any other pipe is an error."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return True
    except (OSError, ValueError):
        return False
    try:
        fd = sys.stdout.fileno()
        os.fstat(fd)
        import select

        poller = select.poll()
        poller.register(fd, select.POLLERR)
        return any(event & select.POLLERR for _, event in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
