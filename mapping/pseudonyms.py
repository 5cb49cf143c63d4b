"""When two pseudonyms are the same: one normalised key, the one rule used everywhere.

Two participants of an event may not share a pseudonym "ignoring case, accents' forms and
spaces": ``Élodie`` typed on a French keyboard (NFC, one code point for ``É``), ``élodie``
pasted from a Mac (NFD, ``e`` + combining accent) and ``ÉLODIE  `` are the same person's
name. SQLite's case-insensitive comparison folds only ASCII letters, so the rule cannot be
left to the database: the key is computed here, stored beside the pseudonym and made unique
per event by an index, so that a join finds a taken name in one indexed lookup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# A 40-character pseudonym casefolds to at most 3 code points a character ("ΐ" → 3), plus
# the suffix that keeps apart names that collided before the key existed (``keys_for``).
KEY_MAX_LENGTH = 160
# Cleaned pseudonyms never contain control characters: a suffix after this one cannot be
# the key of a name someone types.
COLLISION_SEPARATOR = "\x1f"


def pseudonym_key(pseudonym: str) -> str:
    """The pseudonym's comparison key: spaces collapsed, canonical caseless form, NFC.

    Unicode's canonical caseless match (``NFD(casefold(NFD(x)))``, Unicode 15 § 3.13),
    stored composed (NFC) so that it stays readable in the database.

    >>> pseudonym_key("  Élodie   Martin ") == pseudonym_key("e\\u0301LODIE martin")
    True
    >>> pseudonym_key("Straße")
    'strasse'
    """
    collapsed = " ".join(pseudonym.split())
    folded = unicodedata.normalize("NFD", collapsed).casefold()
    return unicodedata.normalize("NFC", folded)


def keys_for(rows: Iterable[tuple[int, int, str]]) -> tuple[dict[int, str], list[int]]:
    """Keys of existing participants ``(pk, event_id, pseudonym)``, and who collided.

    Rows are taken in the given order (oldest first): the first holder of a key keeps it,
    a later participant whose name has the same key keeps their pseudonym and contributions
    but gets ``key + COLLISION_SEPARATOR + pk``, so no one is merged or lost and the unique
    index can be built; their pks are returned to be reported.
    """
    keys: dict[int, str] = {}
    taken: set[tuple[int, str]] = set()
    collided: list[int] = []
    for pk, event_id, pseudonym in rows:
        key = pseudonym_key(pseudonym)
        if (event_id, key) in taken:
            collided.append(pk)
            key = f"{key}{COLLISION_SEPARATOR}{pk}"
        taken.add((event_id, key))
        keys[pk] = key
    return keys, collided
