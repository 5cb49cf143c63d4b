"""Kept for old imports: the profile reads live in :mod:`mapping.selectors.profiles`."""

from __future__ import annotations

from mapping.selectors.profiles import declared_answers, participants_asked, profile_of

__all__ = ["declared_answers", "participants_asked", "profile_of"]
