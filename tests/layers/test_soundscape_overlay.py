"""The soundscape section of the overlay statistics, on the real ISD excerpt (London 2019)."""

from __future__ import annotations

import io
import json
import math

import pytest
from django.core.management import call_command

from layers.acoustics import laeq_db
from layers.services import measurements_import
from tests.layers.test_soundscape_import import ISD, london

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():  # type: ignore[no-untyped-def]
    event = london()
    measurements_import(paths=[ISD], event=event)
    return event


def test_overlay_stats_json_has_the_soundscape_section(imported):
    out = io.StringIO()
    call_command("overlay_stats", imported.slug, "--json", "--resamples", "200", stdout=out)
    section = json.loads(out.getvalue())["soundscape"]
    assert section["n_answers"] == 56
    assert set(section["individual"]) >= {"rho", "ci_low", "ci_high", "n"}
    # 53 answers beside a recording; CT105 (twice) and PL110 have none and take the LAeq measured
    # near their report by the overlay's join (other recordings of their site, minutes apart)
    assert section["levels_from_join"] == 3
    assert section["individual"]["n"] == 56
    assert section["individual"]["ci_low"] <= section["individual"]["rho"]
    assert section["individual"]["rho"] <= section["individual"]["ci_high"]
    assert section["per_site"]["n_sites"] == 3
    assert section["per_site"]["small_count"] is True  # three sites: too few to conclude
    assert "not an individual correlation" in section["per_site"]["warning"]
    sites = {s["site"]: s for s in section["sites"]}
    assert set(sites) == {"CamdenTown", "PancrasLock", "RussellSq"}
    # Russell Square: 12 recordings; the 81.25 dB one (RS222) dominates energetically:
    # duration-weighted energetic mean 71.68 dB(A) where the arithmetic mean is 66.30.
    rs = sites["RussellSq"]
    assert (rs["n"], rs["n_recordings"]) == (15, 12)
    assert rs["laeq_db"] == pytest.approx(71.68, abs=0.01)
    # The kernel gives the same from the file's recordings (checked independently)
    levels = [66.63, 63.51, 68.18, 81.25, 64.97, 61.68, 61.47, 67.6, 66.63, 71.32, 61.09, 61.31]
    seconds = [33.83, 33.83, 32.76, 32.21, 32.3, 33.55, 33.58, 21, 34.9, 34.69, 36.71, 33.85]
    assert rs["laeq_db"] == pytest.approx(laeq_db(levels, seconds), abs=0.005)
    # mean perceived loudness of 15 answers: 44/15
    assert rs["loudness_mean"] == pytest.approx(44 / 15, abs=1e-4)
    assert sites["CamdenTown"]["laeq_db"] == pytest.approx(70.20, abs=0.01)
    assert sites["PancrasLock"]["laeq_db"] == pytest.approx(59.32, abs=0.01)
    # ISOPleasant of each answer, as the ISD publishes it (4 decimals)
    assert len(section["answers"]) == 56
    assert {"pleasantness": -0.2197, "eventfulness": 0.4268} in section["answers"]  # record 525
    assert {"pleasantness": -0.5, "eventfulness": 0.1036} in section["answers"]  # record 221
    assert all(
        -1 <= a["pleasantness"] <= 1
        for a in section["answers"]
        if a["pleasantness"] is not None and not math.isnan(a["pleasantness"])
    )


def test_no_soundscape_section_without_answers(event):
    out = io.StringIO()
    call_command("overlay_stats", event.slug, "--json", "--resamples", "50", stdout=out)
    assert json.loads(out.getvalue())["soundscape"] is None


def test_overlay_stats_text_puts_the_two_correlations_side_by_side(imported):
    out = io.StringIO()
    call_command("overlay_stats", imported.slug, "--resamples", "100", stdout=out)
    text = out.getvalue()
    assert "soundscape: 56 answers" in text
    assert "per site ρ" in text
    assert "not an individual correlation" in text
    assert "site RussellSq: n = 15" in text


def test_overlay_summary_shows_the_soundscape_and_its_circumplex(imported, tmp_path):
    import base64
    import re

    out = tmp_path / "summary.html"
    call_command(
        "overlay_summary",
        imported.slug,
        "--output",
        str(out),
        "--resamples",
        "100",
        stdout=io.StringIO(),
    )
    page = out.read_text(encoding="utf-8")
    assert "Soundscape (ISO 12913)" in page
    assert "56 answers to the ISO/TS 12913-2 questionnaire." in page
    assert "not an individual correlation" in page
    assert "<td>RussellSq</td><td>15</td>" in page
    svg = re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)
    assert svg is not None
    drawing = base64.b64decode(svg.group(1)).decode()
    assert drawing.startswith("<?xml")
    assert "<svg" in drawing
    assert "RussellSq (n=15)" in drawing
    assert "<script" not in drawing  # an image, nothing that runs


def test_overlay_summary_in_french(imported, tmp_path):
    out = tmp_path / "resume.html"
    call_command(
        "overlay_summary",
        imported.slug,
        "--output",
        str(out),
        "--resamples",
        "50",
        "--language",
        "fr",
        stdout=io.StringIO(),
    )
    page = out.read_text(encoding="utf-8")
    assert "Environnement sonore (ISO 12913)" in page
    assert "pas une corrélation individuelle" in page


def test_api_overlay_gives_the_soundscape_to_officers_only(imported):
    from rest_framework.test import APIClient

    from tests.conftest import role_api

    url = f"/api/v1/events/{imported.slug}/overlay/?cell_m=500&resamples=100"
    public = APIClient().get(url).json()
    assert public["soundscape"] is None  # exact figures: not for the public
    officer = role_api(imported, "officer-ss", "officer").get(url, HTTP_ACCEPT_LANGUAGE="fr")
    section = officer.json()["soundscape"]
    assert section["individual"]["n"] == 56
    assert section["per_site"]["n_sites"] == 3
    assert "pas une corrélation individuelle" in section["per_site"]["warning"]
    assert {s["site"] for s in section["sites"]} == {"CamdenTown", "PancrasLock", "RussellSq"}
