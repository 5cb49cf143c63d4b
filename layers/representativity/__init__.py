"""Representativity analytics (pure): who took part, where, when, and who did not.

``document.representativity`` builds the JSON of ``GET /api/v1/events/{slug}/representativity/``
and ``cartoparty representativity SLUG --json``; see ``docs/representativity.md``.
"""

from __future__ import annotations
