"""Exports: ``GET /events/{slug}/export.{ext}`` in every format of ``exports.registry``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from exports.registry import EXPORTERS, exporter_for
from exports.services import event_export
from mapping import permissions, selectors
from mapping.errors import NotAllowed, NotFound
from web.api import actors
from web.api.contributions import statuses

EXPORT_FORBIDDEN = "Exports are for this event's organisers and GIS officers."


class EventExportApi(APIView):
    """Download an export; it never changes statuses (the command and services do)."""

    refuses_readers = True  # OpenAPI: 403 for readers who may not export

    @extend_schema(
        parameters=[OpenApiParameter("status", str, description="Comma-separated statuses "
                                     "(default accepted,exported).")],
        responses={(200, "*/*"): OpenApiTypes.BINARY},
        summary="The event as " + ", ".join(f".{e.extension}" for e in EXPORTERS.values()),
    )
    def get(self, request: Request, slug: str, ext: str) -> FileResponse:
        event = selectors.event_by_slug(slug)
        try:
            exporter = exporter_for(ext)
        except KeyError:
            msg = f"No export format .{ext}; known: {', '.join(EXPORTERS)}."
            raise NotFound(msg) from None
        if not permissions.can_see_exact_reports(actors.require_user(request), event):
            raise NotAllowed(EXPORT_FORBIDDEN)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{event.slug}.{exporter.extension}"
            result = event_export(event=event, format_name=exporter.name, path=path,
                                  statuses=statuses(request))
            # The open handle outlives the deleted folder (POSIX): nothing stays on disk.
            handle = path.open("rb")
        response = FileResponse(handle, as_attachment=True, filename=path.name,
                                content_type=exporter.media_type)
        response["X-Export-Written"] = str(result.written)
        response["X-Export-Held"] = str(result.count("held"))
        response["X-Export-Errors"] = str(result.count("error"))
        response["X-Export-Warnings"] = str(result.count("warning"))
        return response


__all__ = ["EventExportApi"]
