"""Soundscape survey answers brought in by an import: placed, checked against the event, and
stored as noise reports with their soundscape part (docs/acoustics.md §7, §8.6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import shapely
from django.contrib.gis.geos import Point

from layers.importers import Parsed, RowError, SoundscapeRecord
from layers.importers.soundscape_csv import localised, placed, survey_measurements
from layers.services.imported_reports import _contributor, report_id
from mapping.errors import CartopartyError
from mapping.models import Channel, Event, EventSite, SoundscapeAnswer
from mapping.services.contributions import Author
from mapping.services.reports import report_submit
from mapping.soundscape import PAQ_ATTRIBUTES


@dataclass
class SurveyPrepared:
    """The answers an event will receive, and what the preparation noticed."""

    answers: list[SoundscapeRecord] = field(default_factory=list)
    outside: int = 0
    sites_created: list[str] = field(default_factory=list)


def _site_places(
    event: Event | None, records: Sequence[SoundscapeRecord]
) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """The place of every site named in ``records``: the event's own sites; a site the event
    does not have yet is created at its first located answer inside the event's zone."""
    if event is None:
        return {}, []
    area = shapely.from_wkb(bytes(event.zone.wkb))
    names = {r.site for r in records if r.site}
    places = {
        s.name: (s.location.x, s.location.y)
        for s in EventSite.objects.filter(event=event, name__in=names)
    }
    created = []
    for record in records:
        if (
            record.site
            and record.site not in places
            and record.lon is not None
            and area.intersects(shapely.Point(record.lon, record.lat))
        ):
            EventSite.objects.create(
                event=event, name=record.site, location=Point(record.lon, record.lat, srid=4326)
            )
            places[record.site] = (record.lon, record.lat)  # type: ignore[assignment]
            created.append(record.site)
    return places, created


def survey_prepare(parsed: Parsed, event: Event | None, file: str) -> SurveyPrepared:
    """Place and date the survey's answers, add their recordings to ``parsed`` as spot
    sensors and readings, and keep the answers ``event`` will receive.

    Refused, row by row (``parsed.errors``): a time without offset when no event gives a
    time zone; no coordinates and a site the event does not define. Counted and listed, not
    stored as the event's reports: answers outside the event's zone or window (their
    recordings are stored: they may serve another event).
    """
    prepared = SurveyPrepared()
    records: list[SoundscapeRecord] = parsed.soundscape
    zone = ZoneInfo(event.time_zone) if event is not None else None
    places, prepared.sites_created = _site_places(event, records)
    for site in prepared.sites_created:
        parsed.notes.append(
            f"{file}: site {site!r} added to the event at its first answer's coordinates"
        )
    ready: list[SoundscapeRecord] = []
    for record in records:
        if record.observed_at.tzinfo is None:
            if zone is None:
                parsed.errors.append(
                    RowError(
                        file,
                        record.row,
                        f"record {record.record_id}: "
                        "time without offset; give --event (its time "
                        "zone reads it)",
                    )
                )
                continue
            record = localised(record, zone)
        else:
            record = localised(record, ZoneInfo("UTC"))
        if record.lon is None:
            if record.site not in places:
                parsed.errors.append(
                    RowError(
                        file,
                        record.row,
                        f"record {record.record_id}: no coordinates and site "
                        f"{record.site!r} is not one of the event's sites",
                    )
                )
                continue
            record = placed(record, *places[record.site])
        ready.append(record)
    sensors, readings = survey_measurements(ready)
    parsed.sensors.extend(sensors)
    parsed.readings.extend(readings)
    if event is None:
        prepared.answers = ready
        return prepared
    area = shapely.from_wkb(bytes(event.zone.wkb))
    for record in ready:
        if not event.starts_at <= record.observed_at < event.ends_at:
            where = (
                f"outside the event's window ({event.starts_at:%Y-%m-%d %H:%M} – "
                f"{event.ends_at:%Y-%m-%d %H:%M} UTC)"
            )
        elif not area.intersects(shapely.Point(record.lon, record.lat)):
            where = "outside the event's zone"
        else:
            prepared.answers.append(record)
            continue
        prepared.outside += 1
        parsed.errors.append(
            RowError(
                file,
                record.row,
                f"record {record.record_id} at "
                f"{record.observed_at:%Y-%m-%d %H:%M} UTC: {where}; "
                "not a report of this event",
            )
        )
    return prepared


def _answer(record: SoundscapeRecord, sites: dict[str, EventSite]) -> SoundscapeAnswer:
    return SoundscapeAnswer(
        site=sites.get(record.site),
        **dict(zip(PAQ_ATTRIBUTES, record.paq, strict=True)),
        loudness=record.loudness,
        overall=record.overall,
        laeq_db=record.levels.get("LAeq"),
        recording=record.sensor_code if record.levels else "",
        record_id=record.record_id,
    )


def survey_reports_store(
    answers: Sequence[SoundscapeRecord], event: Event, file: str, errors: list[RowError]
) -> tuple[int, int]:
    """Store the answers as noise reports of ``event`` with their soundscape part; ids stable
    per event (re-import stores nothing new, another event gets its own); (new, kept)."""
    sites = {s.name: s for s in EventSite.objects.filter(event=event)}
    authors: dict[str, Author] = {}
    counts = {True: 0, False: 0}
    for record in answers:
        if record.loudness is None:
            errors.append(
                RowError(
                    file,
                    record.row,
                    f"record {record.record_id}: no perceived "
                    "loudness, which is the report's intensity",
                )
            )
            continue
        if record.group not in authors:
            authors[record.group] = Author(
                contributor=_contributor(event, record.group),
                entered_by=None,
                channel=Channel.IMPORT,
            )
        where = f"site {record.site}, " if record.site else ""
        try:
            _, created = report_submit(
                event=event,
                author=authors[record.group],
                geometry={"type": "Point", "coordinates": [record.lon, record.lat]},
                category="noise",
                intensity=record.loudness,
                sources=[],
                observed_at=min(record.observed_at, dt.datetime.now(dt.UTC)),
                comment=f"Soundscape survey {file}: {where}record {record.record_id}.",
                contribution_id=report_id(event, record.key),
                soundscape_answer_ready=_answer(record, sites),
            )
        except CartopartyError as exc:
            errors.append(RowError(file, record.row, f"record {record.record_id}: {exc.message}"))
            continue
        counts[created] += 1
    return counts[True], counts[False]
