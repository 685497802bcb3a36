"""The reading rule tables (normkit/names/reading_rules.json): each validates and reads its own samples."""
from __future__ import annotations

import json
import re

import pytest

from normkit.names.readings import (RULE_TABLES, RULES_FILE, calque_readings, calque_words, given_name_equivalents,
                                    rule_readings, rule_samples, rule_table)


def test_the_file_has_every_table_with_rules_and_samples() -> None:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    assert data["format"] == "normkit-reading-rules 1"
    for name in RULE_TABLES:
        table = data["tables"][name]
        assert table["description"] and table["rules"] and len(table["samples"]) >= 5
        for pattern, replacement in table["rules"]:
            re.compile(pattern)  # every rule is a valid pattern
            assert isinstance(replacement, str) and replacement == replacement.lower()
    assert len(rule_table("letters")) == len(data["tables"]["letters"]["rules"])


@pytest.mark.parametrize("table", RULE_TABLES)
def test_each_table_reads_its_samples(table: str) -> None:
    for written, reading in rule_samples(table):
        assert reading.lower() in rule_readings(written, table), (table, written, reading)


def test_a_table_does_not_read_what_another_table_does() -> None:
    # a Ukrainian h is no German h: Bilhorod reads as Belgorod only in the Ukrainian table
    assert "belgorod" in rule_readings("Bilhorod", "ukrainian")
    assert "belgorod" not in rule_readings("Bilhorod", "letters")
    assert "samara" not in rule_readings("Samare", "letters")


def test_readings_are_bounded_and_leave_out_the_word() -> None:
    long = "Schtschetschinschtschikowa"
    for table in RULE_TABLES:
        found = rule_readings(long, table)
        assert long.lower() not in found and len(found) <= 96


def test_calques_give_every_gender_and_the_samples() -> None:
    assert all(len(forms) >= 1 for forms in calque_words().values())
    for written, name in rule_samples("calques"):
        assert name in calque_readings(written.split()), written
    assert calque_readings(["Tagil"]) == [] and calque_readings(["Green", "Tagil"]) == []


def test_given_name_equivalents() -> None:
    table = given_name_equivalents()
    assert "andrei" in table["andrew"] and "mikhail" in table["michael"] and "pyotr" in table["peter"]
    assert all(w == w.lower() and forms for w, forms in table.items())
