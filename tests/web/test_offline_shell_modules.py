"""Every JavaScript module the citizen page imports is in the offline shell."""

from __future__ import annotations

import re
from pathlib import Path

from web.pages.offline import SHELL_STATIC

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"


def test_every_imported_module_is_cached_for_offline_use() -> None:
    modules = [
        STATIC / "web" / "event_map.js",
        *sorted((STATIC / "web" / "event_map").glob("*.js")),
    ]
    imported = set()
    seen: set[Path] = set()
    while modules:
        module = modules.pop()
        if module in seen or not module.is_file():  # vendor files live in node_modules
            continue
        seen.add(module)
        for target in re.findall(
            r'^import .* from "(\.\.?/[\w/.-]+\.m?js)";', module.read_text(), flags=re.MULTILINE
        ):
            path = (module.parent / target).resolve()
            imported.add(path.relative_to(STATIC).as_posix())
            modules.append(path)
    assert "web/event_map/profile.js" in imported
    assert {"web/basemap.js", "vendor/maplibre-gl/maplibre-gl.mjs"} <= imported
    assert imported - set(SHELL_STATIC) == set()
