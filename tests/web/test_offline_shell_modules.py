"""Every JavaScript module the citizen page imports is in the offline shell."""

from __future__ import annotations

import re
from pathlib import Path

from web.pages.offline import SHELL_STATIC

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"


def test_every_imported_module_is_cached_for_offline_use() -> None:
    modules = [STATIC / "web" / "event_map.js",
               *sorted((STATIC / "web" / "event_map").glob("*.js"))]
    imported = set()
    for module in modules:
        for target in re.findall(r'^import .* from "(\./[\w/.]+\.js)";', module.read_text(),
                                 flags=re.MULTILINE):
            imported.add((module.parent / target).resolve().relative_to(STATIC).as_posix())
    assert "web/event_map/profile.js" in imported
    assert imported - set(SHELL_STATIC) == set()
