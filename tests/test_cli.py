"""The normkit command as a user runs it: files and stdin, formats, and one-line errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED, run_cli


def test_clean_seed_fixes_kirishi_and_keeps_the_rest(tmp_path: Path) -> None:
    proc = run_cli("clean", str(SEED))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    original = SEED.read_text(encoding="utf-8")
    assert "Кириshi" in original and "Кириshi" not in out
    assert out == original.replace("Кириshi", "Kirishi") or "Kirishi industrial zone" in out
    assert "“" in out and "’" in out  # typography is left alone


def test_clean_stdin_to_stdout_and_explain() -> None:
    proc = run_cli("clean", "-", "--explain", stdin="Вчера в Москвa прошёл дождь, сказали синоптики.\n".encode())
    assert proc.returncode == 0
    assert proc.stdout.decode() == "Вчера в Москва прошёл дождь, сказали синоптики.\n"
    assert "'Москвa' -> 'Москва'" in proc.stderr.decode()


def test_json_offsets_index_the_whole_input() -> None:
    text = "First paragraph is plain.\n\nNear the Кириshi plant, drones fell.\n"
    proc = run_cli("clean", "-", "--format", "json", stdin=text.encode())
    data = json.loads(proc.stdout)
    [edit] = data["edits"]
    assert text[edit["start"]:edit["end"]] == "Кириshi" and edit["after"] == "Kirishi"
    assert data["text"] == text.replace("Кириshi", "Kirishi")


def test_jsonl_is_one_object_per_input_line() -> None:
    text = "plain line\nNear the Кириshi plant, drones fell.\n\nВ Москвa дождь идёт весь день.\n"
    proc = run_cli("clean", "-", "--format", "jsonl", stdin=text.encode())
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["edits"] == [] and rows[1]["edits"][0]["after"] == "Kirishi"
    assert rows[3]["text"] == "В Москва дождь идёт весь день."


def test_detect_formats() -> None:
    text = "Near the Кириshi plant.\nSMSки и IT-компания.\n".encode()
    plain = run_cli("detect", "-", stdin=text).stdout.decode().splitlines()
    assert plain[0].startswith("1:10\tКириshi\tmixed_script\tKirishi")
    assert plain[1].startswith("2:1\tSMSки\tlegitimate\t-")
    rows = [json.loads(x) for x in run_cli("detect", "-", "--format", "jsonl", stdin=text).stdout.splitlines()]
    assert rows[0]["findings"][0]["scripts"] == {"Latin": 3, "Cyrillic": 4}
    whole = json.loads(run_cli("detect", "-", "--format", "json", stdin=text).stdout)
    assert [f["token"] for f in whole["findings"]] == ["Кириshi", "SMSки"]
    assert whole["findings"][1]["start"] == len("Near the Кириshi plant.\n")


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like binary data"),
    (b"caf\xe9 au lait\n", "invalid UTF-8 at byte 3"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    out = tmp_path / "out.txt"
    proc = run_cli("clean", str(path), "-o", str(out))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == [path]  # no partial output left


def test_invalid_utf8_can_be_replaced(tmp_path: Path) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(b"caf\xe9 au lait\n")
    proc = run_cli("clean", str(path), "--errors", "replace")
    assert proc.returncode == 0 and proc.stdout.decode() == "caf\ufffd au lait\n"


def test_missing_file_and_empty_file(tmp_path: Path) -> None:
    proc = run_cli("clean", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and b"no such file" in proc.stderr and b"Traceback" not in proc.stderr
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = run_cli("clean", str(empty))
    assert proc.returncode == 0 and proc.stdout == b""
    assert json.loads(run_cli("clean", str(empty), "--format", "json").stdout)["text"] == ""


def test_output_is_atomic_and_never_the_input(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Near the Кириshi plant.\n", encoding="utf-8")
    proc = run_cli("clean", str(path), "-o", str(path))
    assert proc.returncode == 2 and b"refusing to overwrite the input" in proc.stderr
    assert path.read_text(encoding="utf-8") == "Near the Кириshi plant.\n"
    out = tmp_path / "out.txt"
    out.write_text("old", encoding="utf-8")
    assert run_cli("clean", str(path), "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == "Near the Kirishi plant.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.txt"]


def test_help_has_an_example_for_every_command() -> None:
    for command in ("clean", "detect"):
        proc = run_cli(command, "--help")
        assert proc.returncode == 0 and b"Example: normkit " + command.encode() in proc.stdout


def _peak_rss_kib(*args: str) -> tuple[subprocess.CompletedProcess, int]:
    """Run the CLI and return its own peak RSS (not that of earlier children)."""
    code = ("import atexit, resource, sys; atexit.register(lambda: sys.stderr.write("
            "'maxrss=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)); "
            "from normkit.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=600)
    return proc, int(proc.stderr.decode().rsplit("maxrss=", 1)[1])


def test_huge_file_streams_in_constant_memory(tmp_path: Path) -> None:
    line = "The governor said drones fell near the plant in the north of the region today.\n"
    damaged = "Near the Кириshi plant, drones fell today.\n"
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(line * 100 + damaged, encoding="utf-8")
    with big.open("w", encoding="utf-8") as handle:
        for i in range(500_000):  # ~40 MB, one damaged token per 1000 lines
            handle.write(line if i % 1000 else damaged)
    _, baseline_kib = _peak_rss_kib("clean", str(small), "-o", str(tmp_path / "small.out"))
    proc, peak_kib = _peak_rss_kib("clean", str(big), "-o", str(tmp_path / "big.out"))
    assert proc.returncode == 0, proc.stderr
    # 500 repairs, each "Кири" (8 bytes) -> "Kiri" (4 bytes); nothing else changes
    assert (tmp_path / "big.out").stat().st_size == big.stat().st_size - 500 * 4
    assert peak_kib - baseline_kib < 60 * 1024, f"{peak_kib - baseline_kib} KiB more for 40 MB than for 8 KB"


@pytest.mark.parametrize("module", ["normkit", "normkit.cli"])
def test_runs_as_a_module(module: str) -> None:
    done = subprocess.run([sys.executable, "-m", module, "clean", "-"], input="Москвa\n",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Москва\n"


def test_a_command_module_plugs_in_with_register(tmp_path: Path) -> None:
    """How serve/report-style commands join: a module exposing register(commands), named in PLUGINS;
    its run function's return value is the exit code, and its NormkitErrors are one line."""
    (tmp_path / "hello_cli.py").write_text(
        "from normkit.cli import add_command, add_input, input_path\n"
        "from normkit.errors import NormkitError\n"
        "def register(commands):\n"
        "    parser = add_command(commands, 'hello', help='Say hello.', example='normkit hello --name x')\n"
        "    parser.add_argument('--name', required=True)\n"
        "    parser.set_defaults(run=run)\n"
        "def run(args):\n"
        "    if args.name == 'bad':\n"
        "        raise NormkitError('bad name')\n"
        "    print('hello', args.name)\n"
        "    return 3\n", encoding="utf-8")
    code = "import normkit.cli as c; c.PLUGINS += ('hello_cli',); c.main()"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                              timeout=120)

    done = run("hello", "--name", "you")
    assert done.returncode == 3 and done.stdout == "hello you\n"
    assert run("hello", "--name", "bad").stderr == "normkit: error: bad name\n"
    missing = run("hello")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "--name" in missing.stderr
    assert "Example: normkit hello --name x" in run("hello", "--help").stdout
