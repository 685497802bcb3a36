"""``normkit.translate`` and ``normkit.translate_many``: clean, protect names, detect, batch, restore."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence

from normkit.types import Edit

from . import placeholders as ph
from .engine import DecodeOptions, Output
from .errors import ModelNotFoundError
from .extra import require_translate_extra
from .sentences import sentence_spans

if TYPE_CHECKING:
    from argostranslate.package import Package
    from normkit.gazetteer import Gazetteer
    from normkit.normalizer import Normalizer

ProgressFn = Callable[[int, int], None]  # (sentences done, sentences to do)
ALWAYS_CANDIDATES = frozenset({"en", "ru"})  # languages paragraph detection always considers
_GROUP_CHARS = 200_000  # documents are gathered up to this size before one batched run


@dataclass(frozen=True)
class ProtectedEntity:
    """A name kept out of MT. Offsets are into the cleaned source text."""

    text: str
    target: str | None  # the form written in the translation; None when the model translated it
    start: int
    end: int
    kind: str
    entry_id: str | None
    status: str         # "restored", or "fallback" when its placeholder was lost and MT translated it

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class TranslationResult:
    text: str
    source_lang: str                 # the language of most of the text (``"und"`` when none)
    target_lang: str
    edits: list[Edit] = field(default_factory=list)          # from clean(), offsets into the input
    protected: list[ProtectedEntity] = field(default_factory=list)
    cleaned: str = ""                # the text that was translated
    paragraphs: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, lang) in cleaned
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values (as ``normkit translate --format json`` writes them)."""
        return {"text": self.text, "source_lang": self.source_lang, "target_lang": self.target_lang,
                "edits": [e.to_dict() for e in self.edits],
                "protected": [p.to_dict() for p in self.protected],
                "paragraphs": [list(p) for p in self.paragraphs], "warnings": list(self.warnings)}


@dataclass(eq=False)
class _Sentence:
    text: str
    offset: int               # start in the cleaned document
    src: str
    spans: list[ph.Span]      # relative to the sentence
    masked: list[bool] = field(default_factory=list)
    fell_back: set[int] = field(default_factory=set)
    output: Output | None = None

    def active(self) -> list[ph.Span]:
        return [s for s, m in zip(self.spans, self.masked) if m]


@dataclass(frozen=True)
class _Sep:
    """Whitespace between two sentences of a line; dropped if the next translation glues on (as argos)."""

    ws: str
    nxt: _Sentence


@dataclass
class _Doc:
    cleaned: str
    edits: list[Edit]
    paragraphs: list[tuple[int, int, str]]
    parts: list[str | _Sentence | _Sep] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def translate(text: str, target: str = "en", source: str = "auto", *, clean: bool = True,
              protect_names: bool = True, glossary: Mapping[str, str] | None = None,
              gazetteer: "Gazetteer | None" = None, options: DecodeOptions | None = None) -> TranslationResult:
    """Translate one text offline (see :func:`translate_many`)."""
    return next(translate_many([text], target, source, clean=clean, protect_names=protect_names,
                               glossary=glossary, gazetteer=gazetteer, options=options))


def translate_many(texts: Iterable[str], target: str = "en", source: str = "auto", *, clean: bool = True,
                   protect_names: bool = True, glossary: Mapping[str, str] | None = None,
                   gazetteer: "Gazetteer | None" = None,
                   options: DecodeOptions | None = None,
                   progress: ProgressFn | None = None) -> Iterator[TranslationResult]:
    """Translate texts offline, yielding results in order.

    Each text is cleaned (unless ``clean=False``); names found by the gazetteer, names clean()
    corrected and ``glossary`` terms are protected by placeholders and written in the target's form
    (``protect_names=False`` leaves names to the model; glossary terms are still protected).
    ``source="auto"`` detects the language paragraph by paragraph; paragraphs already in ``target``
    pass through. Sentences of many documents go to CTranslate2 together.
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError("translate_many() needs an iterable of str (one per document), not a single "
                        f"{type(texts).__name__}; use translate() for one text")
    options = options or DecodeOptions()
    setup = _Setup(clean, protect_names, dict(glossary or {}), gazetteer)
    counter = _Counter(progress)  # counts across groups, so a progress bar never goes back
    group: list[str] = []
    size = 0
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"translate needs each text as a str, not {type(text).__name__}")
        group.append(text)
        size += len(text)
        if size >= _GROUP_CHARS:
            yield from _run(group, target, source, setup, options, counter)
            group, size = [], 0
    if group:
        yield from _run(group, target, source, setup, options, counter)


# --- one group of documents -------------------------------------------------------------------

@dataclass(frozen=True)
class _Setup:
    clean: bool
    protect_names: bool
    glossary: dict[str, str]
    gazetteer: "Gazetteer | None"


def _run(texts: list[str], target: str, source: str, setup: _Setup, options: DecodeOptions,
         counter: "_Counter") -> Iterator[TranslationResult]:
    from . import models
    from normkit.langid import detect_language, paragraph_spans, script_profile

    require_translate_extra()
    models.check_language(target)
    if source != "auto":
        models.check_language(source)
    packages = models.installed_packages()
    # English and Russian are always candidates, so text is never labelled as the target language
    # just because the target is the only candidate (English "translated" to German untouched).
    candidates = {c for p in packages for c in (p.from_code, p.to_code)} | {target} | ALWAYS_CANDIDATES
    unroutable: dict[str, Exception] = {}  # detected languages no installed model translates

    def routable(lang: str) -> bool:
        if source != "auto" or lang in (target, "und"):
            return True  # a language the user named must have a model: find_route says so below
        if lang not in unroutable:
            try:
                models.find_route(lang, target, packages)
                unroutable.pop(lang, None)
                return True
            except ModelNotFoundError as exc:
                unroutable[lang] = exc
        return False

    docs: list[_Doc] = []
    for text in texts:
        cleaned, edits, spans = _clean_and_protect(text, setup, None if source == "auto" else source)
        paragraphs = []
        for a, b in paragraph_spans(cleaned):
            chunk = cleaned[a:b]
            if not script_profile(chunk):
                lang = "und"
            else:
                lang = source if source != "auto" else detect_language(chunk, candidates)
            paragraphs.append((a, b, lang))
        doc = _Doc(cleaned, edits, paragraphs)
        # Detected as a language no model translates: that paragraph passes through, with a warning.
        literal = {lang for _, _, lang in paragraphs if not routable(lang)}
        doc.warnings += [f"no installed model translates {lang} → {target}: its paragraphs were left as they are"
                         f" ({models.install_hint(lang, target)})" for lang in sorted(literal)]
        _segment(doc, spans, target, literal)
        docs.append(doc)

    sentences = [p for d in docs for p in d.parts if isinstance(p, _Sentence)]
    if not sentences and unroutable:
        raise next(iter(unroutable.values()))  # nothing at all could be translated: say how to install
    by_src: dict[str, list[_Sentence]] = {}
    for s in sentences:
        by_src.setdefault(s.src, []).append(s)
    routes = {src: models.find_route(src, target, packages) for src in sorted(by_src)}  # fail early
    counter.add_total(sum(len(routes[k]) * len(v) for k, v in by_src.items()))
    for src, group in by_src.items():
        _translate_group(group, routes[src], target, options, counter)
    for doc in docs:
        yield _result(doc, target)


class _Counter:
    def __init__(self, progress: ProgressFn | None) -> None:
        self.progress, self.total, self.done = progress, 0, 0

    def add_total(self, n: int) -> None:
        self.total += n

    def __call__(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)


def _clean_and_protect(text: str, setup: _Setup, lang: str | None) -> tuple[str, list[Edit], list[ph.Span]]:
    from normkit.normalizer import load

    # A source language given by the user tells clean() which script repairs aim at; the shared
    # Normalizer for it cleans, and its gazetteer finds the names to keep out of the model.
    normalizer = load(lang=lang)
    edit_spans: list[ph.Span] = []
    if setup.clean:
        result = normalizer.clean(text)
        cleaned, edits = result.text, list(result.edits)
        edit_spans = ph.spans_from_edits(result)
    else:
        cleaned, edits = text, []
    glossary = ph.spans_from_glossary(cleaned, setup.glossary)
    if not setup.protect_names:
        return cleaned, edits, ph.merge_spans(glossary)
    names = _name_spans(cleaned, normalizer, setup.gazetteer)
    return cleaned, edits, ph.merge_spans(glossary, names, edit_spans)


def _name_spans(text: str, normalizer: "Normalizer", gazetteer: "Gazetteer | None") -> list[ph.Span]:
    """Names to protect: the Normalizer's gazetteer finds them, or the one the caller gave."""
    if gazetteer is None:
        return ph.spans_from_matches(normalizer.find_names(text))
    from normkit.lexicon import Lexicon
    from normkit.names.finder import find_names

    return ph.spans_from_matches(find_names(text, gazetteer, Lexicon()))


def _segment(doc: _Doc, spans: list[ph.Span], target: str, literal: set[str] = set()) -> None:
    """Split translatable paragraphs into lines and sentences; everything else stays literal."""
    text, parts, pos = doc.cleaned, doc.parts, 0
    for a, b, lang in doc.paragraphs:
        parts.append(text[pos:a])
        pos = b
        if lang in (target, "und") or lang in literal:
            parts.append(text[a:b])
            continue
        line_start = a
        while line_start <= b:
            nl = text.find("\n", line_start, b)
            line_end = b if nl < 0 else nl
            _segment_line(doc, text, line_start, line_end, lang, spans)
            if nl < 0:
                break
            parts.append("\n")
            line_start = nl + 1
    parts.append(text[pos:])


def _segment_line(doc: _Doc, text: str, start: int, end: int, lang: str, spans: list[ph.Span]) -> None:
    line = text[start:end]
    inside = [s for s in spans if start <= s.start and s.end <= end]
    bounds = sentence_spans(line, [(s.start - start, s.end - start) for s in inside])
    prev_end = 0
    for k, (a, b) in enumerate(bounds):
        own = [s.shifted(-(start + a)) for s in inside if start + a <= s.start and s.end <= start + b]
        sentence = _Sentence(line[a:b], start + a, lang, own, [True] * len(own))
        ws = line[prev_end:a]
        doc.parts.append(_Sep(ws, sentence) if k else ws)
        doc.parts.append(sentence)
        prev_end = b
    doc.parts.append(line[prev_end:])


def _run_route(route: Sequence["Package"], texts: list[str], options: DecodeOptions,
               counter: _Counter) -> list[Output]:
    from .engine import translate_sentences

    outputs = [Output(t, True) for t in texts]
    for pkg in route:  # pivot: the English output of one leg is the input of the next
        outputs = translate_sentences(pkg, [o.text for o in outputs], options, counter)
    return outputs


def _translate_group(group: list[_Sentence], route: Sequence["Package"], target: str,
                     options: DecodeOptions, counter: _Counter) -> None:
    """Translate, restore names; sentences whose placeholders got lost go again with those names
    unmasked (round 1), then with none masked (round 2)."""
    pending = group
    for round_ in range(3):
        if not pending:
            return
        if round_:
            counter.add_total(len(route) * len(pending))
        if round_ == 2:
            for s in pending:
                s.fell_back.update(i for i, m in enumerate(s.masked) if m)
                s.masked = [False] * len(s.spans)
        outputs = _run_route(route, [ph.mask(s.text, s.active()) for s in pending], options, counter)
        retry = []
        for s, out in zip(pending, outputs):
            active_ids = [i for i, m in enumerate(s.masked) if m]
            restored, failed = ph.restore(out.text, s.active(), target)
            if failed:
                for f in failed:
                    s.masked[active_ids[f]] = False
                    s.fell_back.add(active_ids[f])
                retry.append(s)
            else:
                s.output = Output(restored, out.leading_space)
        pending = retry


def _result(doc: _Doc, target: str) -> TranslationResult:
    out: list[str] = []
    protected: list[ProtectedEntity] = []
    warnings: list[str] = list(doc.warnings)
    for part in doc.parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, _Sep):
            assert part.nxt.output is not None
            out.append(part.ws if part.nxt.output.leading_space else "")
        else:
            assert part.output is not None
            out.append(part.output.text)
            for i, span in enumerate(part.spans):
                fell = i in part.fell_back
                protected.append(ProtectedEntity(
                    span.text, None if fell else span.target_form(target), part.offset + span.start,
                    part.offset + span.end, span.kind, span.entry_id, "fallback" if fell else "restored"))
                if fell:
                    warnings.append(f"the {part.src} → {target} model lost the placeholder for {span.text!r}; "
                                    f"the name was translated with its sentence")
    weight: Counter[str] = Counter()
    for a, b, lang in doc.paragraphs:
        if lang != "und":
            weight[lang] += b - a
    source_lang = weight.most_common(1)[0][0] if weight else "und"
    return TranslationResult("".join(out), source_lang, target, doc.edits, protected, doc.cleaned,
                             doc.paragraphs, warnings)
