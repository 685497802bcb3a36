"""The LibreTranslate-compatible HTTP API over normkit: routes, access checks and error shapes.

Endpoints: ``POST /translate``, ``POST /detect``, ``GET /languages``, ``POST /translate_file`` with
``GET /download_file/NAME``, ``GET /frontend/settings`` (as LibreTranslate), and ``POST /clean``
(normkit's own: text and edits). Every error is ``{"error": "..."}`` with a 4xx/5xx status.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import Any, AsyncIterator, Awaitable, Callable, Sequence

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

import normkit
from normkit.errors import NormkitError
from normkit.translation import TranslationResult
from normkit.translation import models
from normkit.translation.errors import ModelNotFoundError

from . import markup
from .batcher import Batcher, Busy
from .config import FILE_KEEP_S, FILE_STORE_BYTES, MAX_TRACKED_CLIENTS, ServerConfig
from .files import FileStore
from .guard import KeyRing, RateLimiter, retry_after
from .params import ApiError, Fields, choice_param, int_param, parse_fields, q_param, read_body, shown, text_param
from .work import (TranslateJob, call_each, check_route, detect_languages, detected_language,
                   installed_languages, translate_jobs)

log = logging.getLogger("normkit.server")

FORMATS = ("text", "html")
FILE_FORMATS = {".txt": "text", ".html": "html", ".htm": "html"}  # what /translate_file takes
_LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
_LANG_TAG_CHARS = 12   # "ru", "en-GB", "sr-Latn": a clean() lang option is a short tag


@dataclass(frozen=True)
class _Call:
    """A small job for the text lane (cleaning, detection, listing): the call and its size."""

    fn: Callable[[], Any]
    size: int

    def __call__(self) -> Any:
        return self.fn()


def _run_calls(calls: list[_Call]) -> list[Any | Exception]:
    return call_each(calls)


class Service:
    """What one server holds: its Normalizer, the batchers, the access guards, translated files."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.keys = KeyRing(config.api_keys)
        self.limiter = RateLimiter(MAX_TRACKED_CLIENTS)
        try:
            self.normalizer = normkit.load(normkit.Config().with_options(**dict(config.normalizer_options)))
        except TypeError as exc:  # an option normkit.Config does not have
            raise NormkitError(str(exc)) from None
        self.files = FileStore(FILE_STORE_BYTES, FILE_KEEP_S)
        self.translations: Batcher[TranslateJob, list[TranslationResult]] = Batcher(
            partial(translate_jobs, clean=config.clean), name="translate", size=lambda job: job.size,
            window=config.batch_window, max_jobs=config.batch_max_jobs, max_size=config.batch_max_chars,
            max_pending=config.max_pending_chars)
        # Cleaning and detection in their own thread, so they never wait behind a long translation.
        self.text_lane: Batcher[_Call, Any] = Batcher(
            _run_calls, name="text", size=lambda call: call.size, window=0.0, max_jobs=config.batch_max_jobs,
            max_size=config.batch_max_chars, max_pending=config.max_pending_chars)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        # Load the cleaner's data before the first request, not during it (seconds, not ms).
        await asyncio.get_running_loop().run_in_executor(None, self.normalizer.warm)
        await self.translations.start()
        await self.text_lane.start()
        try:
            yield
        finally:
            await self.translations.stop()
            await self.text_lane.stop()

    # --- requests -----------------------------------------------------------------------------

    async def fields(self, request: Request) -> Fields:
        body = await read_body(request, self.config.max_body_bytes, self.config.timeout)
        fields = await parse_fields(request, body)
        self._check_access(request, fields)
        return fields

    def _check_access(self, request: Request, fields: Fields) -> None:
        key = fields.values.get("api_key")
        limit = self.config.req_limit
        if self.keys:
            if key is None or key == "":
                raise ApiError(403, "Invalid request: this server needs an API key (api_key parameter)")
            known, own = self.keys.check(key) if isinstance(key, str) else (False, None)
            if not known:
                raise ApiError(403, "Invalid API key")
            assert isinstance(key, str)
            client = KeyRing.client_id(key)
            limit = own if own is not None else limit
        else:
            client = "address:" + (request.client.host if request.client else "?")
        wait = self.limiter.take(client, limit)
        if wait:
            raise ApiError(429, f"Slowdown: {limit} per 1 minute", {"Retry-After": retry_after(wait)})

    async def _await(self, work: Awaitable[Any]) -> Any:
        try:
            return await work
        except Busy as exc:
            raise ApiError(503, f"Server busy: {exc}; retry later", {"Retry-After": "1"}) from None
        except asyncio.TimeoutError:
            raise ApiError(503, f"Timed out: the work took longer than {self.config.timeout:g} s") from None
        except ModelNotFoundError as exc:
            raise ApiError(404, str(exc)) from None
        except NormkitError as exc:
            raise ApiError(400, str(exc)) from None

    async def translate_texts(self, texts: list[str], source: str, target: str) -> list[TranslationResult]:
        if not texts:
            return []
        job = TranslateJob(tuple(texts), target, source)
        results: list[TranslationResult] = await self._await(self.translations.submit(job, self.config.timeout))
        return results

    async def small(self, fn: Callable[[], Any], size: int) -> Any:
        return await self._await(self.text_lane.submit(_Call(fn, size), self.config.timeout))

    def check_languages(self, source: str, target: str) -> None:
        codes = models.installed_languages()
        if not codes:
            raise ApiError(404, f"no translation models are installed; {models.FILE_ROUTE} installs one")
        for code in (target, source):
            if code != "auto" and code not in codes:
                raise ApiError(400, f"{shown(code)} is not supported")
        if target == "auto":
            raise ApiError(400, "auto is not supported as a target")
        try:
            check_route(source, target)
        except ModelNotFoundError as exc:
            raise ApiError(404, str(exc)) from None
        except NormkitError as exc:
            raise ApiError(400, str(exc)) from None


# --- endpoints -----------------------------------------------------------------------------------

def _service(request: Request) -> Service:
    service = request.app.state.normkit
    assert isinstance(service, Service)
    return service


async def translate(request: Request) -> Response:
    service = _service(request)
    fields = await service.fields(request)
    q = q_param(fields, char_limit=service.config.char_limit, batch_limit=service.config.batch_limit)
    source = text_param(fields, "source") or "auto"
    target = text_param(fields, "target", required=True)
    assert target is not None
    fmt = choice_param(fields, "format", FORMATS, "{} format is not supported") or "text"
    alternatives = max(0, int_param(fields, "alternatives", 0))
    service.check_languages(source, target)
    items = q if isinstance(q, list) else [q]
    per_item = await _translate_items(service, items, source, target, fmt)
    texts = [text for text, _ in per_item]
    body: dict[str, Any] = {"translatedText": texts if isinstance(q, list) else texts[0]}
    if source == "auto":
        detected = [detected_language(results) for _, results in per_item]
        body["detectedLanguage"] = detected if isinstance(q, list) else detected_language(
            [r for _, results in per_item for r in results])
    if alternatives:  # the engine gives one hypothesis: no alternatives to offer
        body["alternatives"] = [[] for _ in items] if isinstance(q, list) else []
    return JSONResponse(body)


async def _translate_items(service: Service, items: Sequence[str], source: str, target: str,
                           fmt: str) -> list[tuple[str, list[TranslationResult]]]:
    """Each item's translation and the results it was made of; all items go as one job."""
    if fmt == "text":
        results = await service.translate_texts(list(items), source, target)
        return [(r.text, [r]) for r in results]
    docs = [markup.split_html(item) for item in items]
    results = await service.translate_texts([t for d in docs for t in markup.texts(d)], source, target)
    out, pos = [], 0
    for pieces in docs:
        n = len(markup.texts(pieces))
        mine = results[pos:pos + n]
        pos += n
        out.append((markup.join_html(pieces, [r.text for r in mine]), mine))
    return out


async def detect(request: Request) -> Response:
    service = _service(request)
    fields = await service.fields(request)
    q = q_param(fields, char_limit=service.config.char_limit, batch_limit=service.config.batch_limit)
    text = q if isinstance(q, str) else "\n\n".join(q)
    candidates = models.installed_languages()
    found = await service.small(lambda: detect_languages(text, candidates), len(text))
    return JSONResponse(found)


async def languages(request: Request) -> Response:
    found = await _service(request).small(lambda: [lang.to_dict() for lang in installed_languages()], 1)
    return JSONResponse(found)


async def clean(request: Request) -> Response:
    """normkit's own endpoint: ``q`` (string or array) cleaned, with every edit, in normkit's JSON."""
    service = _service(request)
    fields = await service.fields(request)
    q = q_param(fields, char_limit=service.config.char_limit, batch_limit=service.config.batch_limit)
    options: dict[str, Any] = {}
    lang = text_param(fields, "lang")
    if lang is not None:
        if len(lang) > _LANG_TAG_CHARS or not lang.replace("-", "").isascii() or not lang.replace("-", "").isalnum():
            raise ApiError(400, f"Invalid request: lang {shown(lang)} is not a language code such as en or ru")
        options["lang"] = lang
    script = choice_param(fields, "target_script", ("latin", "cyrillic"),
                          "Invalid request: target_script must be latin or cyrillic, not {}")
    if script is not None:
        options["target_script"] = script
    normalizer = normkit.load(service.normalizer.config, **options) if options else service.normalizer
    items = [q] if isinstance(q, str) else q
    found = await service.small(lambda: [normalizer.clean(t).to_dict() for t in items], sum(map(len, items)))
    return JSONResponse(found[0] if isinstance(q, str) else found)


async def translate_file(request: Request) -> Response:
    service = _service(request)
    fields = await service.fields(request)
    upload = fields.files.get("file")
    if upload is None:
        raise ApiError(400, "Invalid request: missing file parameter")
    if not upload.filename:
        raise ApiError(400, "Invalid request: empty file")
    fmt = FILE_FORMATS.get(PurePath(upload.filename).suffix.lower())
    if fmt is None:
        raise ApiError(400, f"Invalid request: file format not supported (use {', '.join(FILE_FORMATS)})")
    source = text_param(fields, "source") or "auto"
    target = text_param(fields, "target", required=True)
    assert target is not None
    service.check_languages(source, target)
    try:
        text = upload.data.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "Invalid request: the file is not UTF-8 text") from None
    if len(text) > service.config.char_limit:
        raise ApiError(413, f"Invalid request: request ({len(text)} characters) exceeds text limit "
                            f"({service.config.char_limit})")
    [(translated, _)] = await _translate_items(service, [text], source, target, fmt)
    name = service.files.put(upload.filename, translated.encode("utf-8"),
                             "text/html; charset=utf-8" if fmt == "html" else "text/plain; charset=utf-8")
    return JSONResponse({"translatedFileUrl": str(request.url_for("download_file", name=name))})


async def download_file(request: Request) -> Response:
    stored = _service(request).files.get(request.path_params["name"])
    if stored is None:
        raise ApiError(404, "Invalid filename: no such file (translated files are kept for a while only)")
    return Response(stored.data, media_type=stored.media_type,
                    headers={"Content-Disposition": stored.content_disposition()})


async def frontend_settings(request: Request) -> Response:
    config = _service(request).config
    return JSONResponse({
        "charLimit": config.char_limit, "frontendTimeout": 500, "apiKeys": bool(config.api_keys),
        "keyRequired": bool(config.api_keys), "suggestions": False, "filesTranslation": True,
        "supportedFilesFormat": list(FILE_FORMATS),
        "language": {"source": {"code": "auto", "name": "Auto Detect"}, "target": {"code": "en", "name": "English"}},
    })


# --- errors and the application ------------------------------------------------------------------

async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse({"error": exc.message}, exc.status, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse({"error": exc.detail}, exc.status_code, headers=exc.headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "Internal server error (see the server log)"}, 500)


class HostCheck:
    """Answer only requests addressed to an allowed host name: a server on loopback must not be
    reachable from a web page through DNS rebinding."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str]) -> None:
        self.app, self.allowed = app, allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = Headers(scope=scope).get("host", "").lower()
            name = host.split("]", 1)[0] + "]" if host.startswith("[") else host.rsplit(":", 1)[0]
            if name not in self.allowed:
                await JSONResponse({"error": "Invalid host header"}, 400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(config: ServerConfig | None = None) -> Starlette:
    """The ASGI application (run it with ``normkit serve``, or any ASGI server)."""
    config = config or ServerConfig()
    service = Service(config)
    routes = [
        Route("/translate", translate, methods=["POST"]),
        Route("/detect", detect, methods=["POST"]),
        Route("/languages", languages, methods=["GET"]),
        Route("/translate_file", translate_file, methods=["POST"]),
        Route("/download_file/{name}", download_file, methods=["GET"], name="download_file"),
        Route("/frontend/settings", frontend_settings, methods=["GET"]),
        Route("/clean", clean, methods=["POST"]),
    ]
    middleware = []
    if config.loopback_only or config.allowed_hosts:
        allowed = frozenset(h.lower() for h in (*config.allowed_hosts, config.host)) | (
            _LOOPBACK_NAMES if config.loopback_only else frozenset())
        middleware.append(Middleware(HostCheck, allowed=allowed))
    if config.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                                     allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Authorization"]))
    app = Starlette(routes=routes, middleware=middleware, lifespan=service.lifespan, exception_handlers={
        ApiError: _api_error, HTTPException: _http_error, Exception: _internal_error})
    app.state.normkit = service
    return app
