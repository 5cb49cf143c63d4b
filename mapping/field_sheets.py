"""Printable field sheets: one A4 page per grid square (pure; reportlab + segno).

Each page has the square's map drawn from vector geometry (the zone outline and the features
already mapped — no tiles, so it prints offline and sharply), the list of those features, a
QR code that opens the event's page with its join code, and blank lines for observations.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

MAP_SIDE = 110 * mm
QR_SIDE = 38 * mm
MAX_LISTED = 18


@dataclass(frozen=True)
class SheetFeature:
    """A feature to draw, in the square's metric CRS, with a short label."""

    geometry: BaseGeometry
    label: str


@dataclass(frozen=True)
class SheetPage:
    """One square: label, metric polygon, the zone clipped to it, its features."""

    label: str
    square: Polygon
    zone: BaseGeometry
    features: list[SheetFeature] = field(default_factory=list)
    team: str = ""


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (medium error correction, 8 px modules)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def _drawer(pdf: canvas.Canvas, square: Polygon, x0: float, y0: float):  # type: ignore[no-untyped-def]
    minx, miny, maxx, _maxy = square.bounds
    scale = MAP_SIDE / (maxx - minx)

    def xy(x: float, y: float) -> tuple[float, float]:
        return x0 + (x - minx) * scale, y0 + (y - miny) * scale

    def draw(geom: BaseGeometry, *, fill: bool = False) -> None:
        if geom.is_empty:
            return
        if hasattr(geom, "geoms"):
            for part in geom.geoms:
                draw(part, fill=fill)
            return
        if isinstance(geom, Point):
            px, py = xy(geom.x, geom.y)
            pdf.circle(px, py, 1.6 * mm, stroke=1, fill=1)
            return
        coords = list(geom.exterior.coords) if isinstance(geom, Polygon) else list(geom.coords)
        path = pdf.beginPath()
        path.moveTo(*xy(*coords[0][:2]))
        for point in coords[1:]:
            path.lineTo(*xy(*point[:2]))
        if isinstance(geom, Polygon):
            path.close()
        pdf.drawPath(path, stroke=1, fill=1 if fill else 0)

    return draw, xy, scale


def _page(pdf: canvas.Canvas, page: SheetPage, *, event_name: str, join_url: str,
          qr: ImageReader, texts: dict[str, str]) -> None:
    width, height = A4
    left, top = 18 * mm, height - 18 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, top, f"{event_name} — {texts['square']} {page.label}")
    pdf.setFont("Helvetica", 9)
    subtitle = f"{texts['team']}: {page.team}" if page.team else texts["team"] + ": ________"
    pdf.drawString(left, top - 6 * mm, subtitle)
    map_x, map_y = left, top - 12 * mm - MAP_SIDE
    draw, xy, scale = _drawer(pdf, page.square, map_x, map_y)
    pdf.setStrokeColorRGB(0.6, 0.6, 0.6)
    pdf.setFillColorRGB(0.95, 0.95, 0.95)
    pdf.rect(map_x, map_y, MAP_SIDE, MAP_SIDE, stroke=1, fill=1)
    pdf.setStrokeColorRGB(0.07, 0.21, 0.36)
    pdf.setLineWidth(1.5)
    draw(page.zone.intersection(page.square).boundary)
    pdf.setLineWidth(0.8)
    for number, feature in enumerate(page.features[:MAX_LISTED], start=1):
        clipped = feature.geometry.intersection(page.square)
        pdf.setStrokeColorRGB(0.04, 0.36, 0.68)
        pdf.setFillColorRGB(0.04, 0.36, 0.68)
        draw(clipped)
        anchor = clipped.representative_point() if not clipped.is_empty else None
        if anchor is not None:
            px, py = xy(anchor.x, anchor.y)
            pdf.setFillColorRGB(0, 0, 0)
            pdf.setFont("Helvetica-Bold", 7)
            pdf.drawString(px + 2 * mm, py + 1 * mm, str(number))
    # Scale bar: a quarter of the square's side.
    side_m = page.square.bounds[2] - page.square.bounds[0]
    bar_m = max(1, round(side_m / 4))
    pdf.setStrokeColorRGB(0, 0, 0)
    pdf.setLineWidth(2)
    pdf.line(map_x + 4 * mm, map_y + 4 * mm, map_x + 4 * mm + bar_m * scale, map_y + 4 * mm)
    pdf.setFont("Helvetica", 7)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawString(map_x + 4 * mm, map_y + 6 * mm, f"{bar_m} m")
    # QR code to join, to the right of the map.
    qr_x = map_x + MAP_SIDE + 10 * mm
    pdf.drawImage(qr, qr_x, top - 12 * mm - QR_SIDE, QR_SIDE, QR_SIDE)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(qr_x, top - 16 * mm - QR_SIDE, texts["scan"])
    # Features already mapped.
    pdf.setFont("Helvetica-Bold", 10)
    list_y = map_y - 8 * mm
    pdf.drawString(left, list_y, texts["features"])
    pdf.setFont("Helvetica", 8)
    for number, feature in enumerate(page.features[:MAX_LISTED], start=1):
        column, line = divmod(number - 1, 9)
        pdf.drawString(left + column * 88 * mm, list_y - (line + 1) * 4.5 * mm,
                       f"{number}. {feature.label[:55]}")
    if not page.features:
        pdf.drawString(left, list_y - 4.5 * mm, texts["none"])
    # Blank lines for observations.
    lines_top = list_y - 48 * mm
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(left, lines_top, texts["notes"])
    pdf.setLineWidth(0.4)
    pdf.setStrokeColorRGB(0.5, 0.5, 0.5)
    y = lines_top - 9 * mm
    while y > 18 * mm:
        pdf.line(left, y, width - 18 * mm, y)
        y -= 9 * mm
    pdf.setFont("Helvetica", 7)
    pdf.drawString(left, 10 * mm, f"{join_url} · {texts['credits']}")


DEFAULT_TEXTS = {
    "square": "Square", "team": "Team", "scan": "Scan to join",
    "features": "Already mapped here", "none": "Nothing mapped yet.",
    "notes": "Observations (place, what, when)",
    "credits": "Map data © OpenStreetMap contributors (ODbL)",
}


def field_sheets_pdf(pages: list[SheetPage], *, event_name: str, join_url: str,
                     texts: dict[str, str] | None = None) -> bytes:
    """A PDF with one A4 page per square.

    Parameters
    ----------
    pages : list of SheetPage
        Geometries in the squares' metric CRS (metres).
    event_name, join_url : str
        The title of every page and the URL the QR code opens.
    texts : dict, optional
        Translated labels (keys of ``DEFAULT_TEXTS``).
    """
    labels = {**DEFAULT_TEXTS, **(texts or {})}
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{event_name} — field sheets")
    qr = ImageReader(io.BytesIO(qr_png(join_url)))
    for page in pages:
        _page(pdf, page, event_name=event_name, join_url=join_url, qr=qr, texts=labels)
        pdf.showPage()
    if not pages:
        pdf.drawString(20 * mm, 270 * mm, f"{event_name}: no grid yet.")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


__all__ = ["SheetFeature", "SheetPage", "field_sheets_pdf", "qr_png"]
