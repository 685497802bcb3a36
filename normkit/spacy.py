"""normkit in spaCy: a tokenizer that cleans the text before tokenising it and keeps the original.

    import spacy
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "normkit.Tokenizer.v1"}}})
    doc = nlp("Smoke rose over Черепoвец on Monday.")
    doc.text                      # 'Smoke rose over Cherepovets on Monday.'
    doc._.original_text           # 'Smoke rose over Черепoвец on Monday.'
    doc[3:4]._.original_offsets   # (16, 25): 'Черепoвец' in the input
    doc._.normkit_edits           # [Edit(16, 25, 'Черепoвец', 'Cherepovets', 'homoglyph', ...)]

Why a tokenizer and not a pipeline component (``nlp.add_pipe``): in spaCy the tokenizer is the one
step that sees the raw text; it takes a string and returns a Doc, and every pipeline component then
receives that Doc. A Doc's text is its tokens and their whitespace, and spaCy's tokenisation is
non-destructive (retokenising must keep ``doc.text``), so no component can turn ``Кириshi`` into
``Kirishi``. Cleaning changes the text, so it belongs before tokenisation: the registered tokenizer
``normkit.Tokenizer.v1`` cleans with a :class:`normkit.Normalizer`, hands the cleaned text to the
language's own rule-based tokenizer (``spacy.Tokenizer.v1``: prefixes, suffixes, special cases),
and records the edits on the Doc. Being named in ``[nlp.tokenizer]`` of the config, it is rebuilt
by ``spacy.load`` (found through the ``spacy_tokenizers`` entry point, so a fresh process needs no
import) and its base tokenizer's rules are saved with the pipeline.

What a Doc carries: each applied edit (and each suggestion) as plain msgpack/JSON data in
``doc.user_data``, keyed the way spaCy keys span extension values, by the edit's character span in
``doc.text``: ``("._.", "normkit_edit", start, end) -> {"before", "after", "kind", "confidence",
"reason"}``. Plain data, not objects, so ``Doc.to_bytes``/``from_bytes``, ``DocBin`` with user data,
and ``nlp.pipe(n_process=N)`` (whose workers send docs back as bytes; Edit objects there fail with
E871) keep them; span keys, so ``Doc.from_docs`` and ``Span.as_doc(copy_user_data=True)`` shift them
with the text. Offsets into the input are not stored: they follow from the edits' ``before`` strings,
and so does the original text. The extensions read that data (``import normkit.spacy`` registers
them; the tokenizer's entry point does it for ``spacy.load``):

- ``doc._.normkit_edits`` / ``doc._.normkit_suggestions``: :class:`normkit.Edit` lists, offsets into
  the input; ``doc._.normkit_result``: the :class:`normkit.CleanResult`, to map offsets both ways;
- ``doc._.original_text``: the text as it came in;
- ``span._.original_offsets`` / ``token._.original_offsets``: ``(start, end)`` in the input, exact
  in letters an edit kept (``Kirishi`` of ``Kirishi’s`` is ``Кириshi``); a boundary inside changed
  letters takes in the whole edit.

Phrase patterns of an entity ruler are made with ``nlp.pipe``, so they are cleaned like the text.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence, cast

import srsly  # type: ignore[import-untyped]  # spaCy's own serialiser, without type hints
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import registry

from .normalizer import Config, Normalizer, load
from .transliteration import scheme_names
from .types import CleanResult, Edit, apply_edits, kept_ends

TOKENIZER_NAME = "normkit.Tokenizer.v1"
#: The tokenizer that splits the cleaned text: the language's own rule-based one.
BASE_TOKENIZER_NAME = "spacy.Tokenizer.v1"
#: user_data keys: ("._.", name, start, end), spaCy's shape for span extension values.
EDIT_KEY = "normkit_edit"
SUGGESTION_KEY = "normkit_suggestion"
_EXTENSION_PREFIX = "._."
_RECORD_FIELDS = ("before", "after", "kind", "confidence", "reason", "entity_id", "canonical_latin",
                  "canonical_cyrillic")
#: Files the tokenizer writes in its folder of a saved pipeline.
_BASE_FILE = "base"
_META_FILE = "normkit.json"
_GLOSSARY_DIR = "glossaries"
_GLOSSARY_SUFFIXES = (".tsv", ".tsv.gz")
_SAVE_FORMAT = 1
_TARGET_SCRIPTS = ("latin", "cyrillic")


class NormkitTokenizer:
    """Cleans a text with a :class:`normkit.Normalizer`, then tokenises the cleaned text with
    ``base`` (a spaCy ``Tokenizer``) and records the edits on the Doc. Pickles (for
    ``nlp.pipe(n_process=N)`` with the spawn start method) as its base tokenizer and Config."""

    def __init__(self, base: Any, normalizer: Normalizer) -> None:
        self._base = base
        self._normalizer = normalizer

    @property
    def base(self) -> Any:
        """The spaCy tokenizer that splits the cleaned text: add special cases or change its
        prefix/suffix rules here; they are saved with the pipeline."""
        return self._base

    @property
    def vocab(self) -> Any:
        return self._base.vocab

    @property
    def normalizer(self) -> Normalizer:
        return self._normalizer

    def __call__(self, text: str) -> Doc:
        result = self._normalizer.clean(text)
        doc: Doc = self._base(result.text)
        _record(doc, result)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # ------------------------------------------------------------ serialisation (spaCy's protocol)

    def to_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> None:
        """A folder: the base tokenizer's rules, and copies of the glossary files, so that a saved
        pipeline moved to another machine still reads them."""
        path = Path(path)
        if path.is_file():  # a pipeline saved before without normkit: its tokenizer was one file
            path.unlink()
        path.mkdir(parents=True, exist_ok=True)
        self._base.to_disk(path / _BASE_FILE, exclude=exclude)
        glossary_dir = path / _GLOSSARY_DIR
        if glossary_dir.is_dir():
            shutil.rmtree(glossary_dir)  # ours: copies from an earlier save
        saved = []
        for i, source in enumerate(Path(p) for p in self._normalizer.config.glossaries):
            name = f"{i}-{source.name}"
            glossary_dir.mkdir(exist_ok=True)
            if source.is_dir():  # a folder of glossaries, as normkit reads it: its *.tsv(.gz) files
                (glossary_dir / name).mkdir()
                for item in sorted(source.iterdir()):
                    if item.is_file() and item.name.endswith(_GLOSSARY_SUFFIXES):
                        shutil.copyfile(item, glossary_dir / name / item.name)
            else:
                shutil.copyfile(source, glossary_dir / name)
            saved.append(name)
        (path / _META_FILE).write_text(json.dumps({"format": _SAVE_FORMAT, "glossaries": saved}) + "\n",
                                       encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> NormkitTokenizer:
        path = Path(path)
        if path.is_file():
            # The tokenizer file of a pipeline saved without normkit (spacy.load(..., config=
            # {"nlp": {"tokenizer": {"@tokenizers": "normkit.Tokenizer.v1"}}})): its rules are ours.
            self._base.from_disk(path, exclude=exclude)
            return self
        self._base.from_disk(path / _BASE_FILE, exclude=exclude)
        meta = json.loads((path / _META_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != _SAVE_FORMAT:
            raise ValueError(f"{path / _META_FILE}: normkit tokenizer format {meta.get('format')!r} "
                             f"is not supported (expected {_SAVE_FORMAT})")
        if meta["glossaries"]:
            copies = tuple(str(path / _GLOSSARY_DIR / name) for name in meta["glossaries"])
            self._normalizer = load(self._normalizer.config.with_options(glossaries=copies))
        return self

    def to_bytes(self, *, exclude: Sequence[str] = ()) -> bytes:
        """The base tokenizer's rules; glossaries stay the paths in the config (``to_disk`` copies them)."""
        data: bytes = srsly.msgpack_dumps({"normkit": _SAVE_FORMAT, "base": self._base.to_bytes(exclude=exclude)})
        return data

    def from_bytes(self, data: bytes, *, exclude: Sequence[str] = ()) -> NormkitTokenizer:
        message: dict[str, Any] = srsly.msgpack_loads(data)
        if "normkit" in message:
            self._base.from_bytes(message["base"], exclude=exclude)
        else:  # a spaCy tokenizer's own bytes
            self._base.from_bytes(data, exclude=exclude)
        return self


def create_tokenizer(lang: str | None = None, target_script: str | None = None,
                     min_confidence: float = 0.5, scheme: str | None = None, names: bool = True,
                     glossaries: Sequence[str] = ()) -> Callable[[Language], NormkitTokenizer]:
    """``[nlp.tokenizer] @tokenizers = "normkit.Tokenizer.v1"``: the options are
    :class:`normkit.Config`'s (``lang=None`` lets each sentence decide the script, as
    :func:`normkit.clean` does; set it to force one)."""
    if target_script is not None and target_script.lower() not in _TARGET_SCRIPTS:
        raise ValueError(f"target_script must be 'latin' or 'cyrillic', not {target_script!r}")
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence!r}")
    if scheme is not None and scheme not in scheme_names():
        raise ValueError(f"unknown transliteration scheme {scheme!r}; choose one of: {', '.join(scheme_names())}")
    config = Config(lang=lang, target_script=target_script, min_confidence=min_confidence,
                    scheme=scheme, names=names, glossaries=tuple(glossaries))

    def make_tokenizer(nlp: Language) -> NormkitTokenizer:
        make_base = registry.tokenizers.get(BASE_TOKENIZER_NAME)()
        return NormkitTokenizer(make_base(nlp), load(config))

    return make_tokenizer


registry.tokenizers.register(TOKENIZER_NAME, func=create_tokenizer)


# ---------------------------------------------------------------- the data on the Doc

def _record(doc: Doc, result: CleanResult) -> None:
    """Store the edits and suggestions of ``result`` (whose text is ``doc.text``) in doc.user_data."""
    user_data = cast(dict[Any, Any], doc.user_data)
    shift = 0  # output offset minus input offset, after the edits so far
    for edit in result.edits:
        start = edit.start + shift
        user_data[(_EXTENSION_PREFIX, EDIT_KEY, start, start + len(edit.after))] = _plain(edit)
        shift += len(edit.after) - (edit.end - edit.start)
    for suggestion in result.suggestions:
        start, end = result.output_span(suggestion.start, suggestion.end)
        user_data[(_EXTENSION_PREFIX, SUGGESTION_KEY, start, end)] = _plain(suggestion)


def _plain(edit: Edit) -> dict[str, Any]:
    return {name: getattr(edit, name) for name in _RECORD_FIELDS}


def _records(doc: Doc, name: str, length: int) -> list[tuple[int, int, dict[str, Any]]]:
    """The stored records called ``name`` within the first ``length`` characters, by position. One
    outside (a span cut out with ``Span.as_doc(copy_user_data=True)`` keeps its doc's keys, shifted)
    is dropped."""
    found: list[tuple[int, int, dict[str, Any]]] = []
    for key, value in cast(dict[Any, Any], doc.user_data).items():
        if (isinstance(key, tuple) and len(key) == 4 and key[0] == _EXTENSION_PREFIX and key[1] == name
                and isinstance(key[2], int) and isinstance(key[3], int) and 0 <= key[2] <= key[3] <= length):
            found.append((key[2], key[3], value))
    return sorted(found, key=lambda record: (record[0], record[1]))


def _text_length(doc: Doc) -> int:
    """``len(doc.text)`` without joining the text (the offset getters run once per token)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def _edit(start: int, end: int, record: dict[str, Any]) -> Edit:
    return Edit(start, end, record["before"], record["after"], record["kind"],
                record["confidence"], record["reason"], record.get("entity_id"), record.get("canonical_latin"),
                record.get("canonical_cyrillic"))


def clean_result(doc: Doc) -> CleanResult:
    """The :class:`normkit.CleanResult` of ``doc`` (``doc._.normkit_result``): text ``doc.text``,
    edits and suggestions with offsets into the input. A Doc normkit did not make has none."""
    text = doc.text
    edits: list[Edit] = []
    shift = 0  # input offset minus output offset
    previous_end = 0
    for start, end, record in _records(doc, EDIT_KEY, len(text)):
        if start < previous_end or text[start:end] != record["after"]:
            raise ValueError(f"doc.user_data holds a normkit edit at {start}:{end} that does not "
                             "match doc.text; the Doc was changed after cleaning")
        edits.append(_edit(start + shift, start + shift + len(record["before"]), record))
        shift += len(record["before"]) - (end - start)
        previous_end = end
    mapped = CleanResult(text, edits)
    suggestions = [_edit(*mapped.input_span(start, end), record)
                   for start, end, record in _records(doc, SUGGESTION_KEY, len(text))]
    return CleanResult(text, list(mapped.edits), suggestions)


def original_text(doc: Doc) -> str:
    """The text as it came in, before cleaning: the edits undone on ``doc.text``."""
    result = clean_result(doc)
    undo = []
    for edit in result.edits:
        start, end = result.output_span(edit.start, edit.end)
        undo.append(Edit(start, end, edit.after, edit.before, edit.kind, edit.confidence, edit.reason))
    return apply_edits(result.text, undo)


def _normkit_edits(doc: Doc) -> list[Edit]:
    return clean_result(doc).edits


def _normkit_suggestions(doc: Doc) -> list[Edit]:
    return clean_result(doc).suggestions


def original_offsets(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The input span of ``doc.text[start:end]``, as :meth:`CleanResult.input_span` maps it, made
    exact where a boundary falls inside an edit but in letters the edit kept (``Kirishi`` of
    ``Kirishi’s``, made from ``Кириshi’s``, is ``Кириshi``); a boundary in changed letters takes in
    the whole edit. Reads the stored edits directly: it runs for every token a caller asks about."""
    records = _records(doc, EDIT_KEY, _text_length(doc))
    return _to_input(records, start, end=False), _to_input(records, end, end=True)


def _to_input(records: list[tuple[int, int, dict[str, Any]]], pos: int, *, end: bool) -> int:
    shift = 0  # input offset minus output offset, after the edits passed
    for out_start, out_end, record in records:
        if out_start > pos:
            break
        before, after = record["before"], record["after"]
        if pos >= out_end:  # past this edit (or at its end)
            shift += len(before) - len(after)
        elif pos == out_start:
            return pos + shift
        else:  # strictly inside: exact in kept letters, else the edit's start or end
            in_start = out_start + shift
            kept = _kept(before, after, pos - out_start)
            return in_start + (kept if kept is not None else len(before) if end else 0)
    return pos + shift


def _kept(before: str, after: str, offset: int) -> int | None:
    """The offset in ``before`` of ``after[offset]`` if it lies in a prefix or suffix the edit kept."""
    prefix, suffix = kept_ends(before, after)
    if offset <= prefix:
        return offset
    if offset >= len(after) - suffix:
        return len(before) - (len(after) - offset)
    return None


def _span_original_offsets(span: Span) -> tuple[int, int]:
    return original_offsets(span.doc, span.start_char, span.end_char)


def _token_original_offsets(token: Token) -> tuple[int, int]:
    return original_offsets(token.doc, token.idx, token.idx + len(token.text))


# Getters are module functions, so spaCy can pickle them to nlp.pipe's worker processes; force=True
# makes a re-import harmless.
Doc.set_extension("normkit_edits", getter=_normkit_edits, force=True)
Doc.set_extension("normkit_suggestions", getter=_normkit_suggestions, force=True)
Doc.set_extension("normkit_result", getter=clean_result, force=True)
Doc.set_extension("original_text", getter=original_text, force=True)
Span.set_extension("original_offsets", getter=_span_original_offsets, force=True)
Token.set_extension("original_offsets", getter=_token_original_offsets, force=True)


# ---------------------------------------------------------------- the linker pipe

LINKER_NAME = "normkit_linker"


class NormkitLinker:
    """``nlp.add_pipe("normkit_linker")``: sets ``doc.ents`` to the Russian names
    :meth:`normkit.Normalizer.link` recognises (label from the entry type: GPE, LOC, PERSON, ORG,
    PRODUCT; ``kb_id_`` the entity id). On a Doc made by ``normkit.Tokenizer.v1`` the names are
    found in the original text and mapped onto the cleaned one (a fixed name's entity covers its
    fix); on a plain tokenizer's Doc, in ``doc.text``. spaCy's own entities that overlap none are kept."""

    def __init__(self, normalizer: Normalizer) -> None:
        self.normalizer = normalizer

    def __call__(self, doc: Doc) -> Doc:
        result = clean_result(doc)
        original = original_text(doc) if result.edits else doc.text
        spans: list[Span] = []
        for found in self.normalizer.link(original):
            start, end = result.output_span(found.start, found.end)
            span = doc.char_span(start, end, label=found.label, kb_id=found.entity_id, alignment_mode="expand")
            if span is not None and len(span) and (not spans or span.start >= spans[-1].end):
                spans.append(span)
        taken = {i for span in spans for i in range(span.start, span.end)}
        kept = [e for e in doc.ents if not taken.intersection(range(e.start, e.end))]
        doc.ents = sorted([*spans, *kept], key=lambda e: e.start)
        return doc


@Language.factory(LINKER_NAME, default_config={"lang": None, "min_confidence": 0.5, "glossaries": []})
def create_linker(nlp: Language, name: str, lang: str | None, min_confidence: float,
                  glossaries: list[str]) -> NormkitLinker:
    """The ``normkit_linker`` pipe; its options are :class:`normkit.Config`'s. With
    ``normkit.Tokenizer.v1`` give it the tokenizer's options, so both clean alike."""
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence!r}")
    return NormkitLinker(load(Config(lang=lang, min_confidence=min_confidence, glossaries=tuple(glossaries))))
