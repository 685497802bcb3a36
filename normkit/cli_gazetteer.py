"""``normkit gazetteer``: import GeoNames dumps into the local store, show what is loaded, look names up.

Registered into the main CLI by :func:`register`. Errors are :class:`~normkit.errors.NormkitError`
subclasses; the main CLI prints them as one line and exits 2.
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer


class Kind(str, Enum):
    geonames = "geonames"
    postal = "postal"


def register(app: typer.Typer) -> None:
    gazetteer = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                            help="The gazetteer of Russian places and people: local store and glossaries.")

    @gazetteer.command("import")
    def import_(file: Path = typer.Argument(..., metavar="FILE",
                                            help="GeoNames dump (RU.txt, RU.zip) or postal-code file (.csv, .csv.gz)."),
                kind: Optional[Kind] = typer.Option(None, "--kind", help="Skip detection: geonames or postal."),
                store: Optional[Path] = typer.Option(None, "--store",
                                                     help="Store file (default: user data dir, NORMKIT_DATA_DIR).")) -> None:
        """Import FILE into the local store (SQLite); the format is detected from its content."""
        from . import store as store_module

        report = store_module.import_file(file, kind.value if kind else None, store)
        typer.echo(str(report))

    @gazetteer.command("info")
    def info(store: Optional[Path] = typer.Option(None, "--store", help="Store file to describe.")) -> None:
        """Say what is loaded and where: shipped glossaries, user glossaries, the local store."""
        from . import gazetteer as gz, store as store_module

        for path in gz.shipped_glossary_paths():
            typer.echo(f"glossary: {path}")
        for path in gz.user_glossary_paths():
            typer.echo(f"user glossary: {path} ({gz.ENV_GLOSSARIES})")
        lexicon = gz.glossaries_dir() / gz.NAMES_FILE
        if lexicon.is_file():
            typer.echo(f"name lexicon: {lexicon} (loaded on demand)")
        typer.echo(str(store_module.info(store)))

    @gazetteer.command("lookup")
    def lookup(name: str = typer.Argument(..., help="A name in either script, e.g. Kirishi or Глажево."),
               glossary: Optional[List[Path]] = typer.Option(None, "--glossary", help="Extra glossary TSV."),
               names: bool = typer.Option(False, "--names", help="Also search the person-name lexicon.")) -> None:
        """Print the entries NAME is an accepted spelling of (one per line: id, type, forms, parents)."""
        from . import gazetteer as gz

        places = gz.default_gazetteer(tuple(glossary or ()))
        found = places.lookup(name) + (gz.name_lexicon().lookup(name) if names else [])
        for entry in found:
            parents = " < ".join(p.latin for p in places.parents(entry))
            typer.echo(f"{entry.id}\t{entry.type}\t{entry.cyrillic}\t{entry.latin}"
                       + (f"\t{parents}" if parents else ""))
        if not found:
            typer.echo(f"no entry for {name!r}", err=True)
            raise typer.Exit(1)

    @gazetteer.command("check")
    def check(files: List[Path] = typer.Argument(..., metavar="FILE...", help="Glossary TSV files.")) -> None:
        """Validate glossary files: the first malformed row is reported as file:line."""
        from . import gazetteer as gz

        for path in files:
            entries = gz.read_glossary(path)
            typer.echo(f"{path}: {len(entries)} entries, ok")

    app.add_typer(gazetteer, name="gazetteer")
