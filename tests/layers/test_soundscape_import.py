"""Soundscape survey CSVs: the real ISD excerpt (London 2019) and our own columns."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Point
from django.core.management import call_command

from layers.importers import detect_format, parse_file
from layers.models import Measurement, Sensor
from layers.services import measurements_import
from mapping.models import EventSite, NuisanceReport, SoundscapeAnswer
from tests.conftest import make_event
from tests.layers.conftest import NOISE

ISD = NOISE / "isd_v0.2.2_london_excerpt.csv"
LONDON = ZoneInfo("Europe/London")
# Camden Town, Pancras Lock and Russell Square; Tate Modern (south of the Thames) is outside.
LONDON_ZONE = {
    "type": "Polygon",
    "coordinates": [
        [[-0.15, 51.515], [-0.12, 51.515], [-0.12, 51.545], [-0.15, 51.545], [-0.15, 51.515]]
    ],
}


def london(slug: str = "london-2019"):  # type: ignore[no-untyped-def]
    return make_event(
        slug,
        zone_geojson=LONDON_ZONE,
        time_zone="Europe/London",
        starts_at=dt.datetime(2019, 4, 1, tzinfo=LONDON),
        ends_at=dt.datetime(2019, 7, 1, tzinfo=LONDON),
    )


def test_isd_export_is_detected_and_parsed_row_by_row():
    assert detect_format(ISD) == "soundscape"
    parsed = parse_file(ISD)
    # 67 rows: PL204 and TM401 have no RecordID (a recording without respondent) → refused
    assert parsed.rows == 67
    assert [(e.row, e.reason) for e in parsed.errors] == [
        (41, "no record id"),
        (67, "no record id"),
    ]
    assert len(parsed.soundscape) == 65
    first = parsed.soundscape[0]
    assert (first.site, first.record_id, first.recording) == ("CamdenTown", "525", "CT101")
    assert first.paq == (2, 4, 3, 2, 1, 2, 4, 3)
    assert (first.loudness, first.overall, first.levels, first.recording_s) == (
        4,
        2,
        {"LAeq": 70.07},
        31.57,
    )
    assert first.observed_at == dt.datetime(2019, 5, 2, 11, 40)  # local, no offset in the file
    # PL202 record 410 left "calm" unanswered: kept, the attribute is None
    r410 = next(r for r in parsed.soundscape if r.record_id == "410")
    assert r410.paq[4] is None
    # TM326 (record 771) says it ended at 12:46 after starting at 17:43
    assert any("record 771" in n and "end_time before start_time" in n for n in parsed.notes)


def test_isd_import_into_an_event(db):
    event = london()
    summary = measurements_import(paths=[ISD], event=event)
    # 65 answers: 9 at Tate Modern are outside the zone (listed), 56 become reports
    assert summary.answers_outside == 9
    outside = [e for e in summary.errors if "outside the event's zone" in e.reason]
    assert len(outside) == 9
    assert all("TateModern" not in e.reason for e in outside)  # listed by record and time
    assert summary.reports_new == 56
    assert SoundscapeAnswer.objects.filter(report__event=event).count() == 56
    # the sites are created at their first answers' coordinates
    assert sorted(EventSite.objects.filter(event=event).values_list("name", flat=True)) == [
        "CamdenTown",
        "PancrasLock",
        "RussellSq",
    ]
    # 42 recordings with an LAeq (all four sites: measurements serve any event), one sensor each
    assert Sensor.objects.filter(source="soundscape").count() == 42
    camden = Sensor.objects.get(code="soundscape:CamdenTown:CT101")
    reading = Measurement.objects.get(sensor=camden, quantity="LAeq")
    assert (reading.value, reading.duration_s) == (70.07, 31.57)
    # 11:40 in London (BST, +01:00) is 10:40 UTC
    assert reading.measured_at == dt.datetime(2019, 5, 2, 10, 40, tzinfo=dt.UTC)
    answer = SoundscapeAnswer.objects.get(report__event=event, record_id="525")
    assert (answer.pleasant, answer.chaotic, answer.loudness, answer.overall) == (2, 4, 4, 2)
    assert (answer.laeq_db, answer.recording, answer.site.name) == (
        70.07,
        "soundscape:CamdenTown:CT101",
        "CamdenTown",
    )
    assert answer.report.intensity == 4  # perceived loudness
    assert answer.report.observed_at == dt.datetime(2019, 5, 2, 10, 40, tzinfo=dt.UTC)
    # answers without a recording (CT105) keep no level
    assert SoundscapeAnswer.objects.get(report__event=event, record_id="555").laeq_db is None


def test_isd_reimport_is_idempotent_and_a_second_event_gets_its_own_reports(db):
    first, second = london(), london("london-again")
    measurements_import(paths=[ISD], event=first)
    again = measurements_import(paths=[ISD], event=first)
    assert (again.reports_new, again.reports_existing, again.readings_new) == (0, 56, 0)
    other = measurements_import(paths=[ISD], event=second)
    assert (other.reports_new, other.reports_existing) == (56, 0)
    assert NuisanceReport.objects.count() == 112
    assert SoundscapeAnswer.objects.count() == 112


def test_isd_outside_the_window_is_counted_and_listed(db):
    event = make_event(
        "london-june",
        zone_geojson=LONDON_ZONE,
        time_zone="Europe/London",
        starts_at=dt.datetime(2019, 6, 1, tzinfo=LONDON),
        ends_at=dt.datetime(2019, 7, 1, tzinfo=LONDON),
    )
    summary = measurements_import(paths=[ISD], event=event)
    # only Russell Square (24 and 27 June) falls in June: 15 answers
    assert summary.reports_new == 15
    window = [e for e in summary.errors if "outside the event's window" in e.reason]
    assert len(window) == 22 + 19 + 9  # Camden (May), Pancras Lock (April), Tate (May)
    assert summary.answers_outside == 50


def test_isd_without_event_keeps_measurements_and_says_why(db):
    summary = measurements_import(paths=[ISD])
    # without a time zone the ISD's local times cannot be read: every row says so
    assert sum("time without offset" in e.reason for e in summary.errors) == 65
    assert summary.reports_new == 0


HEADER = (
    "site_id,record_id,time,lat,lon,pleasant,chaotic,vibrant,uneventful,calm,annoying,"
    "eventful,monotonous,loudness,overall,laeq_db,la90_db,recording_s\n"
)
OWN = (
    HEADER
    + """Square,r1,2019-05-02T11:40:00+01:00,,,4,2,3,2,4,1,3,2,2,4,58.2,49.1,180
Square,r2,2019-05-02T11:45:00+01:00,,,3,3,3,3,3,3,3,3,3,3,,,
Quay,r3,2019-05-02T12:00:00+01:00,,,2,4,3,2,1,2,4,3,4,2,70.1,,
,r4,2019-05-02T12:05:00+01:00,51.53,-0.13,2,4,3,2,1,2,4,3,4,2,70.1,,
Square,r5,2019-05-02T12:10:00+01:00,,,2,6,3,2,1,2,4,3,4,2,,,
Square,r6,2019-05-02T12:10:00+01:00,,,,,,,,,,,4,2,,,
"""
)


def test_own_columns_place_rows_without_coordinates_at_the_events_sites(db, tmp_path: Path):
    event = london()
    EventSite.objects.create(event=event, name="Square", location=Point(-0.13, 51.53, srid=4326))
    path = tmp_path / "survey.csv"
    path.write_text(OWN, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_measurements",
        str(path),
        "--event",
        event.slug,
        "--format",
        "soundscape",
        stdout=out,
    )
    text = out.getvalue()
    assert "reports: 3 new" in text  # r1, r2 at the Square; r4 by its own coordinates
    assert (
        "row 3: record r3: no coordinates and site 'Quay' is not one of the event's sites" in text
    )
    assert "row 5: record r5: chaotic must be a whole number from 1 to 5" in text
    assert "row 6: record r6: none of the eight attributes is answered" in text
    r1 = SoundscapeAnswer.objects.get(record_id="r1")
    assert r1.site.name == "Square"
    assert (r1.report.geometry.x, r1.report.geometry.y) == (-0.13, 51.53)
    sensor = Sensor.objects.get(code="soundscape:Square:2019-05-02T11:40:00+01:00")
    levels = dict(Measurement.objects.filter(sensor=sensor).values_list("quantity", "value"))
    assert levels == {"LAeq": 58.2, "LA90": 49.1}
    r4 = SoundscapeAnswer.objects.get(record_id="r4")
    assert r4.site is None
    assert r4.report.observed_at == dt.datetime(2019, 5, 2, 11, 5, tzinfo=dt.UTC)
