"""Running the API with uvicorn: bind first (so a taken port is a one-line error), then serve until
Ctrl-C or SIGTERM, finishing the requests in flight."""
from __future__ import annotations

import logging
import socket
import sys
from typing import TYPE_CHECKING, TextIO

from normkit.errors import NormkitError

from .app import create_app
from .config import ServerConfig

if TYPE_CHECKING:
    import uvicorn

MAX_HEADER_BYTES = 64 << 10  # a request line plus headers larger than this is refused by uvicorn
GRACEFUL_SHUTDOWN_S = 10     # requests still running after this long are dropped at shutdown
BACKLOG = 2048               # connections the kernel queues while the server is busy
# python-multipart logs a warning per malformed body: a client could fill the log with them.
_CLIENT_TRIGGERED_LOGGERS = ("python_multipart", "multipart")


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise NormkitError(f"cannot bind to {host!r}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)  # connections made from now on wait in the backlog until uvicorn accepts
    except OSError as exc:
        sock.close()
        raise NormkitError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def make_server(config: ServerConfig) -> "tuple[uvicorn.Server, socket.socket]":
    """The uvicorn server for ``config`` and its listening socket: ``server.run(sockets=[sock])``."""
    import uvicorn

    app = create_app(config)  # config errors surface before the port is taken
    for name in _CLIENT_TRIGGERED_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    sock = bind(config.host, config.port)
    server = uvicorn.Server(uvicorn.Config(
        app, log_level="warning", access_log=config.access_log, proxy_headers=False,
        server_header=False, limit_concurrency=config.max_connections, backlog=BACKLOG,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S, h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        lifespan="on"))
    return server, sock


def serve(config: ServerConfig, *, log: TextIO = sys.stderr) -> None:
    """Serve until interrupted."""
    server, sock = make_server(config)
    try:
        if not config.loopback_only and not config.api_keys:
            print(f"normkit: warning: listening on {config.host} without API keys: anyone who can reach "
                  "this port can use the server (give --api-key or --api-keys FILE)", file=log)
        print(f"normkit: serving the LibreTranslate API on {url_of(sock)} (Ctrl-C stops)", file=log, flush=True)
        server.run(sockets=[sock])
    finally:
        sock.close()
