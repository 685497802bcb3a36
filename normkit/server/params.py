"""Reading a request as LibreTranslate does: a JSON object, or form fields (urlencoded or multipart)
plus the query string. Every malformed input becomes an :class:`ApiError` with a one-line message."""
from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message

_MAX_FORM_FIELDS = 64         # fields in a form body; LibreTranslate's requests have at most six
_SHOWN_VALUE_CHARS = 40       # how much of a bad value an error message repeats
_SURROGATE = re.compile("[\ud800-\udfff]")


class ApiError(Exception):
    """Answered as ``{"error": message}`` with this status."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, dict(headers or {})


@dataclass
class Upload:
    filename: str
    data: bytes


@dataclass
class Fields:
    values: dict[str, Any] = field(default_factory=dict)   # from JSON: any JSON value; from forms: str
    files: dict[str, Upload] = field(default_factory=dict)


def shown(value: object) -> str:
    """A value as an error message may repeat it: short, no lone surrogates."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=True)[:_SHOWN_VALUE_CHARS + 1]
    text = _SURROGATE.sub("\ufffd", text)
    return text if len(text) <= _SHOWN_VALUE_CHARS else text[:_SHOWN_VALUE_CHARS] + "…"


async def read_body(request: Request, max_bytes: int, timeout: float) -> bytes:
    """The whole body, refused (413) past ``max_bytes`` before it is all read, or (408) if too slow."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise ApiError(400, "Invalid request: bad Content-Length header")
        if int(declared) > max_bytes:
            raise ApiError(413, f"Request body too large: {int(declared)} bytes (limit {max_bytes})")

    async def read() -> bytes:
        chunks: list[bytes] = []
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > max_bytes:
                raise ApiError(413, f"Request body too large: over {max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        return await asyncio.wait_for(read(), timeout)
    except asyncio.TimeoutError:
        raise ApiError(408, f"Request timeout: the body was not sent within {timeout:g} s") from None
    except ClientDisconnect:  # nobody is left to answer; not a server error
        raise ApiError(400, "Invalid request: the client went away before sending the body") from None


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def parse_fields(request: Request, body: bytes) -> Fields:
    media = _media_type(request)
    if media == "application/json" or media.endswith("+json"):
        return Fields(_json_object(body))
    # Form fields and the query string, the query first as in LibreTranslate (werkzeug's request.values).
    values: dict[str, Any] = {}
    files: dict[str, Upload] = {}
    for key, value in request.query_params.multi_items():
        values.setdefault(key, value)
    if media == "multipart/form-data":
        form_values, files = await _multipart(request, body)
        for key, value in form_values:
            values.setdefault(key, value)
    elif body:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict",
                              max_num_fields=_MAX_FORM_FIELDS)
        except UnicodeDecodeError:
            raise ApiError(400, "Invalid request: the form body is not UTF-8") from None
        except ValueError:
            raise ApiError(400, f"Invalid request: more than {_MAX_FORM_FIELDS} form fields") from None
        for key, value in pairs:
            values.setdefault(key, value)
    return Fields(values, files)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "Invalid JSON format: the body is not UTF-8") from None
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
        raise ApiError(400, "Invalid JSON format") from None
    if not isinstance(value, dict):
        raise ApiError(400, "Invalid JSON format: expected an object")
    return value


async def _multipart(request: Request, body: bytes) -> tuple[list[tuple[str, str]], dict[str, Upload]]:
    sent = False

    async def replay() -> Message:  # the body was read (and size-checked) already
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    values: list[tuple[str, str]] = []
    files: dict[str, Upload] = {}
    try:
        form = await Request(request.scope, replay).form(max_files=1, max_fields=_MAX_FORM_FIELDS,
                                                         max_part_size=len(body) + 1)
    except Exception:  # python-multipart's errors, raised as starlette HTTPExceptions or its own
        raise ApiError(400, "Invalid request: malformed multipart body") from None
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files.setdefault(key, Upload(value.filename or "", await value.read()))
            else:
                values.append((key, value))
    finally:
        await form.close()
    return values, files


# --- typed parameters ---------------------------------------------------------------------------

def _valid_text(name: str, value: str) -> str:
    if _SURROGATE.search(value):
        raise ApiError(400, f"Invalid request: {name} is not valid Unicode (a lone surrogate)")
    return value


def text_param(fields: Fields, name: str, *, required: bool = False) -> str | None:
    value = fields.values.get(name)
    if value is None or value == "":
        if required:
            raise ApiError(400, f"Invalid request: missing {name} parameter")
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid request: {name} must be a string")
    return _valid_text(name, value)


def q_param(fields: Fields, *, char_limit: int, batch_limit: int) -> str | list[str]:
    """``q``: a string, or an array of strings (LibreTranslate's batch form)."""
    q = fields.values.get("q")
    if q is None or q == "" or q == []:
        raise ApiError(400, "Invalid request: missing q parameter")
    if isinstance(q, list):
        if not all(isinstance(item, str) for item in q):
            raise ApiError(400, "Invalid request: q must be a string or an array of strings")
        if len(q) > batch_limit:
            raise ApiError(413, f"Invalid request: request ({len(q)} texts) exceeds the batch limit ({batch_limit})")
        chars = sum(len(item) for item in q)
        for item in q:
            _valid_text("q", item)
    elif isinstance(q, str):
        chars = len(_valid_text("q", q))
    else:
        raise ApiError(400, "Invalid request: q must be a string or an array of strings")
    if chars > char_limit:
        raise ApiError(413, f"Invalid request: request ({chars} characters) exceeds text limit ({char_limit})")
    return q


def int_param(fields: Fields, name: str, default: int) -> int:
    value = fields.values.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ApiError(400, f"Invalid request: {name} parameter is not a number")
    if isinstance(value, str):
        if not re.fullmatch(r"\s*[+-]?\d{1,9}\s*", value):
            raise ApiError(400, f"Invalid request: {name} parameter is not a number")
        value = int(value)
    return value


def choice_param(fields: Fields, name: str, choices: tuple[str, ...], message: str) -> str | None:
    value = text_param(fields, name)
    if value is not None and value not in choices:
        raise ApiError(400, message.format(shown(value)))
    return value
