"""`xxgk serve [--db xxgk.sqlite] [--host 127.0.0.1] [--port 8000]`: the office's workspace, a
local web app over one database file (docs/serve.md)."""
from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import sys

from ..errors import UsageError
from .check import add_rule_options

LOOPBACK_NAMES = ("localhost",)
TOKEN_ENV = "XXGK_TOKEN"


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(args: argparse.Namespace) -> int:
    # the web stack loads only for this command
    import uvicorn

    from ..web.app import create_app
    from .batch import worker_settings

    token = args.token or os.environ.get(TOKEN_ENV) or None
    loopback = is_loopback(args.host)
    if not loopback and not token:
        raise UsageError(f"--host {args.host} makes the workspace reachable from other machines: set an access "
                         f"token with --token or {TOKEN_ENV} (e.g. --token {secrets.token_urlsafe(16)})")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    # on this machine only, a token is asked for only when one is given on the command line
    required = token if (not loopback or args.token) else None
    hosts = ("127.0.0.1", "localhost", "::1") if loopback else ()
    app = create_app(args.db, settings=worker_settings(args), jobs=args.jobs, token=required, hosts=hosts)
    address = f"http://{args.host if ':' not in args.host else '[' + args.host + ']'}:{args.port}/"
    print(f"xxgk 工作台：{address}{'?token=' + required if required else ''}\n"
          f"数据库：{os.path.abspath(args.db)}（按 Ctrl-C 停止）", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="the office's workspace: a local web app over one database file",
                            description="年报检查工作台：在本机浏览器中导入、检查、复核和导出。A local web app over "
                                        "an SQLite database: import reports, check them in the background, review "
                                        "findings, compare years, export the workbook and the notice.")
    parser.add_argument("--db", default="xxgk.sqlite", metavar="FILE",
                        help="the database file (created if new; delivered files are kept in FILE.files/)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default %(default)s: this machine only; any other needs --token)")
    parser.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
    parser.add_argument("--token", metavar="TOKEN", help=f"access token every request must carry (or {TOKEN_ENV})")
    parser.add_argument("--jobs", "-j", type=int, default=_jobs(), metavar="N",
                        help="checking processes (default: the number of CPUs, here %(default)s)")
    add_rule_options(parser)
    parser.set_defaults(run=run)
