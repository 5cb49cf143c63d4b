"""Reads of an event's soundscape answers (ISO 12913) for the overlay's figures."""

from __future__ import annotations

import pandas as pd
from django.db.models import Q

from layers.models import Sensor
from mapping.models import Event, SoundscapeAnswer
from mapping.soundscape import PAQ_ATTRIBUTES
from mapping.workflow import Status

COLUMNS = (
    "report_id",
    "contributor_id",
    "site",
    *PAQ_ATTRIBUTES,
    "loudness",
    "laeq_db",
    "recording",
    "recording_s",
)


def soundscape_frame(*, event: Event) -> pd.DataFrame:
    """One row per soundscape answer of the event's noise reports (rejected and merged left
    out): ``report_id`` (str), ``contributor_id`` (str), ``site`` (name, "" without one), the
    eight attributes and ``loudness`` (1–5, NaN unanswered), ``laeq_db`` (the LAeq recorded
    beside the answer, NaN without one), ``recording`` (its sensor code) and ``recording_s``
    (its duration, s, NaN unknown). Two queries."""
    rows = list(
        SoundscapeAnswer.objects.filter(report__event=event)
        .filter(~Q(report__status__in=[Status.REJECTED, Status.MERGED]))
        .order_by("report__observed_at", "report_id")
        .values_list(
            "report_id",
            "report__author_id",
            "site__name",
            *PAQ_ATTRIBUTES,
            "loudness",
            "laeq_db",
            "recording",
        )
    )
    codes = {r[-1] for r in rows if r[-1]}
    seconds = {
        code: (meta or {}).get("recording_s")
        for code, meta in Sensor.objects.filter(code__in=codes).values_list("code", "metadata")
    }
    frame = pd.DataFrame(
        [(str(r[0]), str(r[1]), r[2] or "", *r[3:], seconds.get(r[-1])) for r in rows],
        columns=list(COLUMNS),
    )
    for name in (*PAQ_ATTRIBUTES, "loudness", "laeq_db", "recording_s"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    return frame
