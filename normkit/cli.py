"""The ``normkit`` command line: argparse (no dependency, instant start-up, one-line usage errors).

How it is put together (to add a command or an option):

* :func:`build_parser` makes the top-level parser; each command is a sub-parser. A module with
  commands exposes ``register(commands: Commands) -> None``, which calls
  ``commands.add_parser(NAME, ...)`` (use :func:`add_command` for the shared conventions) and
  ``parser.set_defaults(run=FUNCTION)``. ``FUNCTION(args: argparse.Namespace) -> int | None`` does
  the work and returns the exit code (None: 0). :func:`register` below adds ``clean`` and ``detect``;
  the modules named in :data:`PLUGINS` (``cli_translate``: ``translate``, ``models``;
  ``cli_gazetteer``: ``gazetteer``) add theirs the same way. A new command module (``serve``) is
  one more name in :data:`PLUGINS`.
* Shared options come from helpers: :func:`add_input` (FILE, where ``-`` or no FILE means stdin
  when stdin is not a terminal, ``--encoding``, ``--errors``), :func:`add_output` (``-o``),
  :func:`add_format`. An option of ``clean`` (``--report FILE``, ``--jobs N``) is one
  ``add_argument`` in :func:`_add_clean` and a read of ``args.NAME`` in :func:`run_clean`.
* ``-q``/``--quiet`` (before or after the command) silences warnings, notes and progress on stderr;
  :func:`warn` and :func:`note` honour it. Errors are always printed.
* Heavy imports (the cleaner, translation) happen inside the ``run`` functions, so ``--help``,
  ``--version`` and usage errors are instant.
* :func:`main` turns everything a user can cause into one line on stderr: usage errors and
  :class:`~normkit.errors.NormkitError` exit 2; Ctrl-C exits 130; SIGTERM and SIGHUP unwind as
  Ctrl-C does (temp files removed, worker processes stopped) and then end the process by that signal.
  Stdout's reader going away exits 141 (-o left untouched); stderr trouble is ignored and a closed
  stdout is an error when written to (:mod:`normkit.stdio`).
"""
from __future__ import annotations

import argparse
import importlib
import itertools
import json
import logging
import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NoReturn, TypeVar

from . import __version__, stdio, textio
from .errors import NormkitError
from .types import OFFSETS, SCHEMA

if TYPE_CHECKING:
    from .normalizer import Normalizer
    from .types import CleanResult

T = TypeVar("T")
PROG = "normkit"
PLUGINS = ("normkit.cli_translate", "normkit.cli_gazetteer", "normkit.cli_serve", "normkit.cli_link")
FORMATS = ("text", "json", "jsonl")
ERROR_MODES = ("strict", "replace")
TARGET_SCRIPTS = ("latin", "cyrillic")
PROGRESS_MIN_BYTES = 8 << 20  # a progress bar only for inputs at least this large
USAGE_EXIT = 2
ERROR_EXIT = 2
INTERRUPTED_EXIT = 130
BROKEN_PIPE_EXIT = 128 + 13  # stdout's reader went away: what a shell shows for a death by SIGPIPE
# The translation modules log what the user should know (a broken model folder) under this logger;
# the CLI prints those records as ``normkit: warning: ...`` lines (not with --quiet).
WARNING_LOGGER = "normkit"  # normkit.translation (a broken model folder), normkit.cache (a cache not used)

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Commands = argparse._SubParsersAction


class Parser(argparse.ArgumentParser):
    """argparse with usage errors as one line: ``normkit clean: error: ... (see --help)``."""

    _given: list[str] | None = None  # the arguments this parser was asked to parse

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self._given = [str(a) for a in (sys.argv[1:] if args is None else args)]
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        unknown = self._unknown_option()
        if unknown is not None and message.startswith("the following arguments are required"):
            # argparse checks for a missing COMMAND before it reports an unknown option: that one
            # explains more (``normkit --bogus`` is not "COMMAND is required").
            message = f"unrecognized arguments: {unknown}"
        self.exit(USAGE_EXIT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def _unknown_option(self) -> str | None:
        for arg in self._given or ():
            if arg == "--":
                break
            name = arg.split("=", 1)[0]
            if arg.startswith("-") and len(arg) > 1 and not self._negative_number_matcher.match(arg) \
                    and name not in self._option_string_actions:
                return arg
        return None


class UsageError(Exception):
    """A usage error found after parsing (no FILE and stdin is a terminal); printed like argparse's."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser


def _quiet_option(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", default=default,
                        help="No warnings, notes or progress on stderr (errors are still printed).")


def add_command(commands: Commands, name: str, *, help: str, example: str) -> argparse.ArgumentParser:
    """A sub-command with the shared conventions: a one-line description, an example, ``--quiet``."""
    parser = commands.add_parser(name, help=help, description=help, epilog=f"Example: {example}",
                                 formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    # SUPPRESS: not given here, the top-level --quiet (before the command) is kept.
    _quiet_option(parser, default=argparse.SUPPRESS)
    parser.set_defaults(parser=parser)
    return parser


def add_subcommands(parser: argparse.ArgumentParser, title: str) -> Commands:
    return parser.add_subparsers(dest=f"{parser.prog.replace(' ', '_')}_command", metavar=title,
                                 required=True, parser_class=Parser)


def add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default=None, metavar="FILE",
                        help="Text file; - or nothing reads stdin (when it is not a terminal).")
    parser.add_argument("--encoding", default=textio.DEFAULT_ENCODING, metavar="NAME|auto",
                        help="Input encoding (default utf-8; a UTF-16/32 byte-order mark is honoured); "
                             "auto detects cp1251, KOI8-R, UTF-16... Output is always UTF-8.")
    parser.add_argument("--errors", choices=ERROR_MODES, default="strict",
                        help="On undecodable bytes: fail with the byte offset (strict) or use U+FFFD.")


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", default=None, metavar="FILE",
                        help="Write here instead of stdout: a regular file is replaced atomically "
                             "(mode kept), a symlink's target likewise, a device or FIFO written through.")


def add_format(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text", help=help)


def input_path(args: argparse.Namespace) -> str:
    """The FILE argument, ``-`` for stdin; no FILE with stdin a terminal is a usage error."""
    if args.file is not None:
        return str(args.file)
    if sys.stdin is None:
        raise UsageError(args.parser, "no FILE given and stdin is closed: name a file, or pipe text in")
    if sys.stdin.isatty():
        raise UsageError(args.parser, "no FILE given and stdin is a terminal: name a file, or pipe text in")
    return "-"


def quiet(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "quiet", False))


def warn(args: argparse.Namespace, message: str) -> None:
    if not quiet(args):
        print(f"{PROG}: warning: {message}", file=sys.stderr)


def note(args: argparse.Namespace, message: str) -> None:
    if not quiet(args):
        print(f"{PROG}: {message}", file=sys.stderr)


@contextmanager
def byte_progress(args: argparse.Namespace, path: str) -> Iterator[Callable[[int], None] | None]:
    """``NAME: 45%`` redrawn on stderr for a large file, only when stderr is a terminal."""
    size = textio.input_size(path)
    if quiet(args) or size is None or size < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
        yield None
        return
    done = [0, -1]  # bytes read, percent shown
    label = Path(path).name

    def update(n: int) -> None:
        done[0] += n
        percent = min(100, done[0] * 100 // size)
        if percent != done[1]:
            done[1] = percent
            sys.stderr.write(f"\r{label}: {percent}%")
            sys.stderr.flush()

    try:
        yield update
    finally:
        if done[1] >= 0:
            sys.stderr.write("\n")


def dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def json_string_body(text: str) -> str:
    """``text`` as the inside of a JSON string (for output streamed piece by piece)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


# ---------------------------------------------------------------- clean and detect

def _min_confidence(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value}")
    return number


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (all cores) or more, not {value}")
    return number


def _add_script_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", default=None, metavar="CODE",
                        help="Document language (en, ru, ...): fixes the script of repairs.")
    parser.add_argument("--target-script", choices=TARGET_SCRIPTS, default=None,
                        help="Script of repairs: overrides --lang and context.")


def _add_clean(commands: Commands) -> None:
    parser = add_command(commands, "clean", example="normkit clean seeds/000_4ffa77d27fab5a68.txt --explain -o clean.txt",
                         help="Repair mixed-script tokens and misromanised names; print the cleaned text or its edits.")
    add_input(parser)
    add_output(parser)
    add_format(parser, "text, json (one object), or jsonl (one object per input line).")
    parser.add_argument("--explain", action="store_true",
                        help="List every edit on stderr (text format), and the encoding --encoding auto chose.")
    _add_script_options(parser)
    parser.add_argument("--min-confidence", type=_min_confidence, default=0.5, metavar="0..1",
                        help="Apply repairs at least this sure; the rest are suggestions (default 0.5).")
    parser.add_argument("--glossary", action="append", type=Path, default=None, metavar="TSV",
                        help="Extra glossary TSV (repeatable); also NORMKIT_GLOSSARIES.")
    parser.add_argument("--normalize-names", action="store_true",
                        help="Also rewrite accepted spellings of a name into its house form (kind name_variant).")
    parser.add_argument("--report", metavar="FILE", default=None,
                        help="Also write an HTML page to review the edits (self-contained; - for stdout).")
    parser.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                        help="Clean in N worker processes (0: one per core); the output is the same as with 1.")
    parser.add_argument("--decisions", action="append", type=Path, default=None, metavar="FILE",
                        help="Review decisions (the report page's download; repeatable): never make a rejected "
                             "change again, apply an accepted one even below --min-confidence.")
    parser.set_defaults(run=run_clean)


def _add_detect(commands: Commands) -> None:
    parser = add_command(commands, "detect", example="normkit detect notes.txt --format jsonl",
                         help="List the tokens that mix scripts, with their class and proposed repair; change nothing.")
    add_input(parser)
    add_output(parser)
    add_format(parser, "text (LINE:COL token class repair confidence reason), json, or jsonl (per line).")
    _add_script_options(parser)
    parser.set_defaults(run=run_detect)


def register(commands: Commands) -> None:
    _add_clean(commands)
    _add_detect(commands)


def _normalizer(args: argparse.Namespace, *, with_glossaries: bool = True) -> "Normalizer":
    from .normalizer import Config, load

    glossaries = tuple(str(p) for p in (getattr(args, "glossary", None) or ())) if with_glossaries else ()
    decisions = tuple(str(p) for p in (getattr(args, "decisions", None) or ()))
    if decisions:  # read now: a bad file is one line before any output, conflicts are warned of once
        from .decisions import load_decisions

        for conflict in load_decisions(decisions).conflicts:
            warn(args, f"conflicting decisions, neither applied: {conflict}")
    config = Config(lang=args.lang, target_script=args.target_script, decisions=decisions,
                    min_confidence=getattr(args, "min_confidence", 0.5), glossaries=glossaries,
                    normalize_names=getattr(args, "normalize_names", False),
                    explain=bool(getattr(args, "explain", False)) and not quiet(args))
    return load(config)


def _encoding_note(args: argparse.Namespace, path: str) -> Callable[[str], None] | None:
    """With --explain: say on stderr which encoding the input was read as."""
    if not getattr(args, "explain", False) or quiet(args):
        return None
    how = "detected" if args.encoding == textio.AUTO else "given"
    name = "<stdin>" if path == "-" else path
    return lambda encoding: note(args, f"{name}: read as {encoding} ({how})")


def _capped_jobs(args: argparse.Namespace) -> int:
    """--jobs, at most one worker per available core (more only add memory: each worker holds the
    gazetteer and lexicon, ~190 MB); a note says so when it is capped."""
    from .parallel import available_cores

    jobs: int = args.jobs
    cores = available_cores()
    if jobs > cores:
        note(args, f"--jobs {jobs}: {cores} cores available here; using {cores} worker processes")
        return cores
    return jobs


@contextmanager
def _no_report() -> Iterator[Callable[[str, CleanResult | None], None]]:
    """What open_report yields when there is no report to write: an ``add`` that does nothing."""
    yield lambda text, result: None


def run_clean(args: argparse.Namespace) -> None:
    source = input_path(args)
    textio.refuse_input(args.report, source, "--report")
    args.jobs = _capped_jobs(args)
    normalizer = _normalizer(args)
    if args.report is None:  # no page to write: normkit.report (html, base64...) is not imported
        report: Any = _no_report()
    else:
        from .report import open_report

        report = open_report(args.report, input_path=source, output_path=args.output)

    with byte_progress(args, source) as on_bytes, textio.open_output(args.output, input_path=source) as out, \
            report as add_to_report:
        pieces = textio.iter_pieces(source, errors=args.errors, encoding=args.encoding, on_bytes=on_bytes,
                                    on_encoding=_encoding_note(args, source))
        if args.format == "jsonl":
            _clean_lines(pieces, out, normalizer, add_to_report, args.jobs)
        else:
            chunks = textio.iter_chunks(piece.text for piece in pieces)
            _clean_stream(chunks, out, args.format == "json", args.explain and not quiet(args), normalizer,
                          add_to_report, args.jobs)


def _shifted(result: "CleanResult", offset: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The result's edits and suggestions as dicts, with offsets moved by ``offset``."""
    return ([e.shifted(offset).to_dict() for e in result.edits],
            [e.shifted(offset).to_dict() for e in result.suggestions])


def _explain_line(edit: dict[str, Any], applied: bool) -> str:
    mark = "" if applied else " (suggested, not applied)"
    return (f"{edit['start']}-{edit['end']}: {edit['before']!r} -> {edit['after']!r} "
            f"[{edit['kind']} {edit['confidence']:.2f}]{mark} {edit['reason']}")


# The JSON forms open with CleanResult.to_dict()'s schema and offset unit (CleanResult.from_dict reads them).
_HEADER = f'"schema": "{SCHEMA}", "offsets": "{OFFSETS}"'
ReportSink = Callable[[str, "CleanResult | None"], None]  # report.open_report's add(chunk, result)


def _with_results(items: Iterable[T], text: Callable[[T], str], normalizer: "Normalizer",
                  jobs: int) -> Iterator[tuple[T, "CleanResult"]]:
    """Each item with the result of cleaning its text, in order; ``jobs`` worker processes clean
    them (1: this one). tee holds only the items whose results are still in the pool (bounded)."""
    ours, theirs = itertools.tee(items)
    return zip(ours, normalizer.clean_many(map(text, theirs), n_process=jobs))


def _clean_stream(chunks: Iterable[str], out: textio.TextSink, as_json: bool, explain: bool,
                  normalizer: "Normalizer", add_to_report: ReportSink, jobs: int = 1) -> None:
    """Clean chunk by chunk; text streams out, and offsets in JSON are into the whole input.
    With ``explain``, every edit and every name decision (with its evidence) goes to stderr."""
    offset = 0
    edits: list[dict[str, Any]] = []
    suggestions: list[dict[str, Any]] = []
    if as_json:
        out.write(f'{{{_HEADER}, "text": "')
    for chunk, result in _with_results(chunks, str, normalizer, jobs):
        add_to_report(chunk, result)
        applied, suggested = _shifted(result, offset)
        if explain:
            for record in applied:
                print(_explain_line(record, True), file=sys.stderr)
            for record in suggested:
                print(_explain_line(record, False), file=sys.stderr)
            for line in result.explanations:
                print(f"name decision: {line}", file=sys.stderr)
        if as_json:  # text streamed, edits kept (they are few)
            out.write(json_string_body(result.text))
            edits += applied
            suggestions += suggested
        else:
            out.write(result.text)
        offset += len(chunk)
    if as_json:
        out.write(f'", "edits": {dump(edits)}, "suggestions": {dump(suggestions)}}}\n')


def _body(piece: textio.Piece) -> str:
    """What is cleaned of a piece of a line: its text without the line end."""
    return textio.line_body(piece.text) if piece.ends_line else piece.text


def _clean_lines(pieces: Iterable[textio.Piece], out: textio.TextSink, normalizer: "Normalizer",
                 add_to_report: ReportSink, jobs: int = 1) -> None:
    """One JSON object per input line (``{"line", "text", "edits", "suggestions"}``), offsets into
    the line; a line read in pieces is cleaned piece by piece and written as one object."""
    edits: list[dict[str, Any]] = []
    suggestions: list[dict[str, Any]] = []
    for piece, result in _with_results(pieces, _body, normalizer, jobs):
        if piece.column == 0:
            out.write(f'{{"line": {piece.line}, {_HEADER}, "text": "')
        body = _body(piece)
        add_to_report(body, result)
        if len(body) < len(piece.text):
            add_to_report(piece.text[len(body):], None)  # the line end, kept in the page
        applied, suggested = _shifted(result, piece.column)
        edits += applied
        suggestions += suggested
        out.write(json_string_body(result.text))
        if piece.ends_line:
            out.write(f'", "edits": {dump(edits)}, "suggestions": {dump(suggestions)}}}\n')
            edits, suggestions = [], []


def run_detect(args: argparse.Namespace) -> None:
    from .invisible import marked

    source = input_path(args)
    normalizer = _normalizer(args, with_glossaries=False)
    fmt = args.format
    with byte_progress(args, source) as on_bytes, textio.open_output(args.output, input_path=source) as out:
        offset = 0  # characters of the input before this piece
        everything: list[dict[str, Any]] = []
        line_findings: list[dict[str, Any]] = []
        for piece in textio.iter_pieces(source, errors=args.errors, encoding=args.encoding, on_bytes=on_bytes):
            for finding in (f.to_dict() for f in normalizer.detect(piece.text)):
                column = piece.column + finding["start"]
                if fmt == "text":
                    # Tokens may hold bidi or zero-width characters: shown as ⟨U+202E⟩, never obeyed.
                    out.write(f"{piece.line}:{column + 1}\t{marked(finding['token'])}\t{finding['category']}\t"
                              f"{marked(finding['suggestion'] or '-')}\t{finding['confidence']:.2f}\t"
                              f"{marked(finding['reason'])}\n")
                elif fmt == "jsonl":
                    line_findings.append({**finding, "start": column,
                                          "end": finding["end"] + piece.column})
                else:
                    everything.append({**finding, "start": finding["start"] + offset,
                                       "end": finding["end"] + offset})
            if fmt == "jsonl" and piece.ends_line:
                out.write(dump({"line": piece.line, "findings": line_findings}) + "\n")
                line_findings = []
            offset += len(piece.text)
        if fmt == "json":
            out.write(dump({"findings": everything}) + "\n")


# ---------------------------------------------------------------- the program

def build_parser() -> Parser:
    parser = Parser(prog=PROG, allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter,
                    description="Clean mixed-script tokens and misromanised Russian names; translate offline.",
                    epilog="Run 'normkit COMMAND --help' for a command's options and an example.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _quiet_option(parser, default=False)
    commands = add_subcommands(parser, "COMMAND")
    register(commands)
    for module in PLUGINS:
        importlib.import_module(module).register(commands)
    return parser


class _Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where the program was so that cleanup runs as for Ctrl-C: temp
    files removed, worker pools shut down (``--jobs``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_received: list[int] = []  # signals received: one raised where a finalizer swallows it still ends the run


def _on_signal(signum: int, frame: FrameType | None) -> None:
    signal.signal(signum, _die_of_signal)  # a second one while cleaning up: go at once
    _received.append(signum)
    raise _Terminated(signum)


def _die_of_signal(signum: int, frame: FrameType | None = None) -> None:
    """End the process by ``signum``, as the sender expects, after removing temp files."""
    textio.remove_temp_files()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _catch_signals() -> None:
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, _on_signal)


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the exit-time flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout replaced (tests) or closed
        pass


class _WarningHandler(logging.Handler):
    """Library warnings (see :data:`WARNING_LOGGER`) as ``normkit: warning: ...`` lines on stderr."""

    def __init__(self, args: argparse.Namespace) -> None:
        super().__init__(logging.WARNING)
        self.args = args

    def emit(self, record: logging.LogRecord) -> None:
        # A library message may carry the prefix itself (for a program without this handler).
        warn(self.args, record.getMessage().removeprefix("normkit: warning: "))


def _run_command(args: argparse.Namespace) -> int:
    logger = logging.getLogger(WARNING_LOGGER)
    handler = _WarningHandler(args)
    logger.addHandler(handler)
    try:
        return int(args.run(args) or 0)
    finally:
        logger.removeHandler(handler)


def run(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the command; returns the exit code (errors are printed, not raised)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return _run_command(args)
    except UsageError as exc:
        exc.parser.error(str(exc))
    except NormkitError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return ERROR_EXIT
    except BrokenPipeError:
        # Stdout's reader went away (piped into head): what was meant for it is lost, so the exit
        # status says so. Stderr cannot get here (main() makes it never fail); an -o file is left
        # untouched (its temp file removed on the way out).
        _silence_stdout()
        return BROKEN_PIPE_EXIT
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return INTERRUPTED_EXIT
    except OSError as exc:  # the machine's word (a full disk under stdout, a vanished file): one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{PROG}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return ERROR_EXIT


def main(argv: list[str] | None = None) -> NoReturn:
    """The console entry point."""
    from .gcpause import freeze_after_loading

    freeze_after_loading()  # one Normalizer for the life of this process: its tables need no walking
    stdio.guard()
    _catch_signals()
    try:
        code = run(argv)
    except _Terminated as exc:
        _die_of_signal(exc.signum)
        raise  # not reached: the signal ends the process
    if _received:
        _die_of_signal(_received[0])
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        code = code or BROKEN_PIPE_EXIT  # the last output never reached its reader
    except NormkitError as exc:  # stdout closed
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        code = code or ERROR_EXIT
    sys.exit(code)


if __name__ == "__main__":  # python -m normkit.cli
    main()
