"""``normkit serve``: registered into the main CLI by :func:`register`; all logic is in normkit.server."""
from __future__ import annotations

import argparse
from pathlib import Path

from .cli import Commands, add_command
from .errors import NormkitError
from .server import config as defaults

_SERVER_MODULES = {"starlette", "uvicorn", "multipart", "python_multipart"}
MAX_PORT = 65535


def _number(value: str, kind: type[int] | type[float]) -> float:
    try:
        number = kind(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a {'whole ' if kind is int else ''}number: {value!r}") from None
    if kind is float and number != number:  # NaN
        raise argparse.ArgumentTypeError(f"not a number: {value!r}")
    return number


def _positive(value: str) -> int:
    """An argparse type: the message names the option the user typed (argparse adds it)."""
    number = int(_number(value, int))
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, not {value}")
    return number


def _limit(value: str) -> int:
    number = int(_number(value, int))
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or positive, not {value}")
    return number


def _seconds(value: str) -> float:
    number = _number(value, float)
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {value}")
    return number


def _port(value: str) -> int:
    number = int(_number(value, int))
    if not 0 <= number <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_PORT}, not {value}")
    return number


def register(commands: Commands) -> None:
    parser = add_command(commands, "serve",
                         example="normkit serve --port 5000 --api-keys keys.txt; then "
                                 "curl -d q=Привет -d source=ru -d target=en localhost:5000/translate",
                         help="Serve LibreTranslate's HTTP API (/translate, /detect, /languages, "
                              "/translate_file) and /clean.")
    add = parser.add_argument
    add("--host", default=defaults.DEFAULT_HOST, help="Address to listen on (0.0.0.0: every interface).")
    add("--port", type=_port, default=defaults.DEFAULT_PORT, help="Port to listen on (0: any free port).")
    add("--api-key", action="append", default=None, metavar="KEY", help="An accepted API key (repeatable).")
    add("--api-keys", type=Path, default=None, metavar="FILE",
        help="File of API keys, one a line: KEY or KEY REQUESTS_PER_MINUTE.")
    add("--req-limit", type=_limit, default=defaults.REQ_LIMIT_PER_MINUTE, metavar="N",
        help="Requests per minute per key (or client); 0: no limit.")
    add("--char-limit", type=_positive, default=defaults.CHAR_LIMIT, metavar="N", help="Characters of q per request (413 beyond).")
    add("--batch-limit", type=_positive, default=defaults.BATCH_LIMIT, metavar="N", help="Texts in a q array (413 beyond).")
    add("--max-body", type=_positive, default=defaults.MAX_BODY_BYTES, metavar="BYTES", help="Request body size (413 beyond).")
    add("--timeout", type=_seconds, default=defaults.REQUEST_TIMEOUT_S, metavar="SECONDS",
        help="Seconds to receive a body and to do its work.")
    add("--no-clean", action="store_true", help="Translate texts as they are, without clean().")
    add("--allowed-host", action="append", default=None, metavar="HOST",
        help="Host header to accept besides loopback names (repeatable).")
    add("--cors-origin", action="append", default=None, metavar="ORIGIN",
        help="Browser origin allowed to call the API, or * (repeatable).")
    add("--access-log", action="store_true", help="Log every request (off: URLs may hold keys).")
    parser.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> None:
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
