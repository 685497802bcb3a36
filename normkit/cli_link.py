"""``normkit link FILE``: every Russian name recognised in a text, with its entity id and status.

Registered into the main CLI by :func:`register` (see :mod:`normkit.cli`).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from . import textio
from .cli import Commands, add_command, add_input, add_output, dump, input_path

LINK_FORMATS = ("text", "jsonl")


def register(commands: Commands) -> None:
    parser = add_command(commands, "link", example="normkit link article.txt --format jsonl",
                         help="List every Russian name recognised in the text (right as written, fixed or "
                              "suggested): span, entity id, type, canonical forms, status.")
    add_input(parser)
    add_output(parser)
    parser.add_argument("--format", choices=LINK_FORMATS, default="text",
                        help="text (START-END status type id 'as written' -> canonical forms) or jsonl "
                             "(one object per name; offsets into the whole input, in code points).")
    parser.add_argument("--glossary", action="append", type=Path, default=None, metavar="TSV",
                        help="Extra glossary TSV (repeatable); also NORMKIT_GLOSSARIES.")
    parser.add_argument("--decisions", action="append", type=Path, default=None, metavar="FILE",
                        help="Review decisions, as for clean: a rejected fix is not listed as fixed.")
    parser.add_argument("--lang", default=None, metavar="CODE", help="Document language, as for clean.")
    parser.set_defaults(run=run_link, target_script=None)


def run_link(args: argparse.Namespace) -> None:
    from .cli import _normalizer

    source = input_path(args)
    normalizer = _normalizer(args)
    # The whole input at once: a name's context (what else the text names) is the document.
    text = "".join(piece.text for piece in textio.iter_pieces(source, errors=args.errors, encoding=args.encoding))
    with textio.open_output(args.output, input_path=source) as out:
        for found in normalizer.link(text):
            if args.format == "jsonl":
                out.write(dump(found.to_dict()) + "\n")
            else:
                fix = f" -> {found.after!r}" if found.after is not None else ""
                out.write(f"{found.start}-{found.end}\t{found.status}\t{found.type}\t{found.entity_id}\t"
                          f"{found.text!r}{fix}\t{found.canonical_latin} / {found.canonical_cyrillic}\n")
