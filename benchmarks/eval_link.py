"""Entity ids and linking on real text: do name edits carry resolvable ids, and what does `link` find?

    python benchmarks/eval_link.py PATH [PATH ...] [--show N]

PATH is a folder in the ``real_news`` format (``articles.jsonl``, ``annotations.jsonl``). Two checks:

1. **Ids**: every name edit and suggestion (``place_name``, ``person_name``, ``name_variant``) of
   every article, cleaned as one document, carries an ``entity_id`` that
   :func:`normkit.entities.resolve` turns into an entry (what ``normkit gazetteer lookup ID`` does).
   Target 100%.
2. **Linking**: of the annotated place and person mentions (status ok or error) of the English
   articles, the share :func:`normkit.link` finds: a link that overlaps the mention and whose
   entry has a form matching one of the mention's accepted forms (compared by
   :func:`normkit.gazetteer.name_key`; an entry's forms are its names, those names without type
   words (:func:`~normkit.gazetteer.core_name`), and for a person the surname, the last word of
   each Latin name; a feature's names without the words of its type
   (:func:`~normkit.entities.feature_core`: Plesetsk of Plesetsk Cosmodrome); the link's own text
   when it is one of those forms plus type words (Olkhon Island); a ``lexicon:`` link made by
   pattern also matches the form it recognised as written). Mentions linked to an entry that
   spells the name only in another romanisation (same :func:`~normkit.linking.skeleton`) are
   counted apart and not as found. Targets: places 85%, persons 60%. The baseline is an exact gazetteer lookup of the
   mention's own text. Person links are counted by how: a listed person (gazetteer, surname) or a
   lexicon pattern. Every link is also checked against the annotated mentions it overlaps (of
   any type): it agrees (forms match), differs only in romanisation, differs (a wrong entity, or
   a span the annotators cut otherwise), or overlaps none (a name the annotators did not mark, or a false recognition).
Nothing of the data is stored or printed beyond counts, unless ``--show`` lists some misses.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import normkit
from normkit.entities import feature_core, resolve
from normkit.gazetteer import Entry, core_name, default_gazetteer, name_key, name_lexicon
from normkit.linking import Link, skeleton
from normkit.types import NAME_KINDS

TYPES = ("place", "person")


def load(path: Path) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    articles = [json.loads(x) for x in (path / "articles.jsonl").read_text(encoding="utf-8").splitlines() if x]
    notes = {a["id"]: a["mentions"] for a in
             (json.loads(x) for x in (path / "annotations.jsonl").read_text(encoding="utf-8").splitlines() if x)}
    return [(a, notes.get(a["id"], [])) for a in articles]


def form_key(name: str) -> str:
    """Names compared as name_key does, a hyphen and a space alike (Saint-Petersburg, Ulan Ude)."""
    return name_key(name.replace("-", " "))


def forms(entry: Entry | None, found: Link) -> set[str]:
    """The keys of every form a link's entry accepts (see the module's docstring)."""
    out: set[str] = set()
    if entry is not None:
        for name in entry.names:
            out.add(form_key(name))
            out.add(form_key(core_name(name)))
            out.add(form_key(feature_core(name, entry.type)))
            if entry.type == "person" and " " in name:
                out.add(form_key(name.split()[-1]))
        if form_key(core_name(feature_core(found.text, entry.type))) in out:
            out.add(form_key(found.text))  # the name with its type word as written (Olkhon Island)
    if entry is not None and entry.type == "person" and found.how == "surname" and " " in found.text:
        # A full name recognised by its surname (Lev Nikolaevich Tolstoy): the person named so here.
        out.add(form_key(found.text))
    if found.how == "pattern":
        out.add(form_key(found.text))
        out.update(form_key(w) for w in found.text.split())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=0, help="List up to N misses per type (stderr).")
    args = parser.parse_args()
    normalizer = normkit.load()
    gazetteer, lexicon = default_gazetteer(), name_lexicon()
    ids = Counter[str]()
    unresolved: list[str] = []
    found = Counter[tuple[str, str]]()
    totals = Counter[tuple[str, str]]()
    baseline = Counter[tuple[str, str]]()
    variants = Counter[tuple[str, str]]()  # found with an entry that has the name in another romanisation
    how = Counter[str]()
    statuses = Counter[str]()
    misses: dict[str, list[str]] = {t: [] for t in TYPES}
    precision = Counter[str]()
    odd: dict[str, list[str]] = {"variant": [], "differs": [], "unannotated": []}
    for path in args.paths:
        for article, mentions in load(path):
            text = article["text"]
            result = normalizer.clean(text)
            for edit in (*result.edits, *result.suggestions):
                if edit.kind not in NAME_KINDS:
                    continue
                ids["name edits"] += 1
                if edit.entity_id and resolve(edit.entity_id, gazetteer, lexicon) is not None:
                    ids["with a resolvable id"] += 1
                else:
                    unresolved.append(f"{article['id']}: {edit.before} -> {edit.after} ({edit.entity_id})")
            if article.get("lang") != "en":
                continue
            links = normkit.link(text)
            statuses.update(x.status for x in links)
            entries = {x.entity_id: resolve(x.entity_id, gazetteer, lexicon) for x in links}
            for x in links:  # how right the links are: against any annotated mention they overlap
                over = [m for m in mentions if x.start < m["end"] and m["start"] < x.end]
                agreed = any({form_key(a) for a in m["accepted"]} & forms(entries[x.entity_id], x) for m in over)
                variant = not agreed and any(_skeletons(m["accepted"]) & {skeleton(f) for f in forms(entries[x.entity_id], x)}
                                             for m in over)
                verdict = "agrees" if agreed else "variant" if variant else "differs" if over else "unannotated"
                precision[verdict] += 1
                if verdict != "agrees" and len(odd[verdict]) < args.show:
                    odd[verdict].append(f"{article['id']} {x.text!r}={x.entity_id} ({x.how}) "
                                        f"vs {[m['text'] for m in over]}")
            for m in mentions:
                if m["type"] not in TYPES or m["status"] not in ("ok", "error"):
                    continue
                key = (m["type"], m["status"])
                totals[key] += 1
                accepted = {form_key(a) for a in m["accepted"]} | {
                    form_key(a[:-2]) for a in m["accepted"] if a.endswith(("'s", "’s"))}
                if m["status"] == "ok" and any(accepted & forms(e, _NO_LINK) for e in gazetteer.lookup(m["text"])):
                    baseline[key] += 1
                hit = next((x for x in links if x.start < m["end"] and m["start"] < x.end
                            and accepted & forms(entries[x.entity_id], x)), None)
                if hit is not None:
                    found[key] += 1
                    how[f"{m['type']}: {hit.how}"] += 1
                    continue
                if any(x.start < m["end"] and m["start"] < x.end and _skeletons(m["accepted"]) & {
                        skeleton(f) for f in forms(entries[x.entity_id], x)} for x in links):
                    variants[key] += 1
                if len(misses[m["type"]]) < args.show:
                    near = [f"{x.text}={x.entity_id}" for x in links if x.start < m["end"] and m["start"] < x.end]
                    misses[m["type"]].append(f"{article['id']} {m['status']} {m['text']!r} "
                                             f"accepted={m['accepted'][:3]} links={near}")
    share = ids["with a resolvable id"] / ids["name edits"] if ids["name edits"] else 1.0
    print(f"ids: {ids['with a resolvable id']}/{ids['name edits']} name edits and suggestions carry an id "
          f"that resolves ({share:.1%})")
    for line in unresolved[:20]:
        print(f"  unresolved: {line}")
    for kind in TYPES:
        n = sum(totals[(kind, s)] for s in ("ok", "error"))
        k = sum(found[(kind, s)] for s in ("ok", "error"))
        detail = ", ".join(f"{s} {found[(kind, s)]}/{totals[(kind, s)]}" for s in ("ok", "error"))
        base = baseline[(kind, "ok")] / totals[(kind, "ok")] if totals[(kind, "ok")] else 0.0
        v = sum(variants[(kind, s)] for s in ("ok", "error"))
        print(f"link {kind}: {k}/{n} = {k / n if n else 0:.1%} ({detail}); "
              f"baseline exact lookup of ok mentions {base:.1%}; "
              f"+{v} linked to an entry that spells the name otherwise = {(k + v) / n if n else 0:.1%}")
    print("linked by: " + ", ".join(f"{k} {v}" for k, v in sorted(how.items())))
    print("links by status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    total = sum(precision.values())
    print(f"links in English articles: {total}; agree with an annotated mention's forms {precision['agrees']}, "
          f"differ only in romanisation {precision['variant']}, "
          f"overlap one but differ {precision['differs']}, overlap none {precision['unannotated']}")
    for kind, lines in odd.items():
        for line in lines:
            print(f"{kind}: {line}", file=sys.stderr)
    for kind, lines in misses.items():
        for line in lines:
            print(f"miss {kind}: {line}", file=sys.stderr)
    return 0 if share == 1.0 else 1


def _skeletons(names: list[str]) -> set[str]:
    return {skeleton(a) for a in names}


_NO_LINK = Link(0, 0, "", "", "", "", "", "", "ok")

if __name__ == "__main__":
    sys.exit(main())
