"""``normkit serve``: registered into the main CLI by :func:`register`; all logic is in normkit.server."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .errors import NormkitError
from .server import config as defaults

_SERVER_MODULES = {"starlette", "uvicorn", "multipart", "python_multipart"}


def register(app: typer.Typer) -> None:
    app.command(name="serve", epilog="Example: normkit serve --port 5000 --api-keys keys.txt; then "
                                     "curl -d q=Привет -d source=ru -d target=en localhost:5000/translate")(serve)


def serve(
    host: str = typer.Option(defaults.DEFAULT_HOST, "--host", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(defaults.DEFAULT_PORT, "--port", help="Port to listen on (0: any free port)."),
    api_key: Optional[List[str]] = typer.Option(None, "--api-key", help="An accepted API key (repeatable)."),
    api_keys: Optional[Path] = typer.Option(None, "--api-keys",
                                            help="File of API keys, one a line: KEY or KEY REQUESTS_PER_MINUTE."),
    req_limit: int = typer.Option(defaults.REQ_LIMIT_PER_MINUTE, "--req-limit", help="Requests per minute per key (or client); 0: no limit."),
    char_limit: int = typer.Option(defaults.CHAR_LIMIT, "--char-limit", help="Characters of q per request (413 beyond)."),
    batch_limit: int = typer.Option(defaults.BATCH_LIMIT, "--batch-limit", help="Texts in a q array (413 beyond)."),
    max_body: int = typer.Option(defaults.MAX_BODY_BYTES, "--max-body", help="Request body size in bytes (413 beyond)."),
    timeout: float = typer.Option(defaults.REQUEST_TIMEOUT_S, "--timeout", help="Seconds to receive a body and to do its work."),
    no_clean: bool = typer.Option(False, "--no-clean", help="Translate texts as they are, without clean()."),
    allowed_host: Optional[List[str]] = typer.Option(None, "--allowed-host",
                                                     help="Host header to accept besides loopback names (repeatable)."),
    cors_origin: Optional[List[str]] = typer.Option(None, "--cors-origin",
                                                    help="Browser origin allowed to call the API, or * (repeatable)."),
    access_log: bool = typer.Option(False, "--access-log", help="Log every request (off: URLs may hold keys)."),
) -> None:
    """Serve LibreTranslate's HTTP API (/translate, /detect, /languages, /translate_file) and /clean."""
    try:
        from .server.run import serve as run
    except ModuleNotFoundError as exc:
        if exc.name not in _SERVER_MODULES:
            raise
        raise NormkitError("normkit serve needs the server extra: pip install \"normkit[server]\"") from None
    keys: dict[str, int | None] = dict.fromkeys(api_key or [])
    if api_keys is not None:
        keys.update(defaults.load_api_keys(api_keys))
    run(defaults.ServerConfig(host=host, port=port, api_keys=keys, req_limit=req_limit, char_limit=char_limit,
                     batch_limit=batch_limit, max_body_bytes=max_body, timeout=timeout, clean=not no_clean,
                     allowed_hosts=tuple(allowed_host or ()), cors_origins=tuple(cors_origin or ()),
                     access_log=access_log))
