"""``normkit gazetteer``: import GeoNames dumps into the local store, show what is loaded, look names up.

Registered into the main CLI by :func:`register`. Errors are :class:`~normkit.errors.NormkitError`
subclasses; the main CLI prints them as one line and exits 2.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import re

from .cli import Commands, add_command, add_subcommands, note, quiet

_ID_RE = re.compile(r"[a-z_]+:\S+\Z")  # geonames:548442, curated:..., lexicon:иван+петров


def register(commands: Commands) -> None:
    from .dump_formats import FORMATS  # not the gazetteer package: a parser for any command is built

    gazetteer = add_command(commands, "gazetteer", example="normkit gazetteer import RU.zip",
                            help="The gazetteer of Russian places and people: local store and glossaries.")
    actions = add_subcommands(gazetteer, "ACTION")

    importer = add_command(actions, "import", example="normkit gazetteer import RU.zip",
                           help="Import FILE into the local store (SQLite); the format is detected from "
                                "its content.")
    importer.add_argument("file", type=Path, metavar="FILE",
                          help="GeoNames dump (RU.txt, RU.zip), postal-code file (.csv, .csv.gz) or "
                               "settlements registry keyed by OKTMO (settlements.csv.gz).")
    importer.add_argument("--kind", choices=FORMATS, default=None,
                          help="Skip detection: geonames, postal or settlements.")
    importer.add_argument("--store", type=Path, default=None, metavar="FILE",
                          help="Store file (default: user data dir, NORMKIT_DATA_DIR).")
    importer.set_defaults(run=run_import)

    info = add_command(actions, "info", example="normkit gazetteer info",
                       help="Say what is loaded and where: shipped glossaries, user glossaries, the local store.")
    info.add_argument("--store", type=Path, default=None, metavar="FILE", help="Store file to describe.")
    info.set_defaults(run=run_info)

    lookup = add_command(actions, "lookup", example="normkit gazetteer lookup Kirishi",
                         help="Print the entry an entity id names, or the entries NAME is an accepted spelling "
                              "of (one per line: id, type, forms, parents); exit 1 when there is none.")
    lookup.add_argument("name", metavar="ID_OR_NAME",
                        help="An entity id (geonames:548442, curated:..., lexicon:иван+петров) or a name in "
                             "either script, e.g. Kirishi or Глажево.")
    lookup.add_argument("--glossary", action="append", type=Path, default=None, metavar="TSV",
                        help="Extra glossary TSV (repeatable).")
    lookup.add_argument("--names", action="store_true", help="Also search the person-name lexicon.")
    lookup.set_defaults(run=run_lookup)

    learn = add_command(actions, "learn", example="normkit gazetteer learn decisions.json",
                        help="Turn review decisions into a glossary: accepted name fixes become house spellings, "
                             "rejected ones keep-as-written entries; merged into the learned glossary in the "
                             "user data dir (loaded by default) or -o FILE. Conflicting decisions are reported "
                             "one per line and not learned; then the exit code is 1.")
    learn.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Decisions files (JSON).")
    learn.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                       help="Glossary to write (merged into when it exists); default: the learned glossary.")
    learn.set_defaults(run=run_learn)

    check = add_command(actions, "check", example="normkit gazetteer check my_places.tsv",
                        help="Validate glossary files: the first malformed row is reported as file:line.")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Glossary TSV files.")
    check.set_defaults(run=run_check)


def run_import(args: argparse.Namespace) -> None:
    from .gazetteer.importer import import_file

    report = import_file(args.file, args.kind, args.store)
    if not quiet(args):
        print(report)


def run_info(args: argparse.Namespace) -> None:
    from . import gazetteer as gz
    from ._paths import glossaries_dir
    from .gazetteer.store import data_dir, info

    for path in gz.shipped_glossary_paths():
        print(f"glossary: {path}")
    from .gazetteer.sources import LEARNED_FILE

    for path in gz.user_glossary_paths():
        learned = path.name == LEARNED_FILE and path.parent == data_dir()
        print(f"user glossary: {path} ({'gazetteer learn' if learned else gz.ENV_GLOSSARIES})")
    lexicon = glossaries_dir() / gz.NAMES_FILE
    if lexicon.is_file():
        print(f"name lexicon: {lexicon} (loaded on demand)")
    print(info(args.store))


def run_lookup(args: argparse.Namespace) -> int:
    from . import gazetteer as gz

    from .entities import resolve

    name: str = args.name
    places = gz.default_gazetteer(tuple(args.glossary or ()))
    by_id = resolve(name, places, gz.name_lexicon()) if _ID_RE.match(name) else None
    found = [by_id] if by_id else places.lookup(name) + (gz.name_lexicon().lookup(name) if args.names else [])
    for entry in found:
        parents = " < ".join(p.latin for p in places.parents(entry))
        print(f"{entry.id}\t{entry.type}\t{entry.cyrillic}\t{entry.latin}" + (f"\t{parents}" if parents else ""))
    if not found:
        print(f"no entry for {name!r}", file=sys.stderr)
        return 1
    return 0


def run_learn(args: argparse.Namespace) -> int:
    from . import gazetteer as gz
    from .decisions import learn, learned_path, load_decisions

    decisions = load_decisions(args.files)
    target: Path = args.output or learned_path()
    existing = gz.read_glossary(target) if target.is_file() else []
    entries, notes = learn(decisions, gz.default_gazetteer(), existing)
    for line in decisions.conflicts:
        print(f"conflict: {line}", file=sys.stderr)
    for line in notes:
        note(args, line)
    target.parent.mkdir(parents=True, exist_ok=True)
    count = gz.write_glossary(target, entries, ["House spellings and keep-as-written names learned from review "
                                                "decisions by `normkit gazetteer learn`."])
    gz.reset_caches()
    if not quiet(args):
        print(f"{target}: {count} entries ({len(entries) - len(existing)} new)")
    return 1 if decisions.conflicts else 0


def run_check(args: argparse.Namespace) -> None:
    from . import gazetteer as gz

    for path in args.files:
        entries = gz.read_glossary(path)
        print(f"{path}: {len(entries)} entries, ok")
