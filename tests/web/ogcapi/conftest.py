"""Fixtures of the OGC API tests: the real LASSO survey of Nantes (tests/layers)."""

from __future__ import annotations

from tests.layers.conftest import nantes, nantes_imported  # noqa: F401 — fixtures
