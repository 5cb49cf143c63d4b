"""Our ISO/TS 12913-3 projection against the coordinates the ISD publishes (computed by its
authors, who also wrote Soundscapy), on the tests' ISD v0.2.2 excerpt.

Soundscapy 0.8.5 pins pandas < 3 and numpy < 2.4, which our stack has outgrown, so it is not
installed; the ISD's own ``ISOPleasant``/``ISOEventful`` columns are the independent oracle.
Run: ``.venv/bin/python bench/soundscape_check.py`` (results in bench/results/soundscape_check.txt).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from layers.soundscape import PAQ_ATTRIBUTES, iso_coordinates

ISD = Path(__file__).resolve().parents[1] / "tests/data/noise/isd_v0.2.2_london_excerpt.csv"


def main() -> None:
    rows = [r for r in csv.DictReader(ISD.open(encoding="utf-8")) if r["RecordID"]]
    paq = np.array([[float(r[a]) if r[a] else np.nan for a in PAQ_ATTRIBUTES] for r in rows])
    pleasant, eventful = iso_coordinates(paq)
    published = np.array([[float(r["ISOPleasant"]), float(r["ISOEventful"])] for r in rows])
    complete = ~np.isnan(pleasant)
    dp = np.abs(pleasant[complete] - published[complete, 0])
    de = np.abs(eventful[complete] - published[complete, 1])
    print(f"answers: {len(rows)}, all eight attributes answered: {int(complete.sum())}")
    print(
        f"max |ISOPleasant − ISD| = {dp.max():.6f}, max |ISOEventful − ISD| = {de.max():.6f}"
        " (the ISD rounds to 4 decimals: ≤ 0.00005 expected)"
    )
    incomplete = [r["RecordID"] for r, c in zip(rows, complete, strict=True) if not c]
    print(
        f"answers with an unanswered attribute (no coordinates here, the ISD gives some): "
        f"{', '.join(incomplete)}"
    )


if __name__ == "__main__":
    main()
