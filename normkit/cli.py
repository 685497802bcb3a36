"""The ``normkit`` command: a thin typer layer over the API.

Every command reads a file or ``-`` (stdin), writes stdout or ``-o`` (atomically), streams line by
line, and turns user errors into one line on stderr with exit code 2.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Callable, Iterator, List, Optional, TextIO

import click
import typer

from . import textio
from .errors import NormkitError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Clean mixed-script tokens and misromanised Russian names; translate offline.")


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class Errors(str, Enum):
    strict = "strict"
    replace = "replace"


INPUT = typer.Argument(..., metavar="FILE", help="UTF-8 text file, or - for stdin.")
OUTPUT = typer.Option(None, "-o", "--output", help="Write here (atomically) instead of stdout.")
FORMAT = typer.Option(Format.text, "--format", help="text, json (one object), or jsonl (one per line).")
ERRORS = typer.Option(Errors.strict, "--errors", help="On invalid UTF-8: fail (strict) or use U+FFFD.")
LANG = typer.Option(None, "--lang", help="Document language (en, ru, ...): fixes the script of repairs.")
SCRIPT = typer.Option(None, "--target-script", help="latin or cyrillic: overrides --lang and context.")
GLOSSARY = typer.Option(None, "--glossary", help="Extra glossary TSV (repeatable); also NORMKIT_GLOSSARIES.")


@contextmanager
def _progress(path: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for a large file when stderr is a terminal."""
    size = textio.input_size(path)
    if size is None or size < 8 << 20 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=size, file=sys.stderr, label=Path(path).name) as bar:
        yield bar.update


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _explain_line(edit: dict, applied: bool) -> str:
    mark = "" if applied else " (suggested, not applied)"
    return (f"{edit['start']}-{edit['end']}: {edit['before']!r} -> {edit['after']!r} "
            f"[{edit['kind']} {edit['confidence']:.2f}]{mark} {edit['reason']}")


@app.command(epilog="Example: normkit clean seeds/000_4ffa77d27fab5a68.txt --explain -o clean.txt")
def clean(
    file: str = INPUT,
    output: Optional[str] = OUTPUT,
    fmt: Format = FORMAT,
    explain: bool = typer.Option(False, "--explain", help="List every edit on stderr (text format)."),
    errors: Errors = ERRORS,
    lang: Optional[str] = LANG,
    target_script: Optional[str] = SCRIPT,
    min_confidence: float = typer.Option(0.5, "--min-confidence", help="Apply repairs at least this sure."),
    glossary: Optional[List[Path]] = GLOSSARY,
) -> None:
    """Repair mixed-script tokens and misromanised names; print the cleaned text or its edits."""
    from .clean import clean as clean_text

    options = dict(lang=lang, target_script=target_script, min_confidence=min_confidence,
                   **_glossary_option(glossary))
    with _progress(file) as on_bytes, textio.open_output(output, input_path=file) as out:
        lines = textio.iter_lines(file, errors=errors.value, on_bytes=on_bytes)
        if fmt is Format.jsonl:
            for number, line in enumerate(lines, start=1):
                body = line.rstrip("\r\n")
                result = clean_text(body, **options)
                out.write(_dump({"line": number, **result.to_dict()}) + "\n")
            return
        _clean_stream(textio.iter_chunks(lines), out, fmt, explain, clean_text, options)


def _clean_stream(chunks: Iterator[str], out: TextIO, fmt: Format, explain: bool,
                  clean_text: Callable, options: dict) -> None:
    """Clean chunk by chunk; offsets in json output are into the whole input."""
    offset = 0
    edits: list[dict] = []
    suggestions: list[dict] = []
    if fmt is Format.json:
        out.write('{"text": "')
    for chunk in chunks:
        result = clean_text(chunk, **options)
        for target, found in ((edits, result.edits), (suggestions, result.suggestions)):
            for edit in found:
                record = edit.to_dict()
                record["start"] += offset
                record["end"] += offset
                target.append(record)
                if explain and fmt is Format.text:
                    print(_explain_line(record, target is edits), file=sys.stderr)
        if fmt is Format.json:  # text streamed, edits kept (they are few)
            out.write(json.dumps(result.text, ensure_ascii=False)[1:-1])
        else:
            out.write(result.text)
            edits.clear()
            suggestions.clear()
        offset += len(chunk)
    if fmt is Format.json:
        out.write(f'", "edits": {_dump(edits)}, "suggestions": {_dump(suggestions)}}}\n')


@app.command(epilog="Example: normkit detect notes.txt --format jsonl")
def detect(
    file: str = INPUT,
    output: Optional[str] = OUTPUT,
    fmt: Format = FORMAT,
    errors: Errors = ERRORS,
    lang: Optional[str] = LANG,
    target_script: Optional[str] = SCRIPT,
) -> None:
    """List the tokens that mix scripts, with their class and proposed repair; change nothing."""
    from .clean import detect as detect_text

    with _progress(file) as on_bytes, textio.open_output(output, input_path=file) as out:
        lines = textio.iter_lines(file, errors=errors.value, on_bytes=on_bytes)
        offset = 0
        everything: list[dict] = []
        for number, line in enumerate(lines, start=1):
            findings = [f.to_dict() for f in detect_text(line, lang=lang, target_script=target_script)]
            if fmt is Format.jsonl:
                out.write(_dump({"line": number, "findings": findings}) + "\n")
            for finding in findings:
                if fmt is Format.text:
                    out.write(f"{number}:{finding['start'] + 1}\t{finding['token']}\t{finding['category']}\t"
                              f"{finding['suggestion'] or '-'}\t{finding['confidence']:.2f}\t"
                              f"{finding['reason']}\n")
                finding["start"] += offset
                finding["end"] += offset
                if fmt is Format.json:
                    everything.append(finding)
            offset += len(line)
        if fmt is Format.json:
            out.write(_dump({"findings": everything}) + "\n")


def _glossary_option(paths: Optional[List[Path]]) -> dict:
    return {"glossaries": tuple(paths)} if paths else {}


def _register_plugins() -> None:
    """Commands that live in their own modules (translation, gazetteer)."""
    import importlib

    for module in ("normkit.cli_translate", "normkit.cli_gazetteer", "normkit.cli_serve"):
        try:
            importlib.import_module(module).register(app)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


if __name__ != "__main__":  # run as a script, the real normkit.cli (imported below) registers them
    _register_plugins()


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except NormkitError as exc:
        print(f"normkit: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except click.exceptions.Abort:
        print("normkit: aborted", file=sys.stderr)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # e.g. piped into head: not an error
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # python -m normkit.cli
    from normkit.cli import main as _main

    _main()
