"""``normkit translate`` and ``normkit models``: registered into the main CLI by :func:`register`.

Heavy imports (argostranslate, CTranslate2) stay inside the command bodies.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable, Iterator, Optional, TextIO

import typer

from .cli import ERRORS, INPUT, OUTPUT, Errors, Format


def register(app: typer.Typer) -> None:
    app.command(name="translate", epilog="Example: normkit translate notes.txt --to en -o notes.en.txt")(translate)
    models_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                             help="List and install offline translation models (Argos packages).")
    models_app.command(name="list")(list_models)
    models_app.command(name="install", epilog="Examples: normkit models install translate-ru_en.argosmodel; "
                                              "normkit models install --from ru --to en")(install_model)
    app.add_typer(models_app, name="models")


class _Progress:
    """``translating: 120/340 sentences`` redrawn on stderr, only when stderr is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.shown = stream, False

    def __call__(self, done: int, total: int) -> None:
        self.stream.write(f"\rtranslating: {done}/{total} sentences")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def translate(
    file: str = INPUT,
    to: str = typer.Option("en", "--to", help="Target language code (en, ru, de, ...)."),
    source: str = typer.Option("auto", "--from", help="Source language code, or auto (per paragraph)."),
    output: Optional[str] = OUTPUT,
    fmt: Format = typer.Option(Format.text, "--format",
                               help="text, json (one object), or jsonl (each input line a document)."),
    no_clean: bool = typer.Option(False, "--no-clean", help="Translate the text as it is, without clean()."),
    errors: Errors = ERRORS,
) -> None:
    """Translate offline with installed Argos models, keeping names in their target-language form."""
    from . import textio
    from .translation import translate_many

    progress = _Progress(sys.stderr) if sys.stderr.isatty() else None
    options = dict(target=to, source=source, clean=not no_clean, progress=progress)
    try:
        with textio.open_output(output, input_path=file) as out:
            lines = textio.iter_lines(file, errors=errors.value)
            if fmt is Format.jsonl:
                docs = (line.rstrip("\r\n") for line in lines)
                for number, result in enumerate(translate_many(docs, **options), start=1):
                    out.write(_dump({"line": number, **result.to_dict()}) + "\n")
                return
            results = translate_many(textio.iter_paragraphs(lines), **options)
            if fmt is Format.text:
                for result in results:
                    out.write(result.text)
                    _warn(result.warnings)
            else:
                out.write(_dump(_merge(results)) + "\n")
    finally:
        if progress is not None:
            progress.close()


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"normkit: warning: {warning}", file=sys.stderr)


def _merge(results: Iterator) -> dict:
    """One JSON object for a file translated paragraph by paragraph; offsets made file-wide."""
    text, edits, protected, paragraphs, warnings = [], [], [], [], []
    source_weight: dict[str, int] = {}
    target = ""
    in_offset = out_offset = 0
    for r in results:
        target = r.target_lang
        text.append(r.text)
        for e in r.edits:
            edits.append({**e.to_dict(), "start": e.start + in_offset, "end": e.end + in_offset})
        for p in r.protected:
            protected.append({**p.to_dict(), "start": p.start + out_offset, "end": p.end + out_offset})
        for a, b, lang in r.paragraphs:
            paragraphs.append([a + out_offset, b + out_offset, lang])
            if lang != "und":
                source_weight[lang] = source_weight.get(lang, 0) + b - a
        warnings.extend(r.warnings)
        _warn(r.warnings)
        # Edits are offsets into the input; protected spans into the cleaned text.
        in_offset += len(r.cleaned) - sum(len(e.after) - (e.end - e.start) for e in r.edits)
        out_offset += len(r.cleaned)
    source = max(sorted(source_weight), key=source_weight.__getitem__) if source_weight else "und"
    return {"text": "".join(text), "source_lang": source, "target_lang": target, "edits": edits,
            "protected": protected, "paragraphs": paragraphs, "warnings": warnings}


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def list_models() -> None:
    """List installed translation models and where they live."""
    from .translation import models

    packages = models.installed_packages()
    print(f"# packages directory: {models.packages_dir()}")
    if not packages:
        print("# no models installed; install one with: normkit models install --from ru --to en "
              f"(offline: {models.FILE_ROUTE})")
    for pkg in packages:
        print(f"{pkg.from_code}\t{pkg.to_code}\t{pkg.from_name} → {pkg.to_name}\t"
              f"v{pkg.package_version or '?'}\t{pkg.package_path}")


def install_model(
    path: Optional[Path] = typer.Argument(None, metavar="[PATH.argosmodel]",
                                          help="A downloaded .argosmodel file (works offline)."),
    source: Optional[str] = typer.Option(None, "--from", help="Source language, to download from the Argos index."),
    target: Optional[str] = typer.Option(None, "--to", help="Target language, to download from the Argos index."),
) -> None:
    """Install a model from a .argosmodel file, or download one from the Argos index (online)."""
    from .errors import NormkitError
    from .translation import models

    if path is not None and (source or target):
        raise NormkitError("give either a .argosmodel file or --from/--to, not both")
    if path is not None:
        pkg = models.install_file(path)
    elif source and target:
        pkg = models.install_from_index(source, target)
    else:
        raise NormkitError("give a .argosmodel file, or both --from and --to")
    print(f"installed {pkg.from_code} → {pkg.to_code} ({pkg.from_name} → {pkg.to_name}) in {pkg.package_path}")
