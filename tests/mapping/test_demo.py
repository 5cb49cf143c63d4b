"""The demo carto-party: real Chambéry data, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from mapping.models import Contributor, Event, MappedFeature, NuisanceReport, StatusChange
from mapping.osm_file import read_bounds, tagged_nodes
from mapping.services.demo import DEMO_OSM

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_prints_url_and_join_code():
    output = run_demo()
    assert "http://127.0.0.1:8000/events/chambery-centre/" in output
    assert "CHAMBE73" in output
    event = Event.objects.get(slug="chambery-centre")
    # The zone is the <bounds> of the OSM extract.
    assert event.zone.extent == pytest.approx(read_bounds(DEMO_OSM))


def test_demo_is_idempotent():
    run_demo()
    counts = [m.objects.count() for m in (Event, Contributor, MappedFeature, NuisanceReport,
                                          StatusChange)]
    output = run_demo()
    assert "Already there" in output
    assert [m.objects.count() for m in (Event, Contributor, MappedFeature, NuisanceReport,
                                        StatusChange)] == counts


def test_demo_corrects_a_real_osm_bench():
    run_demo()
    bench = next(n for n in tagged_nodes(DEMO_OSM) if n.tags.get("amenity") == "bench")
    feature = MappedFeature.objects.get(osm_id=bench.id)
    assert (feature.osm_type, feature.osm_version) == ("node", bench.version)
    assert feature.tags["amenity"] == "bench"
    assert feature.status == "accepted"


def test_demo_has_a_rejected_report_with_its_reason():
    run_demo()
    rejected = NuisanceReport.objects.get(status="rejected")
    assert "périmètre" in rejected.history.last().reason


def test_osm_file_reader_on_the_real_extract():
    nodes = tagged_nodes(DEMO_OSM)
    amenities = {n.tags.get("amenity") for n in nodes}
    assert {"bench", "recycling", "fountain"} <= amenities
    assert all(n.version >= 1 for n in nodes)
