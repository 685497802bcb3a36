"""``normkit serve``: a LibreTranslate-compatible HTTP API over normkit (``pip install "normkit[server]"``).

>>> from normkit.server import ServerConfig, create_app   # an ASGI app for any ASGI server

Starlette and uvicorn load on first use of ``create_app``/``serve``; :mod:`normkit.server.config`
(the options and their defaults) needs neither.
"""
from __future__ import annotations

from typing import Any

from .config import ServerConfig, load_api_keys

__all__ = ["ServerConfig", "create_app", "load_api_keys", "serve"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "serve":
        from .run import serve

        return serve
    raise AttributeError(f"module 'normkit.server' has no attribute {name!r}")
