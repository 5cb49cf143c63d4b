"""When two pseudonyms are the same (pure: no database)."""

from __future__ import annotations

import unicodedata

import pytest

from mapping.pseudonyms import COLLISION_SEPARATOR, KEY_MAX_LENGTH, keys_for, pseudonym_key

NFC = unicodedata.normalize("NFC", "Zoé Éloïse")
NFD = unicodedata.normalize("NFD", "Zoé Éloïse")


def test_the_two_unicode_forms_of_one_name_differ_as_text():
    assert NFC != NFD  # what a plain unique index would let through


@pytest.mark.parametrize("typed", [NFC, NFD, "ZOÉ ÉLOÏSE", "zoé éloïse",
                                   unicodedata.normalize("NFD", "ZOÉ ÉLOÏSE"),
                                   "  Zoé   Éloïse ", "Zoé\u00a0Éloïse", "Zoé\tÉloïse"])
def test_case_accents_forms_and_spaces_give_one_key(typed):
    assert pseudonym_key(typed) == pseudonym_key(NFC) == "zoé éloïse"


@pytest.mark.parametrize(("one", "other"), [("Zoé", "Zoe"), ("Élodie", "Elodie"),
                                            ("Jean Marc", "Jean-Marc"), ("Ana", "Anna")])
def test_other_letters_are_other_names(one, other):
    assert pseudonym_key(one) != pseudonym_key(other)


def test_beyond_ascii_case_folds_fully():
    assert pseudonym_key("STRASSE") == pseudonym_key("Straße") == "strasse"
    assert pseudonym_key("ΣΟΦΊΑ") == pseudonym_key("σοφία")


def test_the_key_is_stored_composed():
    key = pseudonym_key(NFD)
    assert unicodedata.is_normalized("NFC", key)


def test_the_longest_name_fits_the_key_column():
    assert len(pseudonym_key("ΐ" * 40) + COLLISION_SEPARATOR + str(2**63)) <= KEY_MAX_LENGTH


def test_collisions_keep_every_row_the_oldest_keeps_the_key():
    keys, collided = keys_for([(1, 7, "Élodie"), (2, 7, "élodie"), (3, 8, "ÉLODIE"),
                               (4, 7, unicodedata.normalize("NFD", "Élodie ")), (5, 7, "Zoé")])
    assert keys == {1: "élodie", 2: f"élodie{COLLISION_SEPARATOR}2", 3: "élodie",
                    4: f"élodie{COLLISION_SEPARATOR}4", 5: "zoé"}
    assert collided == [2, 4]
    assert len({(7, keys[pk]) for pk in (1, 2, 4, 5)}) == 4  # the unique index can be built
