"""docs/acoustics.md: every section the code cites exists, and the documented columns are
the importers' own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from layers.importers.csv_formats import DNMS_COLUMNS
from layers.importers.records import LEFT_OUT_FLAGS
from layers.importers.station_csv import REQUIRED, STATION_OPTIONAL

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "acoustics.md").read_text(encoding="utf-8")
SECTIONS = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", DOC, flags=re.MULTILINE))
CITATION = re.compile(r"docs/acoustics\.md`*((?:[ ,]+§\d+(?:\.\d+)?)+)")


def _citations() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "layers").rglob("*.py")) + sorted((ROOT / "exports").rglob("*.py")):
        for match in CITATION.finditer(path.read_text(encoding="utf-8")):
            found += [(str(path.relative_to(ROOT)), s) for s in re.findall(r"§(\d+(?:\.\d+)?)",
                                                                           match.group(1))]
    return found


def test_the_code_cites_the_method_page() -> None:
    assert len(_citations()) > 15


@pytest.mark.parametrize(("path", "section"), _citations())
def test_every_cited_section_exists(path: str, section: str) -> None:
    assert section in SECTIONS, f"{path} cites docs/acoustics.md §{section}"


@pytest.mark.parametrize("column", [*DNMS_COLUMNS, *REQUIRED, "laeq_db", *STATION_OPTIONAL])
def test_every_input_column_is_documented(column: str) -> None:
    assert f"`{column}`" in DOC


@pytest.mark.parametrize("flag", LEFT_OUT_FLAGS)
def test_every_reason_to_leave_a_reading_out_is_documented(flag: str) -> None:
    assert f"| `{flag}` |" in DOC
