"""Printable field sheets: one A4 page per grid square (pure; reportlab + segno).

Each page has the square's map drawn from vector geometry (``exports.sheets.drawing``: streets
with their names, buildings and existing OSM elements from the event's extract, the zone's
and the square's edges, the features already mapped — no tiles, so it prints offline and
sharply), a legend, the list of those features, a QR code that opens the event's page with its
join code, and blank lines for observations.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from exports.sheets import drawing
from exports.sheets.context import SheetContext

MAP_SIDE = 122 * mm
QR_SIDE = 36 * mm
# The map shows this fraction of the square's side around it, to find one's way into it.
MARGIN = 0.08
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
    context: SheetContext = field(default_factory=SheetContext)  # clipped, metric CRS
    north_deg: float = 0.0  # true north, clockwise from the page's up


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (medium error correction, 8 px modules)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def _legend(pdf: canvas.Canvas, page: SheetPage, x: float, top: float, width: float,
            texts: dict[str, str]) -> None:
    """What the map's lines and symbols mean, only the symbols this page shows."""
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(x, top, texts["legend"])
    y = top - 5.5 * mm
    sample = 7 * mm
    text_x = x + sample + 2.5 * mm

    def entry(text: str) -> None:
        nonlocal y
        size = 7.0
        while size > 5 and stringWidth(text, "Helvetica", size) > width - sample - 2.5 * mm:
            size -= 0.5
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont("Helvetica", size)
        pdf.drawString(text_x, y - 1 * mm, text)
        y -= 5 * mm

    def stroke(rgb: tuple[float, float, float], width_pt: float,
               dash: tuple[float, float] | None = None) -> None:
        pdf.setStrokeColorRGB(*rgb)
        pdf.setLineWidth(width_pt)
        pdf.setDash(*dash) if dash else pdf.setDash()
        pdf.line(x, y, x + sample, y)
        pdf.setDash()

    context = page.context
    pdf.setLineCap(1)
    stroke((0.45, 0.45, 0.45), drawing.STREET_PT["street"] + 0.9)
    stroke((1, 1, 1), drawing.STREET_PT["street"])
    entry(texts["street"])
    stroke((0.45, 0.25, 0.15), 0.8, (2.5, 1.5))
    entry(texts["path"])
    pdf.setFillColorRGB(0.84, 0.8, 0.76)
    pdf.setStrokeColorRGB(0.58, 0.52, 0.47)
    pdf.setLineWidth(0.3)
    pdf.rect(x + 1 * mm, y - 1.6 * mm, sample - 2 * mm, 3.2 * mm, stroke=1, fill=1)
    entry(texts["building"])
    if context.water:
        pdf.setFillColorRGB(0.66, 0.82, 0.95)
        pdf.rect(x + 1 * mm, y - 1.6 * mm, sample - 2 * mm, 3.2 * mm, stroke=0, fill=1)
        entry(texts["water"])
    stroke((0.07, 0.21, 0.36), 2)
    entry(texts["square_edge"])
    pdf.setFillColorRGB(*drawing.OUTSIDE)
    pdf.setFillAlpha(0.5)
    pdf.rect(x, y - 1.6 * mm, sample / 2, 3.2 * mm, stroke=0, fill=1)
    pdf.setFillAlpha(1)
    pdf.setStrokeAlpha(0.45)
    pdf.setStrokeColorRGB(*drawing.ZONE_EDGE)
    pdf.setLineWidth(drawing.ZONE_EDGE_PT)
    pdf.setLineCap(0)
    pdf.line(x + sample / 2, y - 1.6 * mm, x + sample / 2, y + 1.6 * mm)
    pdf.setStrokeAlpha(1)
    pdf.setLineCap(1)
    entry(texts["zone_edge"])
    pdf.setFillColorRGB(*drawing.CONTRIBUTION)
    pdf.circle(x + sample / 2, y, 2.3 * mm, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont("Helvetica-Bold", 7)
    pdf.drawCentredString(x + sample / 2, y - 2.4, "1")
    entry(texts["contribution"])
    presets = dict.fromkeys((s.preset_id, s.label) for s in context.symbols)
    if presets:
        y -= 1.5 * mm
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont("Helvetica-Bold", 8)
        pdf.drawString(x, y, texts["in_osm"])
        y -= 5 * mm
        for preset_id, label in presets:
            drawing.symbol(pdf, x + sample / 2, y, preset_id)
            entry(label)
    if not context.has_extract:
        pdf.setFillColorRGB(0.4, 0.4, 0.4)
        pdf.setFont("Helvetica-Oblique", 6.5)
        for number, line in enumerate(_wrap(texts["no_extract"], width, 6.5)):
            pdf.drawString(x, y - 2 * mm - number * 3 * mm, line)


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, "Helvetica-Oblique", size) > width:
            lines.append(current)
            candidate = word
        current = candidate
    return [*lines, current] if current else lines


def _page(pdf: canvas.Canvas, page: SheetPage, *, event_name: str, join_url: str,
          qr: ImageReader, texts: dict[str, str]) -> None:
    width, height = A4
    left, top = 18 * mm, height - 18 * mm
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, top, f"{event_name} — {texts['square']} {page.label}")
    pdf.setFont("Helvetica", 9)
    subtitle = f"{texts['team']}: {page.team}" if page.team else texts["team"] + ": ________"
    pdf.drawString(left, top - 6 * mm, subtitle)
    map_x, map_y = left, top - 12 * mm - MAP_SIDE
    minx, miny, maxx, maxy = page.square.bounds
    margin = MARGIN * (maxx - minx)
    frame = drawing.MapFrame(map_x, map_y, MAP_SIDE, box(minx - margin, miny - margin,
                                                           maxx + margin, maxy + margin))
    contributions = [f.geometry for f in page.features[:MAX_LISTED]]
    drawing.draw_map(pdf, frame, square=page.square, zone=page.zone, context=page.context,
                       contributions=contributions, north_deg=page.north_deg,
                       credit=texts["map_credit"])
    # QR code to join and the legend, to the right of the map.
    qr_x = map_x + MAP_SIDE + 7 * mm
    pdf.drawImage(qr, qr_x, top - 12 * mm - QR_SIDE, QR_SIDE, QR_SIDE)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(qr_x + 2 * mm, top - 14 * mm - QR_SIDE, texts["scan"])
    _legend(pdf, page, qr_x, top - 24 * mm - QR_SIDE, width - 14 * mm - qr_x, texts)
    # Features already mapped.
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica-Bold", 10)
    list_y = map_y - drawing.STRIP - 6 * mm
    pdf.drawString(left, list_y, texts["features"])
    pdf.setFont("Helvetica", 8)
    for number, feature in enumerate(page.features[:MAX_LISTED], start=1):
        column, line = divmod(number - 1, 9)
        pdf.drawString(left + column * 88 * mm, list_y - (line + 1) * 4.5 * mm,
                       f"{number}. {feature.label[:55]}")
    if not page.features:
        pdf.drawString(left, list_y - 4.5 * mm, texts["none"])
    # Blank lines for observations.
    rows = min(max(len(page.features), 1), 9)
    lines_top = list_y - (rows + 2) * 4.5 * mm
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(left, lines_top, texts["notes"])
    pdf.setLineWidth(0.4)
    pdf.setStrokeColorRGB(0.5, 0.5, 0.5)
    y = lines_top - 9 * mm
    while y > 18 * mm:
        pdf.line(left, y, width - 18 * mm, y)
        y -= 9 * mm
    pdf.setFont("Helvetica", 7)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawString(left, 10 * mm, f"{join_url} · {texts['credits']}")


DEFAULT_TEXTS = {
    "square": "Square", "team": "Team", "scan": "Scan to join",
    "features": "Already mapped here", "none": "Nothing mapped yet.",
    "notes": "Observations (place, what, when)",
    "credits": "Map data © OpenStreetMap contributors (ODbL)",
    "map_credit": "© OpenStreetMap contributors, ODbL", "legend": "Legend",
    "street": "Street", "path": "Footpath, cycle path, steps", "building": "Building",
    "water": "Water", "square_edge": "Edge of this square", "zone_edge": "Outside the event's area",
    "contribution": "Already mapped (number in the list)", "in_osm": "Already in OpenStreetMap",
    "no_extract": "No OpenStreetMap extract for this event: streets and buildings are not drawn.",
}


SOUNDSCAPE_TEXTS = {
    "ss_title": "Soundscape questionnaire (ISO/TS 12913-2)",
    "ss_intro": "To what extent do you agree that the sound environment here is…",
    "ss_scale": "1 strongly disagree · 2 · 3 neither · 4 · 5 strongly agree",
    "ss_place": "Place or site", "ss_time": "Date and time", "ss_who": "Pseudonym",
    "pleasant": "Pleasant", "chaotic": "Chaotic", "vibrant": "Vibrant",
    "uneventful": "Uneventful", "calm": "Calm", "annoying": "Annoying",
    "eventful": "Eventful", "monotonous": "Monotonous",
    "loudness": "How loud is it here? (1 not at all … 5 extremely)",
    "overall": "Overall, the sound environment here is (1 very bad … 5 very good)",
    "ss_entry": "Typed in with the paper form CSV: columns pleasant … monotonous, loudness, "
                "overall.",
}
SOUNDSCAPE_ROWS = ("pleasant", "chaotic", "vibrant", "uneventful", "calm", "annoying",
                   "eventful", "monotonous", "loudness", "overall")
SOUNDSCAPE_PER_PAGE = 2


def _soundscape_page(pdf: canvas.Canvas, *, event_name: str, texts: dict[str, str]) -> None:
    """One A4 page with two blank ISO/TS 12913-2 answers: eight words, loudness and overall
    quality, five boxes each, and the place, time and pseudonym to copy into the CSV."""
    width, height = A4
    left, right = 18 * mm, width - 18 * mm
    y = height - 18 * mm
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(left, y, f"{event_name} — {texts['ss_title']}")
    box_side, label_w = 6 * mm, 98 * mm
    for _answer in range(SOUNDSCAPE_PER_PAGE):
        y -= 10 * mm
        pdf.setFont("Helvetica", 9)
        third = (right - left) / 3
        for i, key in enumerate(("ss_place", "ss_time", "ss_who")):
            pdf.drawString(left + i * third, y, texts[key] + ": ____________")
        y -= 7 * mm
        pdf.setFont("Helvetica-Oblique", 9)
        pdf.drawString(left, y, texts["ss_intro"])
        y -= 5 * mm
        pdf.setFont("Helvetica", 8)
        pdf.drawString(left, y, texts["ss_scale"])
        pdf.setFont("Helvetica-Bold", 8)
        for value in range(1, 6):
            pdf.drawCentredString(left + label_w + (value - 0.5) * 11 * mm, y, str(value))
        pdf.setLineWidth(0.6)
        for key in SOUNDSCAPE_ROWS:
            y -= 8.5 * mm
            pdf.setFont("Helvetica", 9)
            for n, line in enumerate(_wrap(texts[key], label_w - 2 * mm, 9)[:2]):
                pdf.drawString(left, y + 1.5 * mm - n * 3.6 * mm, line)
            for value in range(1, 6):
                x = left + label_w + (value - 0.5) * 11 * mm - box_side / 2
                pdf.rect(x, y, box_side, box_side)
        y -= 8 * mm
        pdf.setStrokeColorRGB(0.5, 0.5, 0.5)
        pdf.line(left, y, right, y)
        pdf.setStrokeColorRGB(0, 0, 0)
    pdf.setFont("Helvetica", 7)
    pdf.drawString(left, 10 * mm, texts["ss_entry"])


def field_sheets_pdf(pages: list[SheetPage], *, event_name: str, join_url: str,
                     texts: dict[str, str] | None = None, soundscape: bool = False) -> bytes:
    """A PDF with one A4 page per square.

    Parameters
    ----------
    pages : list of SheetPage
        Geometries in the squares' metric CRS (metres).
    event_name, join_url : str
        The title of every page and the URL the QR code opens.
    texts : dict, optional
        Translated labels (keys of ``DEFAULT_TEXTS`` and ``SOUNDSCAPE_TEXTS``).
    soundscape : bool
        Add a page of blank soundscape answers (the event offers the questionnaire).
    """
    labels = {**DEFAULT_TEXTS, **SOUNDSCAPE_TEXTS, **(texts or {})}
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
    if soundscape:
        _soundscape_page(pdf, event_name=event_name, texts=labels)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


__all__ = ["SheetFeature", "SheetPage", "field_sheets_pdf", "qr_png"]
