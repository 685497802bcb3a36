"""``normkit serve``: the LibreTranslate-compatible API, driven over real HTTP on 127.0.0.1.

Servers run with uvicorn in a thread (a subprocess for the CLI) on a free port, translating with the
tiny Argos packages the suite builds. The client is the real ``libretranslatepy`` package where it
has a call for the job (it sends form bodies, one text at a time); arrays, HTML and the normkit
endpoints go as JSON through urllib. Every server is checked on the way out: its thread and
workers gone, its port closed, nothing logged as an error.
"""
from __future__ import annotations

import html
import json
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pytest
from libretranslatepy import LibreTranslateAPI

import normkit
from normkit.errors import NormkitError
from normkit.server import ServerConfig
from normkit.server.app import Service
from normkit.server.config import parse_api_keys
from normkit.server.files import FileStore, safe_filename
from normkit.server.guard import RateLimiter
from normkit.server.markup import join_html, split_html, texts
from normkit.server.run import make_server
from normkit.server.work import TranslateJob, translate_jobs
from normkit.translation import models, translate
from normkit.translation.errors import ModelNotFoundError
from translate_helpers import argos_dir, tiny_models  # noqa: F401

BASE = ServerConfig(host="127.0.0.1", port=0)
RU_TEXTS = [  # every character is in the tiny models' vocabulary; "а" becomes "б" through ru→en
    "Жители района Кириши ждут новый мост через реку.",
    "В Тихвине открыли школу, пишет газета.",
    "Андрей Бочаров приехал в Кириши на завод.",
    "Сегодня в городе прошла ярмарка мёда.",
]
EN_TEXT = "The weather in the north was calm and dry all week, the local paper says."


@pytest.fixture
def installed(tiny_models, argos_dir) -> Path:  # noqa: F811
    """ru→en (swapping а/б, so a translation differs from its input), en→de (swapping в/г) and
    en→ru (an exact copier): ru→de goes through English."""
    for name in ("ru_en_swap", "en_de_swap", "en_ru"):
        models.install_file(tiny_models[name])
    return argos_dir


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def running(config: ServerConfig = BASE) -> Iterator[tuple[str, Service]]:
    """A real uvicorn server in a thread; on exit it must stop cleanly and leave nothing behind."""
    before = set(threading.enumerate())
    server, sock = make_server(config)
    port = sock.getsockname()[1]
    errors = _Errors()
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "normkit.server")]
    for lg in loggers:
        lg.addHandler(errors)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="test-uvicorn")
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        service = server.config.app.state.normkit
        yield f"http://127.0.0.1:{port}/", service
    finally:
        server.should_exit = True
        thread.join(60)
        sock.close()
        for lg in loggers:
            lg.removeHandler(errors)
    assert not thread.is_alive(), "the server did not stop"
    leaked = [t.name for t in threading.enumerate() if t not in before and t.is_alive()]
    assert leaked == [], f"threads left running: {leaked}"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert [r.getMessage() for r in errors.records] == []


def call(url: str, path: str, body: Any = None, *, raw: bytes | None = None, content_type: str | None = None,
         method: str = "POST", headers: dict[str, str] | None = None) -> tuple[int, Any, Any]:
    """(status, parsed JSON body, headers) of one request; JSON bodies unless ``raw`` is given."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    hdrs = dict(headers or {})
    if content_type or (raw is None and body is not None):
        hdrs["Content-Type"] = content_type or "application/json"
    req = urllib.request.Request(url + path, data=data, headers=hdrs, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, json.loads(resp.read()), resp.headers
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), exc.headers


def error_of(exc: urllib.error.HTTPError) -> tuple[int, str]:
    return exc.code, json.loads(exc.read())["error"]


# --- LibreTranslate's own client ---------------------------------------------------------------

def test_libretranslatepy_translates_detects_and_lists(installed) -> None:
    with running() as (url, _):
        lt = LibreTranslateAPI(url)
        listed = {lang["code"]: lang for lang in lt.languages()}
        assert listed == {
            "de": {"code": "de", "name": "German", "targets": []},
            "en": {"code": "en", "name": "English", "targets": ["de", "ru"]},
            "ru": {"code": "ru", "name": "Russian", "targets": ["de", "en"]},  # de through English
        }
        for text in RU_TEXTS:
            got = lt.translate(text, "ru", "en")
            assert got == translate(text, "en", "ru").text  # cleans and protects names as normkit does
            assert "б" in got and "а" not in got  # the swapping model really ran (а and б trade places)
            assert lt.translate(text, "auto", "en") == got
            assert lt.translate(text, "ru", "de") == translate(text, "de", "ru").text
        # A mixed-script name is cleaned, then kept out of MT and written in English.
        assert "Kirishi" in lt.translate("Вчера в Кириshi прошёл митинг.", "ru", "en")
        assert lt.translate(EN_TEXT, "en", "ru") == EN_TEXT  # the en→ru copier
        assert lt.detect(RU_TEXTS[1]) == [{"confidence": 100.0, "language": "ru"}]
        assert lt.detect(EN_TEXT) == [{"confidence": 100.0, "language": "en"}]
        mixed = RU_TEXTS[0] + "\n\n" + EN_TEXT
        shares = lt.detect(mixed)
        assert [s["language"] for s in shares] == ["en", "ru"]  # the English paragraph is longer
        assert shares[0]["confidence"] == round(100 * len(EN_TEXT) / (len(EN_TEXT) + len(RU_TEXTS[0])), 2)
        assert sum(s["confidence"] for s in shares) == pytest.approx(100.0, abs=0.02)


def test_libretranslatepy_with_api_keys(installed, tmp_path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("# key  requests-per-minute\nalpha-key\nbeta-key 2\n", encoding="utf-8")
    config = replace(BASE, api_keys={**parse_api_keys(keys.read_text().splitlines(), "keys.txt")})
    with running(config) as (url, _):
        assert LibreTranslateAPI(url, api_key="alpha-key").translate(RU_TEXTS[3], "ru", "en") == \
            translate(RU_TEXTS[3], "en", "ru").text
        with pytest.raises(urllib.error.HTTPError) as bad:
            LibreTranslateAPI(url, api_key="alpha-kez").translate(RU_TEXTS[3], "ru", "en")
        assert error_of(bad.value) == (403, "Invalid API key")
        with pytest.raises(urllib.error.HTTPError) as missing:
            LibreTranslateAPI(url).detect(RU_TEXTS[3])
        assert error_of(missing.value)[0] == 403
        assert LibreTranslateAPI(url).languages()  # the language list needs no key, as in LibreTranslate
        beta = LibreTranslateAPI(url, api_key="beta-key")  # its own limit: 2 a minute
        assert beta.detect(EN_TEXT) and beta.detect(EN_TEXT)
        with pytest.raises(urllib.error.HTTPError) as slow:
            beta.detect(EN_TEXT)
        assert error_of(slow.value) == (429, "Slowdown: 2 per 1 minute")
        assert int(slow.value.headers["Retry-After"]) >= 1
        assert LibreTranslateAPI(url, api_key="alpha-key").detect(EN_TEXT)  # other keys are not slowed


# --- arrays, HTML, files, /clean ---------------------------------------------------------------

def test_arrays_translate_item_by_item(installed) -> None:
    items = [RU_TEXTS[0], EN_TEXT, "", RU_TEXTS[2]]
    with running() as (url, _):
        status, body, _ = call(url, "translate", {"q": items, "source": "auto", "target": "en"})
        assert status == 200
        assert body["translatedText"] == [translate(t, "en").text for t in items]
        assert [d["language"] for d in body["detectedLanguage"]] == ["ru", "en", "und", "ru"]
        status, body, _ = call(url, "translate", {"q": items[:2], "source": "ru", "target": "de",
                                                  "alternatives": 2})
        assert status == 200 and "detectedLanguage" not in body
        assert body["translatedText"] == [translate(t, "de", "ru").text for t in items[:2]]
        assert body["alternatives"] == [[], []]  # one hypothesis per text: none to offer


def test_html_keeps_markup_and_translates_text(installed) -> None:
    doc = ('<p class="lead">Жители района <b>Кириши</b> ждут &laquo;весну&raquo;.</p>\n'
           '<script>var a = "района";</script><code>мама</code> <a title="x>y">Новая глава</a>')
    with running() as (url, _):
        status, body, _ = call(url, "translate", {"q": doc, "source": "ru", "target": "en", "format": "html"})
    assert status == 200
    got = body["translatedText"]
    pieces = split_html(doc)
    assert got == join_html(pieces, [translate(t, "en", "ru").text for t in texts(pieces)])
    assert '<script>var a = "района";</script><code>мама</code>' in got  # code is not translated
    assert got.startswith('<p class="lead">Жители рбйонб <b>Kirishi</b> ждут «весну».</p>')
    assert '<a title="x>y">Новбя глбвб</a>' in got


def test_translate_file_then_download(installed) -> None:
    text = "\n".join(RU_TEXTS) + "\n"
    boundary = "normkitboundary"
    parts = [("target", None, b"en"), ("source", None, b"ru"), ("file", "вести.txt", text.encode())]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'.encode()
        + (f'; filename="{fname}"'.encode() if fname else b"") + b"\r\n\r\n" + data + b"\r\n"
        for name, fname, data in parts) + f"--{boundary}--\r\n".encode()
    with running() as (url, _):
        status, reply, _ = call(url, "translate_file", raw=body,
                                content_type=f"multipart/form-data; boundary={boundary}")
        assert status == 200
        file_url = reply["translatedFileUrl"]
        assert file_url.startswith(url + "download_file/")
        with urllib.request.urlopen(file_url, timeout=60) as resp:
            assert resp.read().decode() == translate(text, "en", "ru").text
            assert resp.headers["Content-Disposition"] == \
                "attachment; filename=\"file.txt\"; filename*=UTF-8''%D0%B2%D0%B5%D1%81%D1%82%D0%B8.txt"
        status, reply, _ = call(url, "download_file/" + "0" * 32 + ".txt", method="GET")
        assert status == 404 and "no such file" in reply["error"]


def test_clean_returns_normkits_json(installed) -> None:
    samples = ["Губернатор посетил Москвa и Кириshi.", "Nothing to fix here.", "Near the Кириshi plant."]
    with running() as (url, service):
        assert service.normalizer is normkit.load()
        status, body, _ = call(url, "clean", {"q": samples[0]})
        assert status == 200 and body == normkit.load().clean(samples[0]).to_dict()
        assert body["edits"] and all(e["kind"] in {"homoglyph", "mixed_script"} for e in body["edits"])
        assert normkit.apply_edits(samples[0], [normkit.Edit(**e) for e in body["edits"]]) == body["text"]
        status, body, _ = call(url, "clean", {"q": samples, "lang": "en"})
        assert status == 200 and body == [normkit.load(lang="en").clean(s).to_dict() for s in samples]
        status, body, _ = call(url, "clean", raw="q=Москвa".encode(), content_type="application/x-www-form-urlencoded")
        assert status == 200 and body["text"] == "Москва"


# --- errors ------------------------------------------------------------------------------------

def test_languages_and_models_errors(installed) -> None:
    with running() as (url, _):
        lt = LibreTranslateAPI(url)
        with pytest.raises(urllib.error.HTTPError) as unknown:
            lt.translate("Привет", "ru", "xx")
        assert error_of(unknown.value) == (400, "xx is not supported")
        with pytest.raises(urllib.error.HTTPError) as not_installed:
            lt.translate("Привет", "uk", "en")
        assert error_of(not_installed.value) == (400, "uk is not supported")
        with pytest.raises(urllib.error.HTTPError) as no_model:  # both installed, no route de → en
            lt.translate("Guten Morgen", "de", "en")
        code, message = error_of(no_model.value)
        assert code == 404 and "no model translates de → en" in message
        # Detected German, which nothing translates: the same 404, naming the model to install.
        status, body, _ = call(url, "translate", {"q": "Guten Morgen, wie geht es dir heute?", "source": "auto",
                                                  "target": "en"})
        assert status == 404 and "de → en" in body["error"]


def test_no_models_installed_is_404(argos_dir) -> None:  # noqa: F811
    with running() as (url, _):
        status, body, _ = call(url, "translate", {"q": "Привет", "source": "ru", "target": "en"})
        assert status == 404 and "no translation models are installed" in body["error"]
        assert LibreTranslateAPI(url).languages() == []
        assert LibreTranslateAPI(url).detect(RU_TEXTS[0]) == [{"confidence": 100.0, "language": "ru"}]


LIMITS = replace(BASE, char_limit=2000, batch_limit=8, max_body_bytes=64_000, timeout=2.0)
FORM = "application/x-www-form-urlencoded"
BAD_INPUT = [  # (path, body, content type, expected status)
    ("translate", b'{"q": ', None, 400),                                   # invalid JSON
    ("translate", b"[1, 2]", None, 400),                                  # not an object
    ("translate", '"Привет"'.encode(), None, 400),
    ("translate", b"null", None, 400),
    ("translate", b"", None, 400),                                        # empty JSON body
    ("translate", b'{"q": 5, "target": "en"}', None, 400),                # wrong types
    ("translate", b'{"q": {"a": 1}, "target": "en"}', None, 400),
    ("translate", b'{"q": NaN, "target": "en"}', None, 400),
    ("translate", b'{"q": [1, "a", null], "target": "en"}', None, 400),   # array of mixed types
    ("translate", b'{"q": [["deep"]], "target": "en"}', None, 400),
    ("translate", b'{"q": "", "target": "en"}', None, 400),               # empty q
    ("translate", b'{"q": [], "target": "en"}', None, 400),
    ("translate", b'{"q": "x", "target": 7}', None, 400),
    ("translate", b'{"q": "x", "target": "en", "source": ["ru"]}', None, 400),
    ("translate", b'{"q": "x", "target": "en", "format": "pdf"}', None, 400),
    ("translate", b'{"q": "x", "target": "en", "alternatives": "many"}', None, 400),
    ("translate", b'{"q": "x", "target": "en", "alternatives": 1' + b"0" * 5000 + b"}", None, 400),
    ("translate", b'{"q": "x"}', None, 400),                              # no target
    ("translate", b'{"q": "x", "target": "auto"}', None, 400),
    ("translate", b'{"q": ' + b"[" * 30_000 + b"]" * 30_000 + b', "target": "en"}', None, 400),  # deep nesting
    ("translate", b'{"q": "\xff\xfe", "target": "en"}', None, 400),       # invalid UTF-8
    ("translate", b"q=\xff\xfe&target=en", FORM, 400),
    ("translate", b"q=%ff%fe&target=en", FORM, 400),
    ("translate", b'{"q": "\\ud800", "target": "en"}', None, 400),        # a lone surrogate
    ("translate", b'{"q": "x", "target": "\\udfff"}', None, 400),
    ("translate", json.dumps({"q": "а" * 2001, "target": "en"}).encode(), None, 413),     # huge q
    ("translate", json.dumps({"q": ["а"] * 9, "target": "en"}).encode(), None, 413),      # long array
    ("translate", b"q=" + b"a" * 70_000 + b"&target=en", FORM, 413),      # body over the limit
    ("translate", b"&".join([b"f%d=1" % i for i in range(100)]), FORM, 400),  # too many fields
    ("translate", b"garbage", "multipart/form-data; boundary=xyz", 400),
    ("translate", b"garbage", "multipart/form-data", 400),                # no boundary
    ("translate", json.dumps({"q": "Жители района.", "source": "ru", "target": "en",
                              "unknown": {"field": [1, 2]}, "api_key": 12}).encode(), None, 200),  # ignored
    ("translate", json.dumps({"q": "a\u0000b\u200b\u202e\x1b[31m", "source": "ru", "target": "en"}).encode(),
     None, 200),                                                          # control characters are text
    ("detect", b'{"q": [1, 2]}', None, 400),
    ("detect", b'{"q": "\\u0000"}', None, 200),
    ("clean", b'{"q": "x", "lang": "../../etc"}', None, 400),
    ("clean", b'{"q": "x", "target_script": "greek"}', None, 400),
    ("clean", json.dumps({"q": ["\u0000", "Москвa", ""]}).encode(), None, 200),
    ("translate_file", b"q=x&target=en", FORM, 400),                       # no file
]


def test_bad_input_battery(installed) -> None:
    with running(LIMITS) as (url, _):
        for path, raw, ctype, expected in BAD_INPUT:
            status, body, _ = call(url, path, raw=raw, content_type=ctype or "application/json")
            assert status == expected, (path, raw[:60], body)
            if expected != 200:
                assert isinstance(body, dict) and set(body) == {"error"} and body["error"], body
        for method, path in (("GET", "translate"), ("POST", "languages"), ("GET", "no/such/endpoint")):
            status, body, _ = call(url, path, method=method)
            assert status in (404, 405) and isinstance(body["error"], str)
        status, body, _ = call(url, "languages", method="GET", headers={"Host": "attacker.example"})
        assert (status, body) == (400, {"error": "Invalid host header"})  # no DNS rebinding
        # Still serving, and right.
        assert LibreTranslateAPI(url).translate(RU_TEXTS[0], "ru", "en") == translate(RU_TEXTS[0], "en", "ru").text


def _raw_exchange(port: int, request: bytes, wait: float = 30) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def test_slow_client_gets_408_and_others_are_served(installed) -> None:
    with running(LIMITS) as (url, _):
        port = int(url.rsplit(":", 1)[1].strip("/"))
        started = time.monotonic()
        reply = _raw_exchange(port, b"POST /translate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    b"Content-Length: 50\r\n\r\n{\"q\": ")  # and then nothing
        assert reply.startswith(b"HTTP/1.1 408") and b'"error"' in reply
        assert time.monotonic() - started < LIMITS.timeout + 10
        with socket.create_connection(("127.0.0.1", port), timeout=30) as gone:  # leaves mid-body
            gone.sendall(b"POST /clean HTTP/1.1\r\nHost: localhost\r\nContent-Length: 500\r\n\r\nq=")
        assert LibreTranslateAPI(url).detect(EN_TEXT)[0]["language"] == "en"


def test_malformed_http_is_refused(installed) -> None:
    with running(LIMITS) as (url, _):
        port = int(url.rsplit(":", 1)[1].strip("/"))
        for request in (b"GARBAGE\r\n\r\n", b"GET /languages HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                        + b"a" * 100_000 + b"\r\n\r\n", b"POST /translate HTTP/1.1\r\nHost: localhost\r\n"
                        b"Content-Length: -5\r\n\r\n", b"\x00\xff" * 1000 + b"\r\n\r\n"):
            reply = _raw_exchange(port, request)  # uvicorn answers 400, or closes, or (big header) serves
            assert reply == b"" or reply.startswith((b"HTTP/1.1 4", b"HTTP/1.1 200")), reply[:80]
        assert LibreTranslateAPI(url).detect(EN_TEXT)[0]["language"] == "en"


def test_busy_server_answers_503(installed) -> None:
    # A long batch window keeps the first request queued while the second arrives.
    config = replace(BASE, batch_window=1.0, max_pending_chars=len(RU_TEXTS[0]) + 5)
    with running(config) as (url, _):
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(call, url, "translate", {"q": RU_TEXTS[0], "source": "ru", "target": "en"})
            time.sleep(0.3)
            status, body, headers = call(url, "translate", {"q": RU_TEXTS[0], "source": "ru", "target": "en"})
            assert status == 503 and body["error"].startswith("Server busy") and headers["Retry-After"] == "1"
            assert first.result()[0] == 200


# --- batching across clients -------------------------------------------------------------------

def test_batched_jobs_equal_jobs_alone(installed) -> None:
    """One translate_many call for many requests gives each what it would get alone, errors included."""
    jobs = [TranslateJob((RU_TEXTS[0], RU_TEXTS[1]), "en", "auto"),
            TranslateJob(("Guten Morgen, wie geht es dir heute?",), "en", "auto"),  # German: no model
            TranslateJob((RU_TEXTS[2] + "\n\n" + EN_TEXT,), "en", "auto"),
            TranslateJob((RU_TEXTS[3],), "de", "ru"),
            TranslateJob((RU_TEXTS[3],), "de", "xx")]
    together = translate_jobs(jobs, clean=True)
    alone = [translate_jobs([job], clean=True)[0] for job in jobs]
    assert [type(o) for o in together] == [list, ModelNotFoundError, list, list, type(alone[4])]
    assert isinstance(alone[4], NormkitError)
    for a, b in zip(together, alone):
        if isinstance(a, Exception):
            assert str(a) == str(b)
        else:
            assert isinstance(b, list) and [r.to_dict() for r in a] == [r.to_dict() for r in b]


def _corpus() -> list[tuple[str, str, str]]:
    """200 distinct (text, source, target) requests across three routes and auto-detection."""
    towns = ["Кириши", "Тихвин", "Луга", "Выборг", "Гатчина"]
    requests = []
    for i in range(200):
        text = f"{RU_TEXTS[i % 4][:-1]}, сводка номер {i}, {towns[i % 5]}."
        source, target = [("ru", "en"), ("auto", "en"), ("ru", "de"), ("auto", "de")][i % 4]
        if i % 10 == 9:
            text, source, target = f"{EN_TEXT[:-1]}, report {i}.", "en", "ru"
        requests.append((text, source, target))
    return requests


def test_200_concurrent_clients_get_serial_results(installed) -> None:
    requests = _corpus()
    with running() as (url, service):
        lt = LibreTranslateAPI(url)
        serial = [lt.translate(text, source, target, timeout=60) for text, source, target in requests]
        batches_before = service.translations.batches
        assert batches_before == len(requests)  # one at a time: one batch each
        started = time.monotonic()
        with ThreadPoolExecutor(len(requests)) as pool:
            concurrent = list(pool.map(lambda r: LibreTranslateAPI(url).translate(*r, timeout=120), requests))
        elapsed = time.monotonic() - started
        batches = service.translations.batches - batches_before
    assert concurrent == serial  # every request answered, each exactly as when it came alone
    assert batches < len(requests) / 2, f"{batches} engine calls for {len(requests)} concurrent requests"
    assert all("б" in out or out == text for out, (text, _, _) in zip(serial, requests))
    print(f"200 concurrent requests in {elapsed:.2f} s, {batches} engine calls")


# --- the command ---------------------------------------------------------------------------------

def _start_cli(*args: str) -> tuple[subprocess.Popen[bytes], str]:
    proc = subprocess.Popen([sys.executable, "-c", "from normkit.cli import main; main()", "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    line = proc.stderr.readline().decode()
    assert "serving the LibreTranslate API on http://127.0.0.1:" in line, line
    return proc, line.split(" on ", 1)[1].split()[0] + "/"


def test_cli_serves_and_stops_on_ctrl_c(installed) -> None:
    proc, url = _start_cli("--port", "0", "--api-key", "k1")
    try:
        assert LibreTranslateAPI(url, api_key="k1").translate(RU_TEXTS[1], "ru", "en") == \
            translate(RU_TEXTS[1], "en", "ru").text
        port = int(url.rsplit(":", 1)[1].strip("/"))
        taken = subprocess.run([sys.executable, "-c", "from normkit.cli import main; main()", "serve",
                                "--port", str(port)], capture_output=True, timeout=60)
        assert taken.returncode == 2
        assert taken.stderr.decode().startswith(f"normkit: error: cannot listen on 127.0.0.1:{port}")
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, 130)
    assert b"Traceback" not in err
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


@pytest.mark.parametrize("args, message", [
    (["--api-keys", "no-such-keys.txt"], "cannot read the API key file"),
    (["--char-limit", "0"], "char-limit must be positive"),
    (["--host", "no.such.host.invalid"], "cannot bind to"),
])
def test_cli_bad_options_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", "from normkit.cli import main; main()", "serve", "--port", "0",
                             *args], capture_output=True, timeout=60, cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 2 and message in err and len(err.strip().splitlines()) == 1, err


# --- the parts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("doc", [
    "<p>Текст <i>курсивом</i> и&nbsp;пробел</p>", "a < b && c > d", "<!-- комментарий --> текст <br/> ещё",
    "<div title='одинарные > кавычки'>внутри</div>", "<p>не закрыт <a href=\"", "<STYLE>p{}</style>абзац",
    "", "   ", "&lt;script&gt;alert(1)&lt;/script&gt;",
])
def test_html_split_round_trips(doc: str) -> None:
    pieces = split_html(doc)
    joined = join_html(pieces, texts(pieces))
    assert html.unescape(joined) == html.unescape(doc)
    assert "<script>" not in joined or "<script>" in doc  # escaped text never turns into markup


def test_html_split_is_linear_on_hostile_input() -> None:
    for hostile in ['<a "' * 50_000, "<script>" * 30_000, "<" * 200_000, "<!--" * 50_000, "<a b='" * 40_000]:
        started = time.perf_counter()
        pieces = split_html(hostile)
        assert time.perf_counter() - started < 2.0
        assert "".join(p.text for p in pieces if not p.translatable) or texts(pieces)


def test_rate_limiter_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(max_clients=2, clock=lambda: now[0])
    assert [limiter.take("a", 3) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a", 3) == pytest.approx(20.0)  # 3 a minute: the next in 20 s
    now[0] += 20.0
    assert limiter.take("a", 3) == 0.0
    assert limiter.take("b", 0) == 0.0  # no limit
    limiter.take("b", 1), limiter.take("c", 1)  # a third client: the least recently seen is forgotten
    assert limiter.take("a", 3) == 0.0


def test_api_key_file_format() -> None:
    assert parse_api_keys(["# comment", "", "k1", "k2 30  # per minute"], "f") == {"k1": None, "k2": 30}
    with pytest.raises(NormkitError, match="f:1: the limit must be a whole number"):
        parse_api_keys(["k1 many"], "f")
    with pytest.raises(NormkitError, match="f:2: expected KEY or KEY LIMIT"):
        parse_api_keys(["k1", "k2 3 4"], "f")


def test_file_store_expires_and_evicts() -> None:
    now = [0.0]
    store = FileStore(max_bytes=10, keep_s=60, clock=lambda: now[0])
    first = store.put("../../etc/passwd", b"123456", "text/plain")
    assert first.endswith(".passwd") and "/" not in first and store.get(first).filename == "passwd"
    second = store.put("b.txt", b"789012", "text/plain")  # over 10 bytes: the oldest goes
    assert store.get(first) is None and store.get(second) is not None
    now[0] += 61
    assert store.get(second) is None
    assert safe_filename('a"b\r\n.txt') == "a_b.txt" and safe_filename("...") == "file"
    assert safe_filename("отчёт.2024.txt") == "2024.txt" and safe_filename("README") == "README"
