"""Issue 16, items 2, 3, 4 and 6: broken and closed pipes, broken model folders, zip bombs and
double installs, and the smaller cases (non-text codecs, BOM-less UTF-16, late NUL bytes, -o in an
unwritable directory, --jobs past the core count, messages naming what the user typed).

Most tests run the real ``normkit`` command in a subprocess, as a user meets it; the tiny Argos
packages come from tests/translate_helpers.py."""
from __future__ import annotations

import codecs
import json
import logging
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable

import pytest

from normkit import cli, textio
from normkit.errors import OutputError
from normkit.translation import models
from normkit.translation.errors import InvalidPackageError, PackageExistsError
from translate_helpers import argos_dir, no_network, tiny_models  # noqa: F401  (fixtures)

CLI = [sys.executable, "-c", "from normkit.cli import main; main()"]
# Written for these tests: a damaged token (Cyrillic К, и with Latin letters) and plain text around.
DAMAGED = "The road near the Кириshi plant was closed on Monday.\nNothing else changed.\n"
RUSSIAN = "Вчера в Киришах открыли новый мост через реку; жители довольны.\n"


def normkit(*args: str, stdin: bytes = b"", preexec: Callable[[], None] | None = None,
            stdout: int | None = None, stderr: int | None = None,
            cwd: Path | None = None) -> "subprocess.CompletedProcess[bytes]":
    """The console entry point; stdout/stderr captured unless a file descriptor is given."""
    return subprocess.run([*CLI, *args], input=stdin, timeout=300, preexec_fn=preexec, cwd=cwd,
                          stdout=subprocess.PIPE if stdout is None else stdout,
                          stderr=subprocess.PIPE if stderr is None else stderr)


def one_line_error(proc: "subprocess.CompletedProcess[bytes]", *fragments: str, code: int = 2) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == code, (proc.returncode, err)
    assert err.count("\n") == 1 and err.endswith("\n") and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def broken_pipe() -> int:
    """The write end of a pipe whose reader is gone: every write fails with EPIPE at once."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """An input file, and what ``normkit clean`` prints for it."""
    path = tmp_path_factory.mktemp("input") / "damaged.txt"
    path.write_text(DAMAGED * 3, encoding="utf-8")
    proc = normkit("clean", str(path))
    assert proc.returncode == 0 and b"Kirishi" in proc.stdout, proc.stderr
    return path, proc.stdout


# --- 2. pipes ------------------------------------------------------------------------------------

def test_broken_stderr_still_writes_output_and_report(damaged, tmp_path) -> None:
    source, expected = damaged
    out, report = tmp_path / "out.txt", tmp_path / "review.html"
    pipe = broken_pipe()
    try:
        proc = normkit("clean", str(source), "--explain", "-o", str(out), "--report", str(report), stderr=pipe)
    finally:
        os.close(pipe)
    assert proc.returncode == 0
    assert out.read_bytes() == expected
    page = report.read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>") and "Kirishi" in page


def test_broken_stderr_does_not_change_stdout_or_the_status(damaged) -> None:
    source, expected = damaged
    pipe = broken_pipe()
    try:
        proc = normkit("clean", str(source), "--explain", stderr=pipe)
        missing = normkit("clean", str(source) + ".missing", stderr=pipe)
    finally:
        os.close(pipe)
    assert (proc.returncode, proc.stdout) == (0, expected)
    assert (missing.returncode, missing.stdout) == (2, b"")  # the error could not be shown; the status says it


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is Linux's always-full device")
def test_stderr_on_a_full_disk_does_not_stop_the_work(damaged, tmp_path) -> None:
    source, expected = damaged
    out = tmp_path / "out.txt"
    with open("/dev/full", "w") as full:
        proc = normkit("clean", str(source), "--explain", "-o", str(out), stderr=full.fileno())
    assert proc.returncode == 0
    assert out.read_bytes() == expected


def test_explain_into_head_with_o_completes_the_file(damaged, tmp_path) -> None:
    """The case from the issue, through a real shell pipe: ``--explain 2>&1 | head -1``."""
    source, expected = damaged
    out = tmp_path / "out.txt"
    command = " ".join([*(f"'{a}'" for a in CLI), "clean", f"'{source}'", "--explain", "-o", f"'{out}'"])
    proc = subprocess.run(["bash", "-c", f"{command} 2>&1 | head -1; exit ${{PIPESTATUS[0]}}"],
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(b"\n") == 1
    assert out.read_bytes() == expected


def test_closed_stderr_keeps_messages_out_of_stdout_and_files(damaged, tmp_path) -> None:
    """``2>&-``: Python would print stderr's lines to stdout, and the -o temp file would take fd 2."""
    source, expected = damaged
    close_stderr = lambda: os.close(2)  # noqa: E731
    proc = normkit("clean", str(source), "--explain", preexec=close_stderr, stderr=subprocess.DEVNULL)
    assert (proc.returncode, proc.stdout) == (0, expected)
    out = tmp_path / "out.txt"
    proc = normkit("clean", str(source), "--explain", "-o", str(out), preexec=close_stderr,
                   stderr=subprocess.DEVNULL)
    assert (proc.returncode, proc.stdout) == (0, b"")
    assert out.read_bytes() == expected


def test_broken_stdout_is_a_failure(damaged) -> None:
    source, _ = damaged
    pipe = broken_pipe()
    try:
        proc = normkit("clean", str(source), stdout=pipe)
        listing = normkit("gazetteer", "info", stdout=pipe)
    finally:
        os.close(pipe)
    assert proc.returncode == cli.BROKEN_PIPE_EXIT and proc.stderr == b""
    assert listing.returncode == cli.BROKEN_PIPE_EXIT and b"Traceback" not in listing.stderr


def test_broken_stdout_leaves_the_o_file_untouched(damaged, tmp_path) -> None:
    """-o with --report - (the page on stdout): the page is lost, so -o is not replaced either."""
    source, _ = damaged
    out = tmp_path / "out.txt"
    out.write_text("before\n")
    pipe = broken_pipe()
    try:
        proc = normkit("clean", str(source), "-o", str(out), "--report", "-", stdout=pipe)
    finally:
        os.close(pipe)
    assert proc.returncode == cli.BROKEN_PIPE_EXIT and b"Traceback" not in proc.stderr
    assert out.read_text() == "before\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left


def test_closed_stdout_is_one_line(damaged, tmp_path) -> None:
    source, expected = damaged
    close_stdout = lambda: os.close(1)  # noqa: E731
    for args in (("clean", str(source)), ("--version",), ("gazetteer", "info")):
        proc = normkit(*args, preexec=close_stdout)
        one_line_error(proc, "stdout: it is closed")
    proc = normkit("clean", preexec=lambda: os.close(0))  # <&-: no input at all
    one_line_error(proc, "no FILE given and stdin is closed")
    out = tmp_path / "out.txt"  # stdout not needed: fine
    proc = normkit("clean", str(source), "-o", str(out), preexec=close_stdout)
    assert proc.returncode == 0 and proc.stderr == b""
    assert out.read_bytes() == expected


# --- 3. broken model folders -----------------------------------------------------------------------

def _break_folders(root: Path) -> dict[str, Path]:
    folders = {name: root / name for name in ("bad-json", "not-an-object", "no-metadata", "no-model",
                                              "fifo-metadata")}
    for folder in folders.values():
        folder.mkdir()
    os.mkfifo(folders["fifo-metadata"] / "metadata.json")  # reading it would block forever
    (folders["bad-json"] / "metadata.json").write_text('{"from_code": "ru", ')
    (folders["not-an-object"] / "metadata.json").write_text('["ru", "en"]')
    (folders["no-model"] / "metadata.json").write_text(json.dumps({"from_code": "de", "to_code": "en"}))
    (folders["no-model"] / "sentencepiece.model").write_bytes(b"x")
    return folders


@pytest.fixture
def broken_dir(tiny_models, argos_dir) -> tuple[Path, dict[str, Path]]:  # noqa: F811
    models.install_file(tiny_models["ru_en_swap"])
    return argos_dir, _break_folders(argos_dir)


def test_models_list_marks_broken_folders(broken_dir) -> None:
    root, broken = broken_dir
    proc = normkit("models", "list")
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert [line.split("\t")[:2] for line in lines if not line.startswith("#")] == [["ru", "en"]]
    marked = [line for line in lines if line.startswith("# broken")]
    assert len(marked) == len(broken)
    for folder in broken.values():
        assert any(str(folder) in line for line in marked), (folder, marked)
    assert any("not valid JSON" in line for line in marked)
    assert any("no metadata.json" in line for line in marked)
    assert any("model.bin" in line for line in marked)


def test_translate_skips_broken_folders_with_one_warning_each(broken_dir) -> None:
    root, broken = broken_dir
    proc = normkit("translate", "--from", "ru", "--to", "en", stdin="Жители ждут мост.\n".encode())
    err = proc.stderr.decode()
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert proc.stdout.decode() == "Жители ждут мост.\n".replace("а", "б")  # the swap model ran
    warnings = err.splitlines()
    assert len(warnings) == len(broken) and all(w.startswith("normkit: warning: skipping") for w in warnings)
    quiet = normkit("translate", "-q", "--from", "ru", "--to", "en", stdin="Мост.\n".encode())
    assert quiet.returncode == 0 and quiet.stderr == b""


def test_library_skips_broken_folders_and_warns_once(broken_dir, caplog) -> None:
    root, broken = broken_dir
    with caplog.at_level(logging.WARNING, logger="normkit.translation"):
        first = models.installed_packages()
        second = models.installed_packages()
    assert [(p.from_code, p.to_code) for p in first] == [("ru", "en")] == [(p.from_code, p.to_code) for p in second]
    assert len(caplog.records) == len(broken)  # once per folder, not per call
    good, bad = models.scan_packages()
    assert sorted(b.path.name for b in bad) == sorted(broken)


def test_server_answers_with_a_broken_folder_present(broken_dir) -> None:
    """A real server (uvicorn in a thread): /languages and /translate work, the folders skipped."""
    import threading
    import time
    import urllib.request

    from normkit.server import ServerConfig
    from normkit.server.run import make_server, url_of

    server, sock = make_server(ServerConfig(host="127.0.0.1", port=0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        url = url_of(sock)
        with urllib.request.urlopen(url + "/languages", timeout=60) as resp:
            assert resp.status == 200
            assert {lang["code"] for lang in json.loads(resp.read())} == {"ru", "en"}
        body = json.dumps({"q": "Жители ждут мост.", "source": "ru", "target": "en"}).encode()
        request = urllib.request.Request(url + "/translate", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as resp:
            assert json.loads(resp.read())["translatedText"] == "Жители ждут мост.".replace("а", "б")
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


# --- 4. installing: zip bombs and a pair installed twice ------------------------------------------

def _bomb(path: Path, source: Path, unpacked: int) -> Path:
    """The tiny package plus one member of ``unpacked`` zero bytes (it deflates about 1000:1)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        top = zin.namelist()[0].split("/")[0]
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        with zout.open(f"{top}/model/padding.bin", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(unpacked >> 20):
                member.write(block)
    return path


def test_a_zip_bomb_is_refused_before_unpacking(tiny_models, argos_dir, tmp_path) -> None:  # noqa: F811
    bomb = _bomb(tmp_path / "bomb.argosmodel", tiny_models["ru_en"], 64 << 20)
    assert bomb.stat().st_size < 1 << 20
    proc = normkit("models", "install", str(bomb))
    one_line_error(proc, "bomb.argosmodel", "decompression bomb", "not unpacked")
    assert list(argos_dir.iterdir()) == []


def test_a_member_larger_than_its_header_is_refused(tiny_models, argos_dir, tmp_path) -> None:  # noqa: F811
    """The header says 1 KB, the data inflates to 4 MB: refused while unpacking, nothing left."""
    bomb = tmp_path / "liar.argosmodel"
    shutil.copy(tiny_models["ru_en"], bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf:
        name = zf.namelist()[0].split("/")[0] + "/model/padding.bin"
        zf.writestr(name, bytes(4 << 20))
    data = bytearray(bomb.read_bytes())
    # The uncompressed size sits at byte 22 of the local header and byte 24 of the central one.
    real, lie = (4 << 20).to_bytes(4, "little"), (1 << 10).to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02")
    assert data[central + 46:central + 46 + len(name)] == name.encode() and data[central + 24:central + 28] == real
    local = int.from_bytes(data[central + 42:central + 46], "little")
    assert data[local + 22:local + 26] == real
    data[central + 24:central + 28] = data[local + 22:local + 26] = lie
    bomb.write_bytes(bytes(data))
    with zipfile.ZipFile(bomb) as zf:
        assert zf.getinfo(name).file_size == 1 << 10
    with pytest.raises(InvalidPackageError) as refused:
        models.install_file(bomb)
    assert "\n" not in str(refused.value) and "liar.argosmodel" in str(refused.value)
    assert list(argos_dir.iterdir()) == []


def test_too_many_members_are_refused(tiny_models, argos_dir, tmp_path) -> None:  # noqa: F811
    crowd = tmp_path / "crowd.argosmodel"
    shutil.copy(tiny_models["ru_en"], crowd)
    with zipfile.ZipFile(crowd, "a") as zf:
        top = zf.namelist()[0].split("/")[0]
        for i in range(models.MAX_PACKAGE_MEMBERS):
            zf.writestr(f"{top}/many/{i}", b"")
    one_line_error(normkit("models", "install", str(crowd)), "more than 10000")
    assert list(argos_dir.iterdir()) == []


def test_a_second_install_of_a_pair_needs_force(tiny_models, argos_dir, tmp_path) -> None:  # noqa: F811
    assert normkit("models", "install", str(tiny_models["ru_en_swap"])).returncode == 0
    (folder,) = argos_dir.iterdir()
    stray = folder / "stray.txt"
    stray.write_text("old")
    # The same pair from a package whose folder has another name: refused, named, nothing changed.
    renamed = tmp_path / "other-ru_en.argosmodel"
    with zipfile.ZipFile(tiny_models["ru_en"]) as zin, zipfile.ZipFile(renamed, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename.replace(folder.name, "other-ru_en", 1), zin.read(info))
    refused = normkit("models", "install", str(renamed))
    one_line_error(refused, "ru → en", "already installed", "--force")
    assert [p.name for p in argos_dir.iterdir()] == [folder.name] and stray.exists()
    again = normkit("models", "install", str(tiny_models["ru_en_swap"]))
    one_line_error(again, "--force")
    # --force: the new package replaces every installed ru → en folder.
    forced = normkit("models", "install", "--force", str(renamed))
    assert forced.returncode == 0, forced.stderr
    assert [p.name for p in argos_dir.iterdir()] == ["other-ru_en"]
    proc = normkit("translate", "--from", "ru", "--to", "en", stdin="Мост на реке.\n".encode())
    assert proc.stdout.decode() == "Мост на реке.\n"  # the exact copier now, not the swapper


def test_index_install_of_an_installed_pair_asks_for_force_offline(tiny_models, argos_dir, no_network) -> None:  # noqa: F811
    models.install_file(tiny_models["ru_en"])
    with pytest.raises(PackageExistsError, match="--force"):
        models.install_from_index("ru", "en", timeout=1)  # refused before any download (no_network)


# --- 6. smaller cases --------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib", "bz2"])
def test_non_text_codecs_are_one_line(damaged, codec) -> None:
    source, _ = damaged
    one_line_error(normkit("clean", str(source), "--encoding", codec), f"--encoding {codec}",
                   "not a text encoding")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_auto_detects_wide_encodings_without_a_mark(tmp_path, codec) -> None:
    text = (DAMAGED + RUSSIAN) * 2
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(text, encoding="utf-8")
    wide = tmp_path / "wide.txt"
    wide.write_bytes(text.encode(codec))
    assert not wide.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    proc = normkit("clean", str(wide), "--encoding", "auto", "--explain")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == normkit("clean", str(utf8)).stdout
    assert f"read as {codec} (detected)" in proc.stderr.decode()
    # Cyrillic only (no ASCII at all in UTF-16: no NUL bytes either way).
    cyrillic = tmp_path / "cyrillic.txt"
    cyrillic.write_bytes("Жители,довольны.Мост—новый.".encode(codec) * 5)
    proc = normkit("clean", str(cyrillic), "--encoding", "auto")
    assert proc.returncode == 0 and proc.stdout.decode() == "Жители,довольны.Мост—новый." * 5


def test_auto_still_tells_cp1251_utf8_and_binary_apart(tmp_path) -> None:
    cp1251 = tmp_path / "cp1251.txt"
    cp1251.write_bytes((RUSSIAN * 4).encode("cp1251"))
    proc = normkit("clean", str(cp1251), "--encoding", "auto")
    assert proc.returncode == 0 and proc.stdout.decode() == RUSSIAN * 4
    binary = tmp_path / "data.bin"
    binary.write_bytes(bytes(range(256)) * 8 + b"\x00" * 512)
    one_line_error(normkit("clean", str(binary), "--encoding", "auto"), "looks like binary data")
    zeros = tmp_path / "zeros.bin"  # a zero-filled file is not UTF-16 either
    zeros.write_bytes(b"\x00" * 4096)
    one_line_error(normkit("clean", str(zeros), "--encoding", "auto"), "looks like binary data")


@pytest.mark.parametrize("at", [0, 70_000, 200_001])
def test_a_nul_byte_anywhere_is_refused_the_same_way(tmp_path, at) -> None:
    body = bytearray(("Plain English text. " * 12_000).encode())
    body[at:at + 1] = b"\x00"
    path = tmp_path / "in.txt"
    path.write_bytes(bytes(body))
    out = tmp_path / "out.txt"
    out.write_text("kept\n")
    proc = normkit("clean", str(path), "-o", str(out))
    one_line_error(proc, f"looks like binary data (NUL byte at offset {at}), not text")
    assert out.read_text() == "kept\n"
    assert one_line_error(normkit("detect", str(path)), f"offset {at})")


def _unprivileged(args: list[str]) -> list[str]:
    """As root, permissions are not enforced: drop the capabilities that bypass them (setpriv)."""
    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root: setpriv (util-linux) is needed to test permissions"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *args]


def test_o_replaces_a_writable_file_in_an_unwritable_directory(damaged, tmp_path) -> None:
    source, expected = damaged
    locked = tmp_path / "locked"
    locked.mkdir()
    target = locked / "out.txt"
    target.write_text("old content, longer than nothing\n" * 100)
    os.chmod(target, 0o640)
    inode = target.stat().st_ino
    os.chmod(locked, 0o555)
    try:
        proc = subprocess.run(_unprivileged([*CLI, "clean", str(source), "-o", str(target)]),
                              capture_output=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert target.read_bytes() == expected
        info = target.stat()
        assert (info.st_ino, stat.S_IMODE(info.st_mode)) == (inode, 0o640)  # same file, mode kept
        assert sorted(p.name for p in locked.iterdir()) == ["out.txt"]
        # A file that is not writable there is still refused in one line, and kept.
        os.chmod(target, 0o440)
        proc = subprocess.run(_unprivileged([*CLI, "clean", str(source), "-o", str(target)]),
                              capture_output=True, timeout=300)
        one_line_error(proc, "out.txt", "cannot write")
        # A new file cannot be made there at all.
        proc = subprocess.run(_unprivileged([*CLI, "clean", str(source), "-o", str(locked / "new.txt")]),
                              capture_output=True, timeout=300)
        one_line_error(proc, "new.txt", "cannot write")
    finally:
        os.chmod(locked, 0o755)


def _refuse_temp_beside(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    real = textio.tempfile.mkstemp

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        if Path(str(kwargs.get("dir"))) == directory:
            raise PermissionError(13, "Permission denied")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(textio.tempfile, "mkstemp", mkstemp)


def test_in_place_write_that_fails_restores_the_old_content(tmp_path, monkeypatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("the old content\n")
    _refuse_temp_beside(monkeypatch, tmp_path)
    real_copy = textio._copy_fd
    calls = []

    def failing_copy(source: int, dest: int, *, close_source: bool = True) -> None:
        calls.append(dest)
        if len(calls) == 2:  # the new content over the target: half written, then the disk is full
            os.write(dest, b"HALF")
            raise OSError(28, "No space left on device")
        real_copy(source, dest, close_source=close_source)

    monkeypatch.setattr(textio, "_copy_fd", failing_copy)
    with pytest.raises(OutputError, match="existing file is unchanged"):
        with textio.open_output(str(target)) as out:
            out.write("the new content, which is longer\n")
    assert target.read_text() == "the old content\n"
    assert not list(Path(textio.tempfile.gettempdir()).glob("normkit-saved-*"))


def test_in_place_write_says_where_the_old_content_is_when_restoring_fails(tmp_path, monkeypatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("the old content\n")
    _refuse_temp_beside(monkeypatch, tmp_path)
    real_copy = textio._copy_fd
    calls = []

    def failing_copy(source: int, dest: int, *, close_source: bool = True) -> None:
        calls.append(dest)
        if len(calls) >= 2:
            os.write(dest, b"HALF")
            if close_source:
                os.close(source)
            raise OSError(5, "Input/output error")
        real_copy(source, dest, close_source=close_source)

    monkeypatch.setattr(textio, "_copy_fd", failing_copy)
    with pytest.raises(OutputError) as failed:
        with textio.open_output(str(target)) as out:
            out.write("new\n")
    message = str(failed.value)
    assert "previous content is saved in " in message
    saved = Path(message.rsplit("saved in ", 1)[1])
    assert saved.read_text() == "the old content\n"
    saved.unlink()


def test_jobs_past_the_cores_is_capped_with_a_note(damaged, monkeypatch, capsys) -> None:
    import normkit.parallel as parallel

    source, expected = damaged
    monkeypatch.setattr(parallel, "available_cores", lambda: 1)
    assert cli.run(["clean", str(source), "--jobs", "8"]) == 0
    captured = capsys.readouterr()
    assert captured.out.encode() == expected
    assert "--jobs 8: 1 cores available here; using 1 worker processes" in captured.err
    assert cli.run(["clean", str(source), "--jobs", "8", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_unknown_options_are_named() -> None:
    one_line_error(normkit("--bogus"), "unrecognized arguments: --bogus")
    one_line_error(normkit("--bogus=3", "-q"), "unrecognized arguments: --bogus=3")
    one_line_error(normkit("models", "--bogus"), "normkit models: error: unrecognized arguments: --bogus")
    one_line_error(normkit("-q"), "required: COMMAND")  # nothing unknown: the real complaint stays


@pytest.mark.parametrize("flag, value, expected", [
    ("--max-body", "-5", "--max-body must be positive, not -5"),
    ("--max-body", "0", "--max-body must be positive, not 0"),
    ("--char-limit", "0", "--char-limit must be positive"),
    ("--batch-limit", "-2", "--batch-limit must be positive"),
    ("--timeout", "nan", "--timeout must be a positive number of seconds, not nan"),
    ("--timeout", "-1", "--timeout must be a positive number"),
    ("--port", "70000", "--port must be between 0 and 65535"),
    ("--req-limit", "-1", "--req-limit must be 0 (no limit) or positive"),
])
def test_serve_limits_name_the_flag_typed(flag, value, expected) -> None:
    err = one_line_error(normkit("serve", flag, value), "normkit serve: error: " + expected)
    assert "bytes" not in err


def test_report_onto_the_input_names_report(damaged, tmp_path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(DAMAGED)
    link = tmp_path / "link.html"
    link.symlink_to(source)
    for report in (str(source), str(link)):
        err = one_line_error(normkit("clean", str(source), "--report", report), "--report")
        assert "another -o" not in err and "choose another --report file" in err
    with source.open("rb") as stdin:  # stdin reads the file the report would replace
        proc = subprocess.run([*CLI, "clean", "--report", str(source)], stdin=stdin, capture_output=True,
                              timeout=300)
    one_line_error(proc, "--report", "stdin reads this file")
    assert source.read_text() == DAMAGED
