"""``normkit translate`` and ``normkit models`` as a user runs them."""
from __future__ import annotations

import json

import pytest

from translate_helpers import NAMES_TEXT, argos_dir, run_normkit, tiny_models  # noqa: F401


@pytest.fixture
def installed(tiny_models, argos_dir) -> None:
    done = run_normkit("models", "install", str(tiny_models["ru_en"]))
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith("installed ru → en")


def _one_error_line(done) -> str:
    err = done.stderr.decode()
    assert done.returncode == 2 and err.startswith("normkit: error: ") and err.count("\n") == 1, err
    return err


def test_models_list(installed, argos_dir) -> None:
    done = run_normkit("models", "list")
    lines = done.stdout.decode().splitlines()
    assert done.returncode == 0 and lines[0] == f"# packages directory: {argos_dir}"
    assert lines[1].startswith("ru\ten\tRussian → English\tv1.0\t")


def test_models_list_empty_names_the_install_command(argos_dir) -> None:
    out = run_normkit("models", "list").stdout.decode()
    assert "normkit models install --from ru --to en" in out


def test_translate_file_text_json_and_jsonl(installed, tmp_path) -> None:
    from normkit.translation import translate

    src = tmp_path / "in.txt"
    src.write_text(NAMES_TEXT + "\n\nThe end.\n", encoding="utf-8")
    first = translate(NAMES_TEXT + "\n\n", "en", clean=False)  # the API, with the shipped gazetteer
    done = run_normkit("translate", str(src), "--to", "en", "--no-clean")
    assert done.returncode == 0 and done.stdout.decode() == first.text + "The end.\n"
    assert done.stderr == b""  # no progress bar when stderr is not a terminal
    obj = json.loads(run_normkit("translate", str(src), "--format", "json", "--no-clean").stdout)
    assert obj["text"] == first.text + "The end.\n" and obj["source_lang"] == "ru"
    assert obj["protected"] == [p.to_dict() for p in first.protected]
    assert [p[2] for p in obj["paragraphs"]] == ["ru", "en"]
    assert obj["paragraphs"][1][0] == len(NAMES_TEXT) + 2  # offsets are file-wide
    records = [json.loads(line) for line in
               run_normkit("translate", str(src), "--format", "jsonl", "--no-clean").stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3] and records[0]["text"] == first.text.rstrip("\n")


def test_translate_stdin_to_output_file_with_cleaning(installed, tmp_path) -> None:
    out = tmp_path / "out.txt"
    done = run_normkit("translate", "-", "--from", "ru", "-o", str(out), stdin="Мы были в Kiriши.\n".encode())
    assert done.returncode == 0, done.stderr
    import normkit
    from normkit.translation import translate

    assert normkit.clean("Мы были в Kiriши.\n", lang="ru").edits  # cleaning has work to do
    expected = translate("Мы были в Kiriши.\n", "en", "ru")
    assert expected.edits and out.read_text(encoding="utf-8") == expected.text


def test_progress_bar_on_a_terminal(installed, tmp_path) -> None:
    src = tmp_path / "in.txt"
    src.write_text(NAMES_TEXT + "\n", encoding="utf-8")
    done = run_normkit("translate", str(src), "--no-clean", stderr_tty=True)
    assert done.returncode == 0 and "translating: 2/2 sentences" in done.stderr.decode()


def test_missing_model_is_one_line_naming_the_install_command(installed, tmp_path) -> None:
    src = tmp_path / "in.txt"
    src.write_text(NAMES_TEXT, encoding="utf-8")
    err = _one_error_line(run_normkit("translate", str(src), "--to", "de"))
    assert "normkit models install --from ru --to de" in err


def test_install_from_index_offline(argos_dir, monkeypatch) -> None:
    # Nothing listens on the loopback discard port: the index is unreachable, as offline.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    err = _one_error_line(run_normkit("models", "install", "--from", "ru", "--to", "en"))
    assert "cannot reach the Argos package index" in err and "normkit models install PATH.argosmodel" in err


def test_install_bad_file_and_bad_arguments(argos_dir, tmp_path) -> None:
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"nope")
    assert "not a zip" in _one_error_line(run_normkit("models", "install", str(bad)))
    assert "--from and --to" in _one_error_line(run_normkit("models", "install", "--from", "ru"))
