"""Importing paper forms: every row entered by a mediator on behalf of its participant.

All or nothing: the rows are checked with the same services as the API inside one
transaction, which is rolled back on a dry run or when any row fails, so a file is never
half-imported. Re-running the same file is harmless: each row's id is derived from the event
and the row's content, so a row already imported is recognised, not duplicated.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from mapping import paper_csv, permissions
from mapping.errors import CartopartyError, NotAllowed
from mapping.models import Channel, Event
from mapping.services.contributions import Author
from mapping.services.features import feature_submit
from mapping.services.reports import report_submit

IMPORT_FORBIDDEN = "Only this event's organisers and mediators may import paper forms."
ROW_NAMESPACE = uuid.UUID("6a4e3c55-0a6c-4f43-9a39-7f3f4b3c2b11")


@dataclass
class RowResult:
    """One data row: its line in the file, its cells, and its errors (column, message)."""

    line: int
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    outcome: str = ""  # "new", "already imported" or "error"


@dataclass
class ImportResult:
    """What a (dry or real) import found."""

    encoding: str
    header_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        """No problem at all: a commit would import every row."""
        return not self.header_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def new(self) -> int:
        """Rows that are (or would be) new contributions."""
        return sum(r.outcome == "new" for r in self.rows)


def _row_id(event: Event, values: dict[str, str]) -> uuid.UUID:
    content = "\x1f".join(f"{k}={values.get(k, '')}" for k in paper_csv.COLUMNS)
    soundscape = [f"{k}={values[k]}" for k in paper_csv.SOUNDSCAPE_COLUMNS if values.get(k)]
    if soundscape:  # only then: rows of earlier files keep their ids
        content += "\x1f" + "\x1f".join(soundscape)
    return uuid.uuid5(ROW_NAMESPACE, f"{event.pk}\x1e{content}")


def _submit(event: Event, actor: Any, values: dict[str, str]) -> bool:
    """Store one row through the API's services; True when it is new."""
    paper_csv.check_formula(values)
    kind = paper_csv.parse_kind(values.get("kind", ""))
    lon, lat = paper_csv.parse_position(values)
    west, south, east, north = event.zone.extent
    if not (west <= lon <= east and south <= lat <= north) and (
            west <= lat <= east and south <= lon <= north):
        msg = (f"Latitude {lat} and longitude {lon} look swapped: the zone is around "
               f"latitude {(south + north) / 2:.4f}, longitude {(west + east) / 2:.4f}.")
        raise paper_csv.CellError("latitude", msg)
    author = Author(entered_by=actor, on_behalf_of=values.get("pseudonym", ""),
                    channel=Channel.PAPER)
    point = {"type": "Point", "coordinates": [lon, lat]}
    row_id = _row_id(event, values)
    if kind == "report":
        if not values.get("observed_at"):
            raise paper_csv.CellError("observed_at", "A nuisance needs its date and time.")
        return report_submit(
            event=event, author=author, geometry=point, category=values.get("category", ""),
            intensity=paper_csv.parse_intensity(values.get("intensity", "")),
            observed_at=paper_csv.parse_when(values["observed_at"], event.time_zone),
            sources=paper_csv.parse_list(values.get("sources", "")),
            comment=values.get("comment", ""), contribution_id=row_id,
            soundscape=paper_csv.parse_soundscape(values)).created
    tags = paper_csv.parse_tags(values.get("tags", ""))
    if not tags and not values.get("preset"):
        raise paper_csv.CellError("preset", "A feature needs a preset or tags.")
    return feature_submit(
        event=event, author=author, geometry=point, tags=tags or None,
        preset=values.get("preset", ""),
        consent_osm=paper_csv.parse_yes(values.get("consent_osm", ""), "consent_osm"),
        contribution_id=row_id).created


def paper_forms_import(*, event: Event, actor: Any, data: bytes, commit: bool) -> ImportResult:
    """Check (``commit=False``) or import (``commit=True``) a filled-in CSV template."""
    if not permissions.can_enter_on_behalf(actor, event):
        raise NotAllowed(IMPORT_FORBIDDEN)
    text, encoding = paper_csv.decode(data)
    sheet = paper_csv.split(text)
    result = ImportResult(encoding=encoding, header_errors=sheet.header_errors)
    if sheet.header_errors:
        result.rows = [RowResult(line=line, values=values) for line, values in sheet.rows]
        return result
    with transaction.atomic():
        for line, values in sheet.rows:
            row = RowResult(line=line, values=values)
            try:
                with transaction.atomic():
                    row.outcome = "new" if _submit(event, actor, values) else "already imported"
            except paper_csv.CellError as exc:
                row.errors.append((exc.column, exc.message))
            except CartopartyError as exc:
                row.errors.append((_column(exc.field), exc.message))
            if row.errors:
                row.outcome = "error"
            result.rows.append(row)
        result.committed = commit and result.ok
        if not result.committed:
            transaction.set_rollback(True)
    return result


def _column(field_name: str | None) -> str:
    """The CSV column a service's field name refers to."""
    parts = (field_name or "").split(".")
    if parts[0] == "soundscape" and len(parts) > 1:  # soundscape.calm → the calm column
        return parts[1]
    name = parts[0]
    return {"geometry": "latitude", "tags": "tags", "pseudonym": "pseudonym"}.get(name, name)
