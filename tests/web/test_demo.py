"""The demo carto-parties (``cartoparty demo``): real Chambéry OSM data, real Nantes noise
data, idempotent, and an overlay that shows measured levels."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from layers.models import Measurement, Sensor
from layers.selectors.sensors import event_sensors
from mapping.models import Contributor, Event, MappedFeature, NuisanceReport, StatusChange
from mapping.osm_file import read_bounds, tagged_nodes
from mapping.services.demo import DEMO_OSM

pytestmark = pytest.mark.django_db
MODELS = (Event, Contributor, MappedFeature, NuisanceReport, StatusChange, Sensor, Measurement)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the demo once for the module (~2 s) and roll it back afterwards."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            output = run_demo()
            yield output
            transaction.set_rollback(True)


def test_demo_prints_url_and_join_code(demo_output) -> None:  # type: ignore[no-untyped-def]
    assert "http://127.0.0.1:8000/events/chambery-centre/" in demo_output
    assert "CHAMBE73" in demo_output
    assert "/api/v1/events/nantes-soundscape/overlay/" in demo_output
    assert "Organiser:  demo-organiser / " in demo_output
    event = Event.objects.get(slug="chambery-centre")
    # The zone is the <bounds> of the OSM extract.
    assert event.zone.extent == pytest.approx(read_bounds(DEMO_OSM))


def test_demo_is_idempotent(demo_output) -> None:  # type: ignore[no-untyped-def]
    counts = [m.objects.count() for m in MODELS]
    output = run_demo()
    assert output.count("Already there") == 3
    assert "Organiser:" not in output
    assert [m.objects.count() for m in MODELS] == counts


def test_demo_corrects_a_real_osm_bench(demo_output) -> None:  # type: ignore[no-untyped-def]
    bench = next(n for n in tagged_nodes(DEMO_OSM) if n.tags.get("amenity") == "bench")
    feature = MappedFeature.objects.get(osm_id=bench.id)
    assert (feature.osm_type, feature.osm_version) == ("node", bench.version)
    assert feature.tags["amenity"] == "bench"
    assert feature.status == "accepted"


def test_demo_has_a_rejected_report_with_its_reason(demo_output) -> None:  # type: ignore[no-untyped-def]
    rejected = NuisanceReport.objects.get(status="rejected")
    assert "périmètre" in rejected.history.last().reason


def test_demo_nantes_holds_the_real_lasso_survey(demo_output) -> None:  # type: ignore[no-untyped-def]
    nantes = Event.objects.get(slug="nantes-soundscape")
    sensors = event_sensors(event=nantes)
    assert sensors.count() > 100
    assert set(sensors.values_list("source", flat=True)) == {"lasso"}
    assert NuisanceReport.objects.filter(event=nantes, category="noise").count() == 749
    # The demo organiser may read the officer view of both events.
    assert nantes.roles.filter(user__username="demo-organiser", role="organiser").exists()
    # Chambéry stays without sensors: no simulated data beside real reports.
    assert not event_sensors(event=Event.objects.get(slug="chambery-centre")).exists()


def test_demo_overlay_shows_measured_levels(demo_output, client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/events/nantes-soundscape/overlay/?cell_m=250").json()
    cells = [f["properties"] for f in body["features"]]
    measured = [c for c in cells if c["laeq_db"] is not None]
    assert len(measured) > 20
    assert all(40 < c["laeq_db"] < 100 for c in measured)  # Nantes: 41–96 dB(A)
    assert any(c["kind"] == "both" and c["n_contributors"] for c in measured)


def test_osm_file_reader_on_the_real_extract() -> None:
    nodes = tagged_nodes(DEMO_OSM)
    amenities = {n.tags.get("amenity") for n in nodes}
    assert {"bench", "recycling", "fountain"} <= amenities
    assert all(n.version >= 1 for n in nodes)


def test_demo_http_summary_has_chambery_street_segments(demo_output, client) -> None:  # type: ignore[no-untyped-def]
    # settings.OVERLAY_STREETS_OSM names the demo's .osm extract for chambery-centre.
    client.force_login(Event.objects.get(slug="chambery-centre").roles.get(
        role="organiser").user)
    response = client.get("/api/v1/events/chambery-centre/overlay/summary.html?resamples=100",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Street segments" in response.content.decode()
