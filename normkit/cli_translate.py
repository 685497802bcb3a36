"""``normkit translate`` and ``normkit models``: registered into the main CLI by :func:`register`.

Heavy imports (argostranslate, CTranslate2) stay inside the command bodies; without the
``translate`` extra they fail as one line naming ``pip install "normkit[translate]"``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, TextIO

from . import textio
from .cli import Commands, add_command, add_format, add_input, add_output, add_subcommands, dump, input_path, quiet, warn
from .errors import NormkitError

if TYPE_CHECKING:
    from .translation import TranslationResult


def register(commands: Commands) -> None:
    parser = add_command(commands, "translate", example="normkit translate notes.txt --to en -o notes.en.txt",
                         help="Translate offline with installed Argos models, keeping names in their "
                              "target-language form.")
    add_input(parser)
    parser.add_argument("--to", default="en", metavar="CODE", help="Target language code (en, ru, de, ...).")
    parser.add_argument("--from", dest="source", default="auto", metavar="CODE",
                        help="Source language code, or auto (detected per paragraph).")
    add_output(parser)
    add_format(parser, "text, json (one object), or jsonl (each input line a document).")
    parser.add_argument("--no-clean", action="store_true", help="Translate the text as it is, without clean().")
    parser.set_defaults(run=run_translate)

    models = add_command(commands, "models", example="normkit models install translate-ru_en.argosmodel",
                         help="List and install offline translation models (Argos packages).")
    actions = add_subcommands(models, "ACTION")
    listing = add_command(actions, "list", example="normkit models list",
                          help="List installed translation models and where they live.")
    listing.set_defaults(run=run_list_models)
    install = add_command(actions, "install",
                          example="normkit models install translate-ru_en.argosmodel; "
                                  "normkit models install --from ru --to en",
                          help="Install a model from a .argosmodel file (offline), or download one from "
                               "the Argos index (--from/--to, online). The model is test-loaded first.")
    install.add_argument("path", nargs="?", type=Path, default=None, metavar="PATH.argosmodel",
                         help="A downloaded .argosmodel file (works offline).")
    install.add_argument("--from", dest="source", default=None, metavar="CODE",
                         help="Source language, to download from the Argos index.")
    install.add_argument("--to", dest="target", default=None, metavar="CODE",
                         help="Target language, to download from the Argos index.")
    install.add_argument("--force", action="store_true",
                         help="Replace the installed model of the same language pair.")
    install.set_defaults(run=run_install_model)


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


def run_translate(args: argparse.Namespace) -> None:
    from .translation import translate_many

    source_path = input_path(args)
    progress = _Progress(sys.stderr) if sys.stderr.isatty() and not quiet(args) else None

    def translated(texts: Iterable[str]) -> Iterable["TranslationResult"]:
        return translate_many(texts, target=args.to, source=args.source, clean=not args.no_clean,
                              progress=progress)

    try:
        with textio.open_output(args.output, input_path=source_path) as out:
            pieces = textio.iter_pieces(source_path, errors=args.errors, encoding=args.encoding)
            if args.format == "jsonl":
                docs = _whole_lines(pieces)
                for number, result in enumerate(translated(docs), start=1):
                    out.write(dump({"line": number, **result.to_dict()}) + "\n")
                    _warn(args, result.warnings)
                return
            results = translated(textio.iter_paragraphs(piece.text for piece in pieces))
            if args.format == "text":
                for result in results:
                    out.write(result.text)
                    _warn(args, result.warnings)
            else:
                out.write(dump(_merge(args, results)) + "\n")
    finally:
        if progress is not None:
            progress.close()


def _whole_lines(pieces: Iterable[textio.Piece]) -> Iterable[str]:
    """Each input line, without its ending, as one document (a line read in pieces is joined)."""
    parts: list[str] = []
    for piece in pieces:
        parts.append(textio.line_body(piece.text) if piece.ends_line else piece.text)
        if piece.ends_line:
            yield "".join(parts)
            parts = []


def _warn(args: argparse.Namespace, warnings: list[str]) -> None:
    for warning in warnings:
        warn(args, warning)


def _merge(args: argparse.Namespace, results: Iterable["TranslationResult"]) -> dict[str, Any]:
    """One JSON object for a file translated paragraph by paragraph; offsets made file-wide."""
    text: list[str] = []
    edits: list[dict[str, Any]] = []
    protected: list[dict[str, Any]] = []
    paragraphs: list[list[int | str]] = []
    warnings: list[str] = []
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
        _warn(args, r.warnings)
        # Edits are offsets into the input; protected spans into the cleaned text.
        in_offset += len(r.cleaned) - sum(len(e.after) - (e.end - e.start) for e in r.edits)
        out_offset += len(r.cleaned)
    source = max(sorted(source_weight), key=source_weight.__getitem__) if source_weight else "und"
    return {"text": "".join(text), "source_lang": source, "target_lang": target, "edits": edits,
            "protected": protected, "paragraphs": paragraphs, "warnings": warnings}


def run_list_models(args: argparse.Namespace) -> None:
    from .translation import models

    packages, broken = models.scan_packages()
    print(f"# packages directory: {models.packages_dir()}")
    if not packages:
        print("# no models installed; install one with: normkit models install --from ru --to en "
              f"(offline: {models.FILE_ROUTE})")
    for pkg in packages:
        print(f"{pkg.from_code}\t{pkg.to_code}\t{pkg.from_name} → {pkg.to_name}\t"
              f"v{pkg.package_version or '?'}\t{pkg.package_path}")
    for bad in broken:  # marked, not fatal: translation skips them
        print(f"# broken (skipped): {bad.path}: {bad.reason}")


def run_install_model(args: argparse.Namespace) -> None:
    from .translation import models

    path: Path | None = args.path
    source: str | None = args.source
    target: str | None = args.target
    if path is not None and (source or target):
        raise NormkitError("give either a .argosmodel file or --from/--to, not both")
    if path is not None:
        pkg = models.install_file(path, force=args.force)
    elif source and target:
        pkg = models.install_from_index(source, target, force=args.force)
    else:
        raise NormkitError("give a .argosmodel file, or both --from and --to")
    if not quiet(args):
        print(f"installed {pkg.from_code} → {pkg.to_code} ({pkg.from_name} → {pkg.to_name}) in {pkg.package_path}")
