"""Importing an event's population grid: parse (pure importer), then store idempotently."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone
from shapely import wkt as shapely_wkt

from layers.importers.population import CellRecord, ImportFormatError, RowError, parse_population
from layers.models_population import PopulationCell, PopulationGrid
from mapping.errors import N_, InvalidInput
from mapping.models import Event

FILOSOFI_ATTRIBUTION = "Source : Insee, {vintage}, données carroyées à 200 m"
NOTHING_KEPT = N_("No cell of {file} lies in the zone of {event}: check the file and the zone.")
CHANGED_FIELDS = ("geometry", "population", "households", "imputed", "zone_share", "attributes")


@dataclass
class PopulationImportSummary:
    """What an import read, kept, stored and refused."""

    file: str
    format: str
    vintage: str
    cell_crs: str
    rows: int
    kept: int
    imputed: int
    inhabitants: float
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_not_listed: int = 0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A human summary, one line each."""
        refused = len(self.errors) + self.errors_not_listed
        return [
            f"{self.file}: {self.vintage} ({self.format}), cells in {self.cell_crs}",
            f"cells read: {self.rows}, kept (inside the zone): {self.kept}, "
            f"imputed: {self.imputed}, refused: {refused}",
            f"inhabitants in the zone: {self.inhabitants:,.1f} (cells weighted by their share "
            "of area in the zone)",
            f"stored: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed",
        ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _values(record: CellRecord) -> dict[str, object]:
    return {"geometry": GEOSGeometry(record.polygon.wkt, srid=4326),
            "population": record.population, "households": record.households,
            "imputed": record.imputed, "zone_share": record.zone_share,
            "attributes": record.attributes}


def _same(cell: PopulationCell, values: dict[str, object]) -> bool:
    for name in CHANGED_FIELDS[1:]:
        if getattr(cell, name) != values[name]:
            return False
    return bool(shapely_wkt.loads(cell.geometry.wkt).equals_exact(
        shapely_wkt.loads(values["geometry"].wkt), tolerance=1e-9))  # type: ignore[attr-defined]


def population_import(
    *, event: Event, path: Path, crs: str = "EPSG:4326", population_column: str | None = None,
    replace: bool = False, attribution: str = "",
) -> PopulationImportSummary:
    """Import a Filosofi or generic grid file into ``event``'s population grid.

    Cells are found again by their code: importing the same file twice stores nothing new.
    ``replace`` removes the cells the file does not hold (another release, another cut).
    InvalidInput when the file cannot be read or no cell lies in the zone.
    """
    path = Path(path)
    try:
        parsed = parse_population(path, zone_wgs84=shapely_wkt.loads(event.zone.wkt), crs=crs,
                                  population_column=population_column)
    except ImportFormatError as exc:
        raise InvalidInput(str(exc), field="file") from None
    summary = PopulationImportSummary(
        file=path.name, format=parsed.format, vintage=parsed.vintage, cell_crs=parsed.cell_crs,
        rows=parsed.rows, kept=len(parsed.cells), imputed=parsed.imputed,
        inhabitants=sum(c.population * c.zone_share for c in parsed.cells),
        errors=parsed.errors, errors_not_listed=parsed.errors_not_listed, notes=parsed.notes)
    if not parsed.cells:
        raise InvalidInput(NOTHING_KEPT, field="file", file=path.name, event=event.slug)
    credit = attribution.strip() or (FILOSOFI_ATTRIBUTION.format(vintage=parsed.vintage)
                                     if parsed.format == "filosofi" else path.name)
    with transaction.atomic():
        grid, _ = PopulationGrid.objects.select_for_update().get_or_create(
            event=event, defaults={"attribution": credit, "vintage": parsed.vintage})
        existing = {cell.code: cell for cell in grid.cells.all()}
        new, changed = [], []
        for record in parsed.cells:
            values = _values(record)
            cell = existing.pop(record.code, None)
            if cell is None:
                new.append(PopulationCell(grid=grid, code=record.code, **values))
            elif not _same(cell, values):
                for name, value in values.items():
                    setattr(cell, name, value)
                changed.append(cell)
        PopulationCell.objects.bulk_create(new, batch_size=500)
        PopulationCell.objects.bulk_update(changed, CHANGED_FIELDS, batch_size=500)
        if replace and existing:
            PopulationCell.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
            summary.removed = len(existing)
        summary.new, summary.updated = len(new), len(changed)
        summary.unchanged = summary.kept - summary.new - summary.updated
        sha = _sha256(path)
        # One entry per file: the same file again replaces its own entry.
        earlier = [] if replace else [s for s in grid.sources if s.get("sha256") != sha]
        grid.sources = [*earlier, {
            "file": path.name, "sha256": sha, "format": parsed.format, "vintage": parsed.vintage,
            "attribution": credit, "cells": summary.kept,
            "imported_at": timezone.now().isoformat(timespec="seconds")}]
        grid.attribution = "; ".join(dict.fromkeys(s["attribution"] for s in grid.sources))
        grid.vintage = ", ".join(dict.fromkeys(s["vintage"] for s in grid.sources))
        grid.save()
    return summary
