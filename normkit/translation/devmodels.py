"""Build Argos packages without downloading anything: for tests and the benchmark.

* :func:`copy_package` — a tiny package (tens of KB) whose one-layer Transformer, with weights set by
  hand, copies its input token by token (optionally swapping given character pairs). Translation
  through it is exact, so tests can check that names and placeholders come back right.
* :func:`random_package` — the architecture of Argos ru→en packages (Transformer base: 6+6 layers,
  d_model 512, 8 heads, FFN 2048, a 32k vocabulary) with random weights, for timing.

Both are real ``.argosmodel`` zips: a CTranslate2 model written with its spec API and a
SentencePiece model trained on the fly.
"""
from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np

LANG_NAMES = {"ru": "Russian", "en": "English", "de": "German", "uk": "Ukrainian", "fr": "French"}
ALPHABET = ("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüßÄÖÜéèêàçіїєґІЇЄҐў"
            "0123456789 .,;:!?-–—()[]«»\"'/%&+=*№…")


def train_sentencepiece(sentences: Iterable[str], *, vocab_size: int, model_type: str = "unigram",
                        max_sentences: int = 200_000) -> bytes:
    """A SentencePiece model (serialised). ``identity`` normalisation: text comes back unchanged."""
    import sentencepiece as spm

    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(sentences)[:max_sentences]), model_writer=out, vocab_size=vocab_size,
        model_type=model_type, character_coverage=1.0, normalization_rule_name="identity",
        hard_vocab_limit=False, minloglevel=2, num_threads=1)
    return out.getvalue()


def _pieces(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _codes(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """n random ±1 codes; distinct, so a dot product picks each one out."""
    while True:
        codes = rng.choice([-1.0, 1.0], size=(n, dim)).astype(np.float32)
        gram = codes @ codes.T
        np.fill_diagonal(gram, 0)
        if gram.max() < dim - 4:
            return codes


def build_copy_model(model_dir: Path, vocab: list[str], *, swaps: Mapping[str, str] | None = None,
                     max_len: int = 256, dim: int = 32, seed: int = 0) -> None:
    """A 1+1-layer Transformer whose decoder step t attends to source position t and emits that
    token (or its swap partner). Residual stream: [token code | position code | copied code]."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    tok, pos = _codes(rng, len(vocab), dim), _codes(rng, max_len, dim)
    d = 3 * dim
    T, P, C = slice(0, dim), slice(dim, 2 * dim), slice(2 * dim, d)
    spec = transformer_spec.TransformerSpec.from_config(1, 1)

    def norm(layer: Any) -> None:  # CTranslate2's spec objects are untyped
        layer.gamma, layer.beta = np.ones(d, np.float32), np.zeros(d, np.float32)

    def linear(layer: Any, weight: np.ndarray) -> None:
        layer.weight, layer.bias = weight, np.zeros(weight.shape[0], np.float32)

    emb = np.zeros((len(vocab), d), np.float32)
    emb[:, T] = tok
    pe = np.zeros((max_len, d), np.float32)
    pe[:, P] = pos
    for side in (spec.encoder, spec.decoder):
        side.scale_embeddings = False
        (side.embeddings[0] if isinstance(side.embeddings, list) else side.embeddings).weight = emb
        side.position_encodings.encodings = pe
        norm(side.layer_norm)
        for layer in side.layer:  # self-attention and FFN write zeros: the residual passes through
            norm(layer.self_attention.layer_norm)
            linear(layer.self_attention.linear[0], np.zeros((3 * d, d), np.float32))
            linear(layer.self_attention.linear[1], np.zeros((d, d), np.float32))
            norm(layer.ffn.layer_norm)
            linear(layer.ffn.linear_0, np.zeros((4, d), np.float32))
            linear(layer.ffn.linear_1, np.zeros((d, 4), np.float32))
    cross = spec.decoder.layer[0].attention
    norm(cross.layer_norm)
    query = np.zeros((d, d), np.float32)
    query[P, P] = 20.0 * np.eye(dim)  # sharp: attend to the source position equal to the step
    key_value = np.zeros((2 * d, d), np.float32)
    key_value[P, P] = np.eye(dim)
    key_value[d + 2 * dim:, T] = np.eye(dim)  # value: the source token's code, into the C block
    linear(cross.linear[0], query)
    linear(cross.linear[1], key_value)
    linear(cross.linear[2], np.eye(d, dtype=np.float32))
    index = {p: i for i, p in enumerate(vocab)}
    source_of = list(range(len(vocab)))  # output token v is emitted for source token source_of[v]
    for a, b in (swaps or {}).items():
        for x, y in ((a, b), (b, a)):
            if x in index and y in index:
                source_of[index[x]] = index[y]
    projection = np.zeros((len(vocab), d), np.float32)
    projection[:, C] = 10.0 * tok[source_of]
    linear(spec.decoder.projection, projection)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.add_source_eos = True  # the copied </s> ends decoding
    _save(spec, model_dir, "int8")


def build_random_transformer(model_dir: Path, vocab: list[str], *, vocab_size: int = 32000, layers: int = 6,
                             d_model: int = 512, heads: int = 8, ffn: int = 2048, seed: int = 0) -> None:
    """Transformer base with random weights; the vocabulary is padded to ``vocab_size`` entries the
    output layer never picks (so decoding costs what a 32k-vocabulary model costs)."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    full = list(vocab) + [f"<extra_{i}>" for i in range(max(0, vocab_size - len(vocab)))]
    spec = transformer_spec.TransformerSpec.from_config(layers, heads)

    def rand(rows: int, cols: int) -> np.ndarray:
        values: np.ndarray = rng.standard_normal((rows, cols), dtype=np.float32) / np.sqrt(cols)
        return values.astype(np.float32)

    def fill(norm: Any) -> None:  # layer norms start as identity
        norm.gamma, norm.beta = np.ones(d_model, np.float32), np.zeros(d_model, np.float32)

    embeddings = rand(len(full), d_model)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings  # shared vocabulary, tied weights, as in Argos models
    for side in (spec.encoder, spec.decoder):
        fill(side.layer_norm)
        for layer in side.layer:
            attentions = [layer.self_attention] + ([layer.attention] if hasattr(layer, "attention") else [])
            for att in attentions:
                fill(att.layer_norm)
                if len(att.linear) == 2:  # self-attention: fused QKV
                    att.linear[0].weight, att.linear[0].bias = rand(3 * d_model, d_model), np.zeros(3 * d_model, np.float32)
                else:  # encoder-decoder attention: Q, fused KV
                    att.linear[0].weight, att.linear[0].bias = rand(d_model, d_model), np.zeros(d_model, np.float32)
                    att.linear[1].weight, att.linear[1].bias = rand(2 * d_model, d_model), np.zeros(2 * d_model, np.float32)
                att.linear[-1].weight, att.linear[-1].bias = rand(d_model, d_model), np.zeros(d_model, np.float32)
            fill(layer.ffn.layer_norm)
            layer.ffn.linear_0.weight, layer.ffn.linear_0.bias = rand(ffn, d_model), np.zeros(ffn, np.float32)
            layer.ffn.linear_1.weight, layer.ffn.linear_1.bias = rand(d_model, ffn), np.zeros(d_model, np.float32)
    bias = np.zeros(len(full), np.float32)
    bias[len(vocab):] = -1e4  # padding entries: computed, never chosen
    spec.decoder.projection.weight, spec.decoder.projection.bias = embeddings, bias
    spec.register_source_vocabulary(full)
    spec.register_target_vocabulary(full)
    _save(spec, model_dir, "int8")


def _save(spec: Any, model_dir: Path, quantization: str) -> None:
    spec.validate()
    spec.optimize(quantization=quantization)
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))


def write_argosmodel(dest: Path, from_code: str, to_code: str, sp_model: bytes,
                     build: Callable[[Path, list[str]], None], *, version: str = "1.0") -> Path:
    """Write ``dest`` (a ``.argosmodel`` zip with one top folder) around a model ``build`` writes."""
    top = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    metadata = {"package_version": version, "argos_version": "1.9", "from_code": from_code,
                "to_code": to_code, "from_name": LANG_NAMES.get(from_code, from_code),
                "to_name": LANG_NAMES.get(to_code, to_code), "type": "translate",
                "links": [f"{top}.argosmodel"]}
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        build(model_dir, _pieces(sp_model))
        dest.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{top}/metadata.json", json.dumps(metadata, indent=2))
            zf.writestr(f"{top}/sentencepiece.model", sp_model)
            zf.writestr(f"{top}/README.md", f"Built by normkit.translation.devmodels ({build.__name__}).\n")
            for file in sorted(model_dir.iterdir()):
                zf.write(file, f"{top}/model/{file.name}")
    return dest


def copy_package(dest: Path, from_code: str = "ru", to_code: str = "en", *,
                 swaps: Mapping[str, str] | None = None, extra_text: str = "") -> Path:
    """A tiny copying package; ``swaps`` exchanges characters (``{"а": "б"}`` swaps both ways)."""
    chars = sorted(set(ALPHABET + extra_text) - {" "})
    sp_model = train_sentencepiece(["".join(chars)] + [ALPHABET] * 3, vocab_size=len(chars) + 8,
                                   model_type="char")

    def build(model_dir: Path, vocab: list[str]) -> None:
        build_copy_model(model_dir, vocab, swaps=swaps)

    build.__name__ = "copy_package"
    return write_argosmodel(dest, from_code, to_code, sp_model, build)


def random_package(dest: Path, corpus: list[str], from_code: str = "ru", to_code: str = "en", *,
                   sp_vocab: int = 8000, seed: int = 0) -> Path:
    """A package with the cost of Argos ru→en: SentencePiece trained on ``corpus``, random weights."""
    sp_model = train_sentencepiece(corpus, vocab_size=sp_vocab)

    def build(model_dir: Path, vocab: list[str]) -> None:
        build_random_transformer(model_dir, vocab, seed=seed)

    build.__name__ = "random_package"
    return write_argosmodel(dest, from_code, to_code, sp_model, build)
