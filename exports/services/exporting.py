"""Exporting an event to a file, and marking what went to OpenStreetMap."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports import selectors
from exports.records import ExportData, ExportMeta, FeatureRecord
from exports.registry import exporter_for
from exports.tags.validation import Issue, Validator, blocking
from layers.selectors.sensors import measurement_summary
from mapping.errors import InvalidInput
from mapping.models import Event
from mapping.services.exporting import features_mark_exported
from mapping.workflow import Status

UNKNOWN_FORMAT = "Unknown export format {name!r}; known: {known}."


@dataclass
class ExportResult:
    """What an export wrote and what the validation found (``issues``: errors, held, warnings)."""

    format: str
    path: Path
    written: int = 0
    checked: int = 0
    issues: list[Issue] = field(default_factory=list)
    marked_exported: int = 0

    def count(self, severity: str) -> int:
        """How many issues of ``severity`` were found."""
        return sum(1 for issue in self.issues if issue.severity == severity)

    @property
    def has_errors(self) -> bool:
        """Whether some object was refused (the command then exits non-zero)."""
        return self.count("error") > 0


def _validated(records: Iterable[FeatureRecord], validator: Validator,
               result: ExportResult, written_ids: list[str]) -> Iterator[FeatureRecord]:
    for record in records:
        result.checked += 1
        issues = validator.check(record)
        result.issues += issues
        if not blocking(issues):
            written_ids.append(record.id)
            yield record


def event_export(
    *, event: Event, format_name: str, path: Path, statuses: Sequence[str] = (),
    actor: Any = None, mark_exported: bool = False, keep_duplicates: bool = False,
) -> ExportResult:
    """Export ``event`` to ``path`` in ``format_name``; OSM formats mark what they wrote.

    OSM formats take accepted (and already exported) features whose author consented, after
    validation; GIS formats take every feature in ``statuses`` (default accepted + exported)
    and, for GeoPackage, the reports and the measurement summary.
    """
    try:
        exporter = exporter_for(format_name)
    except KeyError:
        from exports.registry import EXPORTERS

        raise InvalidInput(UNKNOWN_FORMAT, field="format", name=format_name,
                           known=", ".join(EXPORTERS)) from None
    chosen = list(statuses) or list(selectors.OSM_STATUSES)
    unknown = [s for s in chosen if s not in set(Status)]
    if unknown:
        msg = f"Unknown status {unknown[0]!r}; expected: {', '.join(Status)}."
        raise InvalidInput(msg, field="status")
    result = ExportResult(format=exporter.name, path=path)
    meta = ExportMeta(event_name=event.name, event_slug=event.slug)
    if exporter.for_osm:
        chosen = [s for s in chosen if s in selectors.OSM_STATUSES]
        context = selectors.osm_context(event=event)
        validator = Validator(context=context, index=selectors.candidate_index(event=event),
                              presets=selectors.preset_tags(), keep_duplicates=keep_duplicates)
        written_ids: list[str] = []
        features = _validated(
            selectors.feature_records(event=event, statuses=chosen, consented_only=True),
            validator, result, written_ids)
        data = ExportData(meta=meta, features=features, context=context)
        result.written = exporter.write(data, path)
        if mark_exported:
            result.marked_exported = features_mark_exported(
                event=event, feature_ids=written_ids, actor=actor,
                reason=f"Exported to an OpenStreetMap {exporter.name} file.")
        return result
    data = ExportData(
        meta=meta,
        features=selectors.feature_records(event=event, statuses=chosen, consented_only=False),
        reports=selectors.report_records(event=event, statuses=chosen)
        if exporter.name == "gpkg" else (),
        measurements=measurement_summary(event=event)
        if exporter.name == "gpkg" else None,
        tag_columns=selectors.tag_columns(event=event),
    )
    result.written = result.checked = exporter.write(data, path)
    return result
