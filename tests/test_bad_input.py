"""Everything a user can throw at the real ``normkit`` command, run in a subprocess: usage errors,
outputs that must not be damaged, signals, encodings, line ends, long lines, and bad models and
gazetteer files. Each failure must be one line on stderr (no traceback), exit code 2, the files
there before untouched (content, mode, kind), and no temp file left behind."""
from __future__ import annotations

import codecs
import gzip
import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable, Iterator

import pytest

import normkit
from translate_helpers import argos_dir, tiny_models  # noqa: F401

CLI = [sys.executable, "-c", "from normkit.cli import main; main()"]
# Russian and English written for these tests; the damaged tokens use Latin look-alikes.
RUSSIAN = ("Вчера вечером в небольшом городе на севере области прошёл сильный дождь.\n"
           "Жители говорят, что такой погоды не было уже много лет.\n")
DAMAGED = "Near the Кириshi plant, the road was closed.\n"
REPAIRED = "Near the Kirishi plant, the road was closed.\n"


def cli(*args: str, stdin: bytes | IO[bytes] | None = None, timeout: float = 300,
        preexec: Callable[[], None] | None = None, env: dict[str, str] | None = None,
        ) -> "subprocess.CompletedProcess[bytes]":
    if stdin is None or isinstance(stdin, bytes):
        return subprocess.run([*CLI, *args], input=stdin if stdin is not None else b"", capture_output=True,
                              timeout=timeout, preexec_fn=preexec, env=env)
    return subprocess.run([*CLI, *args], stdin=stdin, capture_output=True, timeout=timeout,
                          preexec_fn=preexec, env=env)


def one_line_error(proc: "subprocess.CompletedProcess[bytes]", *fragments: str) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == 2, (proc.returncode, err)
    assert err.endswith("\n") and err.count("\n") == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "in.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    return path


# ---------------------------------------------------------------- usage

@pytest.mark.parametrize("args, fragments", [
    ([], ["required: COMMAND"]),
    (["bogus"], ["invalid choice: 'bogus'", "clean"]),
    (["clean", "--format", "xml", "x.txt"], ["--format", "'xml'", "jsonl"]),
    (["clean", "--target-script", "greek", "x.txt"], ["'greek'", "'latin', 'cyrillic'"]),
    (["clean", "--min-confidence", "lots", "x.txt"], ["--min-confidence", "not a number"]),
    (["detect", "--no-such-option"], ["unrecognized arguments: --no-such-option"]),
    (["models"], ["required: ACTION"]),
    (["gazetteer", "import"], ["required: FILE"]),
    (["translate", "--errors", "ignore", "-"], ["--errors"]),
])
def test_usage_errors_are_one_line_and_exit_2(args: list[str], fragments: list[str]) -> None:
    err = one_line_error(cli(*args), *fragments)
    assert err.startswith("normkit") and "--help" in err


def test_no_file_with_stdin_a_terminal_is_a_usage_error() -> None:
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.run([*CLI, "clean"], stdin=slave, capture_output=True, timeout=120)
    finally:
        os.close(master)
        os.close(slave)
    one_line_error(proc, "no FILE given and stdin is a terminal")


@pytest.mark.parametrize("path", [[], ["clean"], ["detect"], ["translate"], ["models"], ["models", "install"],
                                  ["models", "list"], ["gazetteer"], ["gazetteer", "import"],
                                  ["gazetteer", "lookup"], ["gazetteer", "check"], ["gazetteer", "info"]])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_everywhere(path: list[str], flag: str) -> None:
    proc = cli(*path, flag)
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout.decode().startswith("usage: normkit" + "".join(f" {p}" for p in path))


def test_version() -> None:
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.decode() == f"normkit {normkit.__version__}\n"


def test_stdin_as_dash_or_no_file() -> None:
    for args in (["clean", "-"], ["clean"]):
        proc = cli(*args, stdin=DAMAGED.encode())
        assert proc.returncode == 0 and proc.stdout.decode() == REPAIRED


def test_quiet_silences_notes_not_errors(src: Path) -> None:
    loud = cli("clean", str(src), "--explain", "--encoding", "auto")
    assert "read as utf-8" in loud.stderr.decode() and "'Кириshi' -> 'Kirishi'" in loud.stderr.decode()
    for args in (["-q", "clean", str(src), "--explain"], ["clean", str(src), "--explain", "--quiet"]):
        proc = cli(*args)
        assert proc.returncode == 0 and proc.stderr == b"" and proc.stdout.decode() == REPAIRED
    one_line_error(cli("-q", "clean", str(src.parent / "missing.txt")), "no such file")


# ---------------------------------------------------------------- outputs that must not be damaged

def test_output_to_a_character_device_writes_through(src: Path, tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        pytest.skip("making a device node needs root")
    proc = cli("clean", str(src), "-o", str(node))
    assert proc.returncode == 0, proc.stderr
    info = node.lstat()
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
    assert temp_files(tmp_path) == []


def test_output_to_a_fifo_writes_through(src: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    proc = cli("clean", str(src), "-o", str(fifo))
    reader.join(timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert received == [REPAIRED.encode()] and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert temp_files(tmp_path) == []


def test_output_to_a_socket_is_refused(src: Path, tmp_path: Path) -> None:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        one_line_error(cli("clean", str(src), "-o", str(path)), "refusing to write")
        assert stat.S_ISSOCK(path.lstat().st_mode)
    finally:
        server.close()


def test_output_through_a_symlink_replaces_its_target(src: Path, tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(Path("real") / "out.txt")  # relative, as users make them
    proc = cli("clean", str(src), "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "out.txt")
    assert target.read_text(encoding="utf-8") == REPAIRED
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert temp_files(tmp_path) == [] and temp_files(real_dir) == []


def test_output_keeps_mode_and_owner_of_the_file_it_replaces(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o604)
    owner = None
    if os.geteuid() == 0:
        owner = (54321, 54322)
        os.chown(out, *owner)
    proc = cli("clean", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    info = out.stat()
    assert out.read_text(encoding="utf-8") == REPAIRED and stat.S_IMODE(info.st_mode) == 0o604
    if owner is not None:
        assert (info.st_uid, info.st_gid) == owner


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_output_gets_the_umask_mode(src: Path, tmp_path: Path, umask: int, mode: int) -> None:
    out = tmp_path / "new.txt"
    def set_umask() -> None:
        os.umask(umask)

    proc = cli("clean", str(src), "-o", str(out), preexec=set_umask)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_output_naming_a_directory(src: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    one_line_error(cli("clean", str(src), "-o", str(folder)), "is a directory")
    assert list(folder.iterdir()) == []


@contextmanager
def tmpfs(directory: Path, size: str) -> Iterator[Path]:
    """A small tmpfs mounted at ``directory`` (root only); the test is skipped where mounting is not
    permitted (not root, or a container without the capability)."""
    directory.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], capture_output=True)


def test_output_into_a_read_only_directory(src: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "1m") as folder:
        existing = folder / "out.txt"
        existing.write_text("old\n", encoding="utf-8")
        remount = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
        if remount.returncode != 0:
            pytest.skip(f"cannot remount read-only: {remount.stderr.strip()}")
        one_line_error(cli("clean", str(src), "-o", str(existing)), str(existing), "cannot write")
        one_line_error(cli("clean", str(src), "-o", str(folder / "new.txt")), "cannot write")
        assert existing.read_text(encoding="utf-8") == "old\n"
        assert sorted(p.name for p in folder.iterdir()) == ["out.txt"]


def test_full_disk_leaves_the_existing_file_and_no_temp_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(REPAIRED * 40_000, encoding="utf-8")  # ~1.8 MB into a 1 MB file system
    with tmpfs(tmp_path / "small", "1m") as folder:
        existing = folder / "out.txt"
        existing.write_text("old\n", encoding="utf-8")
        err = one_line_error(cli("clean", str(big), "-o", str(existing)), "No space left on device")
        assert "unchanged" in err
        assert existing.read_text(encoding="utf-8") == "old\n" and temp_files(folder) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_run_removes_the_temp_file(tmp_path: Path, signum: int) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    proc = subprocess.Popen([*CLI, "clean", "-", "-o", str(out)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        proc.stdin.write((REPAIRED * 2000).encode())  # then keep stdin open: the run is mid-way
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        while not temp_files(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert temp_files(tmp_path), "the run never opened its temp file"
        proc.send_signal(signum)
        proc.wait(timeout=60)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signum
    assert temp_files(tmp_path) == [] and out.read_text(encoding="utf-8") == "old\n"


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue  # gone while we looked
    return found


def command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_with_jobs_leaves_no_worker_and_no_temp_file(tmp_path: Path, signum: int) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    proc = subprocess.Popen([*CLI, "clean", "--jobs", "2", "-", "-o", str(out)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        proc.stdin.write((REPAIRED * 120_000).encode())  # ~5 MB, many chunks: the pool starts
        proc.stdin.flush()
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = [pid for pid in children(proc.pid) if b"spawn_main" in command_line(pid)]
            time.sleep(0.1)
        assert len(workers) == 2, "the worker pool never started"
        proc.send_signal(signum)
        proc.wait(timeout=60)
        _, err = proc.communicate()
    finally:
        proc.kill()
    assert proc.returncode == (-signum if signum != signal.SIGINT else 130)
    assert len(err.decode().strip().splitlines()) <= 1, err.decode()  # no traceback, no leak warning
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
    assert temp_files(tmp_path) == [] and out.read_text(encoding="utf-8") == "old\n"


def test_output_that_is_the_file_stdin_reads_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    link = tmp_path / "alias.txt"
    link.symlink_to(path)
    for target in (path, link):
        with path.open("rb") as stdin:
            one_line_error(cli("clean", "-o", str(target), stdin=stdin), "stdin reads this file")
        with path.open("rb") as stdin:
            one_line_error(cli("clean", "-", "-o", str(target), stdin=stdin), "refusing to overwrite")
    assert path.read_text(encoding="utf-8") == DAMAGED and link.is_symlink()


def test_invalid_utf8_late_in_a_large_input(tmp_path: Path) -> None:
    good = ("The road north of the plant was closed for repairs today.\n" * 80_000).encode()  # ~4.6 MB
    offset = 4 << 20
    path = tmp_path / "late.txt"
    path.write_bytes(good[:offset] + b"\xff" + good[offset:])
    proc = cli("clean", str(path))
    one_line_error(proc, f"invalid UTF-8 at byte {offset}", "already written to stdout")
    assert 0 < len(proc.stdout) <= offset  # the part before the bad byte, cleaned
    out = tmp_path / "out.txt"
    one_line_error(cli("clean", str(path), "-o", str(out)), f"byte {offset}")
    assert not out.exists() and temp_files(tmp_path) == []


# ---------------------------------------------------------------- input the world sends

@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-16"])
def test_russian_in_legacy_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(RUSSIAN.encode(encoding))  # "utf-16" writes a byte-order mark
    proc = cli("clean", str(path), "--encoding", "auto", "--explain")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == RUSSIAN  # output is always UTF-8
    assert f"read as {codecs.lookup(encoding).name} (detected)" in proc.stderr.decode()
    named = cli("clean", str(path), "--encoding", encoding)
    assert named.returncode == 0 and named.stdout.decode("utf-8") == RUSSIAN
    default = cli("clean", str(path))
    if encoding == "utf-16":  # the byte-order mark says so: no option needed
        assert default.returncode == 0 and default.stdout.decode("utf-8") == RUSSIAN
    else:
        one_line_error(default, "invalid UTF-8 at byte 0", "--encoding auto")


def test_output_is_utf8_whatever_the_locale_says() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}
    proc = cli("clean", "-", stdin=RUSSIAN.encode(), env=env)
    assert proc.returncode == 0 and proc.stdout.decode("utf-8") == RUSSIAN


def test_unknown_encoding_is_one_line(src: Path) -> None:
    one_line_error(cli("clean", str(src), "--encoding", "klingon-8"), "unknown encoding 'klingon-8'")


FOUR_LINES = ("Первая строка\x0cс переводом страницы, и Москвa.\n"
              "Second\u2028line with a line separator.\r\n"
              "Third\x85line with NEL, \x1c\x1d\x1e and\x0bvertical tab.\r"
              "Fourth \u2029 line: Кириshi is here.\n")


def test_lines_end_only_at_newline_and_carriage_return(tmp_path: Path) -> None:
    path = tmp_path / "four.txt"
    path.write_bytes(FOUR_LINES.encode("utf-8"))
    rows = [json.loads(line) for line in cli("clean", str(path), "--format", "jsonl").stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["text"] == "Первая строка\x0cс переводом страницы, и Москва."
    assert rows[1]["text"] == "Second\u2028line with a line separator."
    assert rows[3]["edits"][0]["start"] == len("Fourth \u2029 line: ")
    found = cli("detect", str(path)).stdout.decode().splitlines()
    assert [line.split("\t")[0] for line in found] == [f"1:{len('Первая строка.с переводом страницы, и ') + 1}",
                                                         f"4:{len('Fourth . line: ') + 1}"]
    per_line = [json.loads(x) for x in cli("detect", str(path), "--format", "jsonl").stdout.splitlines()]
    assert [r["line"] for r in per_line] == [1, 2, 3, 4]
    text = cli("clean", str(path)).stdout.decode("utf-8")
    assert text == FOUR_LINES.replace("Москвa", "Москва").replace("Кириshi", "Kirishi")


def test_a_long_single_line_is_cleaned_in_pieces_with_whole_input_offsets(tmp_path: Path) -> None:
    filler = "The plant north of the city was quiet that week. " * 60_000  # ~3 MB, no line break
    text = "Near Кириshi, " + filler + "and then Кириshi again at the end"
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    whole = json.loads(cli("clean", str(path), "--format", "json").stdout)
    assert [text[e["start"]:e["end"]] for e in whole["edits"]] == ["Кириshi", "Кириshi"]
    assert whole["edits"][1]["start"] == text.rindex("Кириshi") > 2_900_000
    assert whole["text"] == text.replace("Кириshi", "Kirishi")
    rows = [json.loads(x) for x in cli("clean", str(path), "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["line"] == 1 and rows[0]["text"] == whole["text"]
    assert [e["start"] for e in rows[0]["edits"]] == [e["start"] for e in whole["edits"]]
    found = cli("detect", str(path)).stdout.decode().splitlines()
    assert [f.split("\t")[0] for f in found] == ["1:6", f"1:{text.rindex('Кириshi') + 1}"]


def _peak_rss_mib(*args: str) -> tuple["subprocess.CompletedProcess[bytes]", float]:
    """Run the CLI; its own peak RSS (VmHWM: ru_maxrss would carry the parent's over exec)."""
    code = ("import atexit, sys; atexit.register(lambda: sys.stderr.write('peak=' + [line.split()[1] "
            "for line in open('/proc/self/status') if line.startswith('VmHWM')][0] + '\\n')); "
            "from normkit.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=900)
    err = proc.stderr.decode()
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout,
                                       err.rsplit("peak=", 1)[0].encode()), int(err.rsplit("peak=", 1)[1]) / 1024


def test_a_huge_single_line_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    sentence = "Officials said the bridge near Kirishi would reopen after repairs. "
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(30 << 20 // len(sentence)):  # ~30 MB in one line
            handle.write(sentence)
    out = tmp_path / "out.txt"
    proc, peak = _peak_rss_mib("clean", str(path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size == path.stat().st_size
    assert peak < 300, f"peak RSS {peak:.0f} MiB for a 30 MB line"


def test_the_api_says_a_str_is_needed() -> None:
    for bad in (None, "Москвa".encode(), 42):
        with pytest.raises(TypeError, match="needs the text as a str"):
            normkit.clean(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="needs the text as a str"):
            normkit.detect(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="needs the text as a str"):
            normkit.Normalizer().clean(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a single str"):
        next(normkit.translate_many("Москва"))


# ---------------------------------------------------------------- translation

def test_translation_without_the_extra_names_the_install_command(src: Path) -> None:
    hide = ("import sys; sys.modules['argostranslate'] = None; sys.modules['lingua'] = None; "
            "from normkit.cli import main; main()")
    for args in (["translate", str(src)], ["models", "list"]):
        proc = subprocess.run([sys.executable, "-c", hide, *args], capture_output=True, timeout=120)
        one_line_error(proc, 'pip install "normkit[translate]"', "argostranslate")


def test_translate_to_a_language_no_model_reaches(src: Path, argos_dir: Path) -> None:
    english = src.parent / "english.txt"
    english.write_text("The mayor said the bridge would reopen next week.\n", encoding="utf-8")
    for target in ("de", "fr"):
        proc = cli("translate", str(english), "--to", target)
        one_line_error(proc, f"normkit models install --from en --to {target}")
        assert proc.stdout == b""


def _zeroed_model(package: Path, out: Path) -> Path:
    """A copy of ``package`` whose model.bin is all zero bytes."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, b"\0" * len(data) if info.filename.endswith("model/model.bin") else data)
    return out


def test_a_model_that_does_not_load_is_refused_at_install(tiny_models: dict[str, Path], argos_dir: Path,
                                                          tmp_path: Path) -> None:
    broken = _zeroed_model(tiny_models["ru_en"], tmp_path / "broken.argosmodel")
    one_line_error(cli("models", "install", str(broken)), "broken.argosmodel", "does not load", "not installed")
    assert list(argos_dir.iterdir()) == []  # nothing half-installed


def test_a_model_damaged_after_install_is_one_line_at_translate_time(tiny_models: dict[str, Path],
                                                                     argos_dir: Path, tmp_path: Path) -> None:
    assert cli("models", "install", str(tiny_models["ru_en"])).returncode == 0
    [package] = [p for p in argos_dir.iterdir() if p.is_dir()]
    model = package / "model" / "model.bin"
    model.write_bytes(b"\0" * model.stat().st_size)
    russian = tmp_path / "ru.txt"
    russian.write_text("Мама мыла раму.\n", encoding="utf-8")
    one_line_error(cli("translate", str(russian), "--no-clean"), "ru → en model", str(package), "does not load")


# ---------------------------------------------------------------- gazetteer imports

def test_a_zip_bomb_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "RU.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("RU.txt", "w") as member:
        for _ in range(64):
            member.write(b"\0" * (1 << 20))  # 64 MiB of zeros in ~64 KB
    proc, peak = _peak_rss_mib("gazetteer", "import", str(bomb))
    one_line_error(proc, "decompression bomb", "refusing to import it")
    assert peak < 200, f"peak RSS {peak:.0f} MiB"


def test_a_gzip_bomb_and_a_file_without_line_breaks(tmp_path: Path) -> None:
    bomb = tmp_path / "RU.txt.gz"
    with gzip.open(bomb, "wb") as handle:
        for _ in range(64):
            handle.write(b"\t" * (1 << 20))
    one_line_error(cli("gazetteer", "import", "--kind", "geonames", str(bomb)), str(bomb))
    flat = tmp_path / "flat.txt"
    flat.write_bytes(b"x" * (3 << 20))
    one_line_error(cli("gazetteer", "import", "--kind", "geonames", str(flat)), "not a GeoNames file")


def _postal_file(tmp_path: Path) -> Path:
    path = tmp_path / "postal.csv"
    path.write_text("country_code,zipcode,place,state,state_code,province,province_code,community,"
                    "community_code,latitude,longitude\n"
                    "RU,187110,Пчевжица,Ленинградская область,42,Киришский район,,,,59.2,32.3\n", encoding="utf-8")
    return path


def test_a_second_import_waits_for_the_first(tmp_path: Path) -> None:
    store_file = Path(os.environ["NORMKIT_DATA_DIR"]) / "gazetteer.sqlite3"
    postal = _postal_file(tmp_path)
    assert cli("gazetteer", "import", str(postal)).returncode == 0  # the store exists
    holder = sqlite3.connect(store_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another import is writing
    try:
        env = {**os.environ, "NORMKIT_STORE_TIMEOUT": "1"}
        one_line_error(cli("gazetteer", "import", str(postal), env=env), "busy", "try again")
        waiting = subprocess.Popen([*CLI, "gazetteer", "import", str(postal)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        time.sleep(2)
        assert waiting.poll() is None  # still waiting, not failed
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert out.decode().startswith("imported ")


def test_translate_jsonl_follows_the_files_real_lines(tiny_models: dict[str, Path], argos_dir: Path,
                                                      tmp_path: Path) -> None:
    assert cli("models", "install", str(tiny_models["ru_en"])).returncode == 0
    path = tmp_path / "ru.txt"
    path.write_bytes("Мама мыла раму.\x0cПапа читал.\nВот\u2028и всё.\r\nЕщё\x85строка.\rКонец.\n".encode())
    proc = cli("translate", str(path), "--format", "jsonl", "--no-clean")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["text"].startswith("Мама мыла раму.")  # the copy model writes its input back
