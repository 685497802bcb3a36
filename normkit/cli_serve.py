"""``normkit serve``: registered into the main CLI by :func:`register`; all logic is in normkit.server."""
from __future__ import annotations

import argparse
from pathlib import Path

from .cli import Commands, UsageError, add_command
from .errors import NormkitError
from .server import config as defaults

_SERVER_MODULES = {"starlette", "uvicorn", "multipart", "python_multipart"}
MAX_PORT = 65535


def _check_limits(args: argparse.Namespace) -> None:
    """Range errors as usage errors naming the flag the user typed (ServerConfig's own messages
    name its fields, e.g. max-body-bytes, which no flag is called)."""
    checks = (("--port", args.port, 0 <= args.port <= MAX_PORT, f"between 0 and {MAX_PORT}"),
              ("--req-limit", args.req_limit, args.req_limit >= 0, "0 (no limit) or positive"),
              ("--char-limit", args.char_limit, args.char_limit > 0, "positive"),
              ("--batch-limit", args.batch_limit, args.batch_limit > 0, "positive"),
              ("--max-body", args.max_body, args.max_body > 0, "positive"),
              ("--timeout", args.timeout, 0 < args.timeout < float("inf"), "a positive number of seconds"))
    for flag, value, ok, must in checks:
        if not ok:
            raise UsageError(args.parser, f"{flag} must be {must}, not {value}")


def register(commands: Commands) -> None:
    parser = add_command(commands, "serve",
                         example="normkit serve --port 5000 --api-keys keys.txt; then "
                                 "curl -d q=Привет -d source=ru -d target=en localhost:5000/translate",
                         help="Serve LibreTranslate's HTTP API (/translate, /detect, /languages, "
                              "/translate_file) and /clean.")
    add = parser.add_argument
    add("--host", default=defaults.DEFAULT_HOST, help="Address to listen on (0.0.0.0: every interface).")
    add("--port", type=int, default=defaults.DEFAULT_PORT, help="Port to listen on (0: any free port).")
    add("--api-key", action="append", default=None, metavar="KEY", help="An accepted API key (repeatable).")
    add("--api-keys", type=Path, default=None, metavar="FILE",
        help="File of API keys, one a line: KEY or KEY REQUESTS_PER_MINUTE.")
    add("--req-limit", type=int, default=defaults.REQ_LIMIT_PER_MINUTE, metavar="N",
        help="Requests per minute per key (or client); 0: no limit.")
    add("--char-limit", type=int, default=defaults.CHAR_LIMIT, metavar="N", help="Characters of q per request (413 beyond).")
    add("--batch-limit", type=int, default=defaults.BATCH_LIMIT, metavar="N", help="Texts in a q array (413 beyond).")
    add("--max-body", type=int, default=defaults.MAX_BODY_BYTES, metavar="BYTES", help="Request body size (413 beyond).")
    add("--timeout", type=float, default=defaults.REQUEST_TIMEOUT_S, metavar="SECONDS",
        help="Seconds to receive a body and to do its work.")
    add("--no-clean", action="store_true", help="Translate texts as they are, without clean().")
    add("--allowed-host", action="append", default=None, metavar="HOST",
        help="Host header to accept besides loopback names (repeatable).")
    add("--cors-origin", action="append", default=None, metavar="ORIGIN",
        help="Browser origin allowed to call the API, or * (repeatable).")
    add("--access-log", action="store_true", help="Log every request (off: URLs may hold keys).")
    parser.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> None:
    _check_limits(args)
    try:
        from .server.run import serve as run
    except ModuleNotFoundError as exc:
        if exc.name not in _SERVER_MODULES:
            raise
        raise NormkitError("normkit serve needs the server extra: pip install \"normkit[server]\"") from None
    keys: dict[str, int | None] = dict.fromkeys(args.api_key or [])
    if args.api_keys is not None:
        keys.update(defaults.load_api_keys(args.api_keys))
    run(defaults.ServerConfig(host=args.host, port=args.port, api_keys=keys, req_limit=args.req_limit,
                              char_limit=args.char_limit, batch_limit=args.batch_limit, max_body_bytes=args.max_body,
                              timeout=args.timeout, clean=not args.no_clean,
                              allowed_hosts=tuple(args.allowed_host or ()), cors_origins=tuple(args.cors_origin or ()),
                              access_log=args.access_log))
