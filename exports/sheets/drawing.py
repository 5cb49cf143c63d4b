"""Drawing one grid square's map on a field sheet, with reportlab (pure).

Vector only (no tiles): it prints offline and sharply. From bottom to top: water, pedestrian
places, buildings, streets (a grey casing under a white line; paths dashed), the margin
around the square faded, the zone's edge, the square's edge, existing OSM elements as
symbols, contributions as numbered blue badges, street names along the streets, then the
north arrow, scale bar and the ODbL credit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from shapely import affinity
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, substring

from exports.sheets.context import SheetContext, SheetStreet
from mapping.osm_areas import road_class

RGB = tuple[float, float, float]
STREET_PT = {"major": 3.4 * mm, "street": 2.6 * mm, "service": 1.6 * mm}
CONTRIBUTION: RGB = (0.04, 0.36, 0.68)
OUTSIDE: RGB = (0.72, 0.72, 0.72)
ZONE_EDGE: RGB = (0.85, 0.15, 0.1)
ZONE_EDGE_PT = 4.0
STRIP = 9 * mm  # under the map: scale bar, north arrow, credit
LABEL_FONT, LABEL_SIZE = "Helvetica", 6.5
# Preset id → (shape, fill colour): shapes are language-neutral, the legend names them.
SYMBOLS: dict[str, tuple[str, RGB]] = {
    "natural/tree": ("circle", (0.55, 0.78, 0.45)),
    "amenity/bench": ("bar", (0.55, 0.33, 0.14)),
    "amenity/waste_basket": ("square", (0.35, 0.35, 0.35)),
    "amenity/drinking_water": ("drop", (0.2, 0.55, 0.9)),
    "amenity/toilets": ("square", (0.55, 0.3, 0.7)),
    "emergency/defibrillator": ("cross", (0.0, 0.6, 0.35)),
    "barrier/kerb/lowered": ("triangle", (0.95, 0.55, 0.1)),
    "amenity/bicycle_parking": ("square", (0.1, 0.35, 0.75)),
    "leisure/playground": ("diamond", (0.8, 0.3, 0.6)),
    "amenity/recycling_container": ("triangle", (0.2, 0.6, 0.25)),
    "highway/street_lamp": ("circle", (1.0, 0.85, 0.1)),
}
DEFAULT_SYMBOL: tuple[str, RGB] = ("diamond", (0.3, 0.3, 0.3))
NICE_BARS_M = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000)


@dataclass(frozen=True)
class MapFrame:
    """Where the map goes on the page (points) and what it shows (metres)."""

    x0: float
    y0: float
    side_pt: float
    frame: Polygon  # the square plus a margin, metric CRS

    @property
    def scale(self) -> float:
        """Points per metre."""
        minx, _miny, maxx, _maxy = self.frame.bounds
        return float(self.side_pt / (maxx - minx))

    def xy(self, x: float, y: float) -> tuple[float, float]:
        """Metric coordinates → page points."""
        minx, miny, _maxx, _maxy = self.frame.bounds
        return self.x0 + (x - minx) * self.scale, self.y0 + (y - miny) * self.scale


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom.is_empty:
        return []
    if hasattr(geom, "geoms"):
        return [p for part in geom.geoms for p in _parts(part)]
    return [geom]


def _path(pdf: canvas.Canvas, frame: MapFrame, geom: BaseGeometry, *, fill: bool,
          stroke: bool = True) -> None:
    for part in _parts(geom):
        if isinstance(part, Point):
            continue
        rings = ([part.exterior, *part.interiors] if isinstance(part, Polygon) else [part])
        path = pdf.beginPath()
        for ring in rings:
            coords = list(ring.coords)
            path.moveTo(*frame.xy(*coords[0][:2]))
            for point in coords[1:]:
                path.lineTo(*frame.xy(*point[:2]))
            if isinstance(part, Polygon):
                path.close()
        pdf.drawPath(path, stroke=1 if stroke else 0, fill=1 if fill else 0, fillMode=0)


def street_class(highway: str) -> str:
    """``major``, ``street``, ``service`` or ``path``: how a ``highway=*`` value is drawn."""
    drawn = road_class(highway) or "service"
    return "street" if drawn == "minor" else drawn


def _streets(pdf: canvas.Canvas, frame: MapFrame, streets: Sequence[SheetStreet]) -> None:
    pdf.setLineCap(1)
    pdf.setLineJoin(1)
    roads = [s for s in streets if street_class(s.highway) != "path"]
    order = ("service", "street", "major")
    roads.sort(key=lambda s: order.index(street_class(s.highway)))
    # All casings first, then all fills, so crossings join cleanly.
    for casing in (True, False):
        for street in roads:
            width = STREET_PT[street_class(street.highway)]
            pdf.setStrokeColorRGB(*((0.45, 0.45, 0.45) if casing else (1, 1, 1)))
            pdf.setLineWidth(width + 0.9 if casing else width)
            _path(pdf, frame, street.geometry, fill=False)
    pdf.setStrokeColorRGB(0.45, 0.25, 0.15)
    pdf.setLineWidth(0.8)
    pdf.setDash(2.5, 1.5)
    for street in streets:
        if street_class(street.highway) == "path":
            _path(pdf, frame, street.geometry, fill=False)
    pdf.setDash()


def symbol(pdf: canvas.Canvas, x: float, y: float, preset_id: str, *,
           size: float = 2.6 * mm) -> None:
    """Draw the preset's symbol centred on page point (x, y)."""
    shape, colour = SYMBOLS.get(preset_id, DEFAULT_SYMBOL)
    half = size / 2
    pdf.setFillColorRGB(*colour)
    pdf.setStrokeColorRGB(0.1, 0.1, 0.1)
    pdf.setLineWidth(0.5)
    if shape == "circle":
        pdf.circle(x, y, half * 0.8, stroke=1, fill=1)
    elif shape == "bar":
        pdf.rect(x - half, y - half * 0.35, size, half * 0.7, stroke=1, fill=1)
    elif shape == "square":
        pdf.rect(x - half * 0.75, y - half * 0.75, half * 1.5, half * 1.5, stroke=1, fill=1)
    elif shape == "cross":
        pdf.rect(x - half * 0.8, y - half * 0.8, half * 1.6, half * 1.6, stroke=1, fill=1)
        pdf.setStrokeColorRGB(1, 1, 1)
        pdf.setLineWidth(1.2)
        pdf.line(x - half * 0.5, y, x + half * 0.5, y)
        pdf.line(x, y - half * 0.5, x, y + half * 0.5)
    else:
        shapes: dict[str, list[tuple[float, float]]] = {
            "triangle": [(0, 1), (-0.9, -0.7), (0.9, -0.7)],
            "diamond": [(0, 1), (0.8, 0), (0, -1), (-0.8, 0)],
            "drop": [(0, 1), (0.7, -0.2), (0, -0.9), (-0.7, -0.2)],
        }
        corners = shapes[shape]
        path = pdf.beginPath()
        path.moveTo(x + corners[0][0] * half, y + corners[0][1] * half)
        for cx, cy in corners[1:]:
            path.lineTo(x + cx * half, y + cy * half)
        path.close()
        pdf.drawPath(path, stroke=1, fill=1)


def _badge(pdf: canvas.Canvas, x: float, y: float, number: int) -> None:
    pdf.setFillColorRGB(*CONTRIBUTION)
    pdf.setStrokeColorRGB(1, 1, 1)
    pdf.setLineWidth(0.8)
    pdf.circle(x, y, 2.3 * mm, stroke=1, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont("Helvetica-Bold", 7)
    pdf.drawCentredString(x, y - 2.4, str(number))


def _label_spots(line: LineString, length_m: float, step_m: float) -> list[tuple[Point, float]]:
    """Straight-enough stretches of ``line`` as long as the label: (centre, angle in degrees)."""
    spots = []
    start = 0.0
    while start + length_m <= line.length:
        piece = substring(line, start, start + length_m)
        (x1, y1), (x2, y2) = piece.coords[0][:2], piece.coords[-1][:2]
        if math.dist((x1, y1), (x2, y2)) >= 0.97 * length_m:
            angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
            if angle > 90:
                angle -= 180
            elif angle <= -90:
                angle += 180
            spots.append((line.interpolate(start + length_m / 2), angle))
        start += step_m
    middle = line.length / 2
    spots.sort(key=lambda spot: abs(line.project(spot[0]) - middle))
    return spots


def _street_names(pdf: canvas.Canvas, frame: MapFrame, square: Polygon,
                  streets: Sequence[SheetStreet], taken: list[Polygon]) -> None:
    """Each street's name once along it where it fits, inside the square when possible."""
    by_name: dict[str, list[BaseGeometry]] = {}
    for street in streets:
        if street.name and street_class(street.highway) != "path":
            by_name.setdefault(street.name, []).extend(_parts(street.geometry))
    inner = frame.frame.buffer(-2 * mm / frame.scale)
    height_m = LABEL_SIZE * 1.3 / frame.scale
    # Longest streets first: they are the ones a participant looks for.
    for name, parts in sorted(by_name.items(), key=lambda item: -sum(p.length for p in item[1])):
        merged = linemerge(MultiLineString([p for p in parts if isinstance(p, LineString)]))
        lines = sorted(_parts(merged), key=lambda p: -p.length)
        width_m = (stringWidth(name, LABEL_FONT, LABEL_SIZE) + 4) / frame.scale
        spots = [s for line in lines for s in _label_spots(line, width_m, width_m / 6)]
        spots.sort(key=lambda s: not square.contains(s[0]))  # stable: keeps middle-first order
        for centre, angle in spots:
            box_m = affinity.rotate(box(centre.x - width_m / 2, centre.y - height_m / 2,
                                        centre.x + width_m / 2, centre.y + height_m / 2),
                                    angle, origin=centre)
            if not inner.contains(box_m) or any(box_m.intersects(t) for t in taken):
                continue
            taken.append(box_m)
            px, py = frame.xy(centre.x, centre.y)
            pdf.saveState()
            pdf.translate(px, py)
            pdf.rotate(angle)
            pdf.setFont(LABEL_FONT, LABEL_SIZE)
            pdf.setFillColorRGB(0.15, 0.15, 0.15)
            pdf.drawCentredString(0, -LABEL_SIZE * 0.35, name)
            pdf.restoreState()
            break


def nice_bar_m(frame_m: float) -> int:
    """The longest round length (m) not over a quarter of the map's width.

    >>> nice_bar_m(116)
    25
    """
    fitting = [bar for bar in NICE_BARS_M if bar <= frame_m / 4]
    return fitting[-1] if fitting else NICE_BARS_M[0]


def _north_arrow(pdf: canvas.Canvas, x: float, y: float, north_deg: float) -> None:
    pdf.saveState()
    pdf.translate(x, y)
    pdf.rotate(-north_deg)  # north_deg is clockwise from the page's up
    path = pdf.beginPath()
    path.moveTo(0, 3.2 * mm)
    path.lineTo(1.5 * mm, -2.6 * mm)
    path.lineTo(0, -1.4 * mm)
    path.lineTo(-1.5 * mm, -2.6 * mm)
    path.close()
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.setFont("Helvetica-Bold", 7)
    pdf.drawString(2.2 * mm, -0.8 * mm, "N")
    pdf.restoreState()


def draw_map(pdf: canvas.Canvas, frame: MapFrame, *, square: Polygon, zone: BaseGeometry,
             context: SheetContext, contributions: Sequence[BaseGeometry],
             north_deg: float, credit: str) -> None:
    """Draw the square's map in ``frame``; ``contributions`` get badges numbered from 1."""
    x0, y0, side = frame.x0, frame.y0, frame.side_pt
    pdf.saveState()
    clip = pdf.beginPath()
    clip.rect(x0, y0, side, side)
    pdf.clipPath(clip, stroke=0, fill=0)
    pdf.setFillColorRGB(0.97, 0.96, 0.93)
    pdf.rect(x0, y0, side, side, stroke=0, fill=1)
    pdf.setLineWidth(0.3)
    layers: list[tuple[Sequence[BaseGeometry], RGB, RGB]] = [
        (context.water, (0.66, 0.82, 0.95), (0.4, 0.6, 0.85)),
        (context.squares, (1, 1, 1), (0.6, 0.6, 0.6)),
        (context.buildings, (0.84, 0.8, 0.76), (0.58, 0.52, 0.47)),
    ]
    for geoms, fill, stroke in layers:
        pdf.setFillColorRGB(*fill)
        pdf.setStrokeColorRGB(*stroke)
        for geom in geoms:
            is_area = geom.geom_type in ("Polygon", "MultiPolygon")
            pdf.setLineWidth(0.3 if is_area else 1.5)
            _path(pdf, frame, geom, fill=is_area)
    _streets(pdf, frame, context.streets)
    # Fade the margin: it is there to find one's way in, the square is the job.
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFillAlpha(0.55)
    _path(pdf, frame, frame.frame.difference(square), fill=True, stroke=False)
    pdf.setFillAlpha(1)
    # Outside the event's area: greyed out, edged with a translucent red band.
    pdf.setFillColorRGB(*OUTSIDE)
    pdf.setFillAlpha(0.5)
    _path(pdf, frame, frame.frame.difference(zone), fill=True, stroke=False)
    pdf.setFillAlpha(1)
    pdf.setStrokeColorRGB(*ZONE_EDGE)
    pdf.setStrokeAlpha(0.45)
    pdf.setLineWidth(ZONE_EDGE_PT)
    _path(pdf, frame, zone.boundary.intersection(frame.frame), fill=False)
    pdf.setStrokeAlpha(1)
    pdf.setStrokeColorRGB(0.07, 0.21, 0.36)
    pdf.setLineWidth(2)
    _path(pdf, frame, square.exterior, fill=False)
    for item in context.symbols:
        shape_colour = SYMBOLS.get(item.preset_id, DEFAULT_SYMBOL)[1]
        if item.geometry.geom_type != "Point":
            pdf.setStrokeColorRGB(*shape_colour)
            pdf.setLineWidth(1)
            _path(pdf, frame, item.geometry, fill=False)
        anchor = item.geometry.representative_point()
        symbol(pdf, *frame.xy(anchor.x, anchor.y), item.preset_id)
    taken: list[Polygon] = []
    badge_m = 2.6 * mm / frame.scale
    for number, geom in enumerate(contributions, start=1):
        clipped = geom.intersection(frame.frame)
        if clipped.is_empty:
            continue
        pdf.setStrokeColorRGB(*CONTRIBUTION)
        pdf.setLineWidth(1.4)
        _path(pdf, frame, clipped, fill=False)
        anchor = clipped.representative_point()
        taken.append(anchor.buffer(badge_m))
        _badge(pdf, *frame.xy(anchor.x, anchor.y), number)
    _street_names(pdf, frame, square, context.streets, taken)
    pdf.restoreState()
    _furniture(pdf, frame, north_deg=north_deg, credit=credit)


def _furniture(pdf: canvas.Canvas, frame: MapFrame, *, north_deg: float, credit: str) -> None:
    """Frame, then under the map (never hiding a symbol): scale bar, north arrow, credit."""
    x0, y0, side = frame.x0, frame.y0, frame.side_pt
    pdf.setStrokeColorRGB(0.3, 0.3, 0.3)
    pdf.setLineWidth(0.6)
    pdf.rect(x0, y0, side, side, stroke=1, fill=0)
    minx, _miny, maxx, _maxy = frame.frame.bounds
    bar_m = nice_bar_m(maxx - minx)
    bar_pt = bar_m * frame.scale
    y = y0 - STRIP + 2.5 * mm
    pdf.setStrokeColorRGB(0, 0, 0)
    pdf.setLineWidth(0.6)
    pdf.rect(x0, y, bar_pt, 1.5 * mm, stroke=1, fill=0)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.rect(x0, y, bar_pt / 2, 1.5 * mm, stroke=0, fill=1)
    pdf.setFont("Helvetica", 7)
    ratio = round(1 / (frame.scale / 72 * 0.0254), -1)  # metres per metre of A4 paper
    pdf.drawString(x0 + bar_pt + 2 * mm, y,
                   f"{bar_m} m   ·   1:{ratio:,.0f} (A4)".replace(",", " "))
    _north_arrow(pdf, x0 + side / 2 + 6 * mm, y0 - STRIP / 2, north_deg)
    pdf.setFont("Helvetica", 6)
    pdf.setFillColorRGB(0.2, 0.2, 0.2)
    pdf.drawRightString(x0 + side, y, credit)


def north_angle_deg(to_metric: Callable[..., tuple[float, float]], lon: float, lat: float) -> float:
    """Angle of true north, clockwise from the metric grid's up, at (lon, lat) in degrees.

    Lambert-93 and UTM grids are not aligned on meridians away from their central meridian
    (about 2° at Chambéry); the sheet's north arrow shows true north.
    """
    x1, y1 = to_metric(lon, lat)
    x2, y2 = to_metric(lon, lat + 0.001)
    return math.degrees(math.atan2(x2 - x1, y2 - y1))


__all__ = ["MapFrame", "draw_map", "nice_bar_m", "north_angle_deg", "street_class", "symbol"]
