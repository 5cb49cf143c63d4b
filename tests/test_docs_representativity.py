"""docs/representativity.md stays in step with the code it documents."""

from __future__ import annotations

from pathlib import Path

from layers.representativity.document import CHANNELS
from mapping.profiles import ANSWERS

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "representativity.md").read_text(encoding="utf-8")


def test_the_method_names_every_section_channel_question_and_the_setting() -> None:
    names = ["coverage", "concentration", "time", "profile", "suppression", "top10_share",
             "gini", "lorenz", "blank_spots", "per_1000_inhabitants", "REPRESENTATIVITY_K",
             *CHANNELS]
    assert [n for n in names if f"`{n}" not in DOC and f"{n}`" not in DOC and n not in DOC] == []
    questions = ["age band", "lives in the area", "first participation", "gender"]
    assert all(q in DOC for q in questions)
    assert len(questions) == len(ANSWERS)


def test_the_files_the_method_cites_exist() -> None:
    for path in ("tests/layers/test_representativity_no_differencing.py",
                 "layers/data/population/filosofi2015_200m_talence_begles.csv"):
        assert (ROOT / path).exists(), path
