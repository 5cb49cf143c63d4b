"""QGIS styles of the GeoPackage export (pure): the ``layer_styles`` table QGIS reads.

QGIS looks in a GeoPackage's ``layer_styles`` table for a layer's default style (the row whose
``f_table_name`` and ``f_geometry_column`` name the layer and whose ``useAsDefault`` is true)
and applies its QML, so the layers open styled: features by geometry (points, lines, areas),
reports by intensity (1 pale to 5 dark red), measurements by LAeq in 10-dB bands. Every style
is a rule-based renderer whose rules also test the geometry type, because the layers mix
points and lines (a report may be a short line, a mobile sensor a track).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

QGIS_VERSION = "3.22.0"  # Debian 12's QGIS; later versions read it as well
POINT = "geometry_type($geometry) = 'Point'"
LINE = "geometry_type($geometry) = 'Line'"
AREA = "geometry_type($geometry) = 'Polygon'"
# 1 (barely noticeable) to 5 (unbearable): ColorBrewer YlOrRd.
INTENSITY_COLOURS = ("255,255,178", "254,204,92", "253,141,60", "240,59,32", "189,0,38")
# LAeq dB(A) bands and their colours, from quiet to loud (the END noise-map convention).
LEVEL_BANDS = (
    (None, 45, "160,186,191"),
    (45, 55, "184,214,209"),
    (55, 65, "255,234,128"),
    (65, 75, "237,106,46"),
    (75, None, "146,0,38"),
)


@dataclass(frozen=True)
class Rule:
    """One rule of a rule-based renderer: its label, filter expression and symbol."""

    label: str
    filter: str
    kind: str  # marker, line or fill
    colour: str  # "r,g,b"
    size: float = 2.6  # marker diameter or line width, millimetres


def _options(parent: ET.Element, values: dict[str, str]) -> None:
    holder = ET.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        ET.SubElement(holder, "Option", name=name, type="QString", value=value)


def _layer(symbol: ET.Element, kind: str) -> ET.Element:
    return ET.SubElement(
        symbol, "layer", {"class": kind, "enabled": "1", "locked": "0", "pass": "0"}
    )


def _symbol(parent: ET.Element, name: str, rule: Rule) -> None:
    symbol = ET.SubElement(
        parent, "symbol", type=rule.kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0"
    )
    colour = f"{rule.colour},255"
    if rule.kind == "marker":
        layer = _layer(symbol, "SimpleMarker")
        _options(
            layer,
            {
                "color": colour,
                "name": "circle",
                "outline_color": "255,255,255,255",
                "outline_style": "solid",
                "outline_width": "0.4",
                "outline_width_unit": "MM",
                "size": str(rule.size),
                "size_unit": "MM",
            },
        )
    elif rule.kind == "line":
        layer = _layer(symbol, "SimpleLine")
        _options(
            layer,
            {
                "line_color": colour,
                "line_style": "solid",
                "line_width": str(rule.size),
                "line_width_unit": "MM",
                "capstyle": "round",
                "joinstyle": "round",
            },
        )
    else:
        layer = _layer(symbol, "SimpleFill")
        _options(
            layer,
            {
                "color": f"{rule.colour},110",
                "style": "solid",
                "outline_color": colour,
                "outline_style": "solid",
                "outline_width": "0.5",
                "outline_width_unit": "MM",
            },
        )


def qml(rules: list[Rule]) -> str:
    """A QGIS style (QML) drawing ``rules``."""
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology")
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        type="RuleRenderer",
        symbollevels="0",
        enableorderby="0",
        forceraster="0",
    )
    tree = ET.SubElement(renderer, "rules", key="root")
    symbols = ET.SubElement(renderer, "symbols")
    for number, rule in enumerate(rules):
        ET.SubElement(
            tree,
            "rule",
            key=f"rule{number}",
            label=rule.label,
            filter=rule.filter,
            symbol=str(number),
        )
        _symbol(symbols, str(number), rule)
    body = ET.tostring(root, encoding="unicode")
    return f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n{body}\n"


def features_rules() -> list[Rule]:
    """Mapped features: blue points, lines and areas."""
    return [
        Rule("Point", POINT, "marker", "31,120,180"),
        Rule("Line", LINE, "line", "31,120,180", 0.8),
        Rule("Area", AREA, "fill", "31,120,180"),
    ]


def reports_rules() -> list[Rule]:
    """Reports by intensity (a line report drawn as a line of its colour)."""
    rules = []
    for intensity, colour in enumerate(INTENSITY_COLOURS, start=1):
        where = f'"intensity" = {intensity}'
        rules += [
            Rule(
                f"Intensity {intensity}",
                f"{POINT} AND {where}",
                "marker",
                colour,
                2.0 + 0.4 * intensity,
            ),
            Rule(
                f"Intensity {intensity} (line)",
                f"{LINE} AND {where}",
                "line",
                colour,
                0.6 + 0.2 * intensity,
            ),
        ]
    return rules


def measurements_rules() -> list[Rule]:
    """Sensors by LAeq (dB(A)), a mobile track drawn as a line; grey when not measured."""
    rules = []
    for low, high, colour in LEVEL_BANDS:
        bounds = [
            f'"laeq_db" >= {low}' if low is not None else "",
            f'"laeq_db" < {high}' if high is not None else "",
        ]
        where = " AND ".join(part for part in bounds if part)
        label = (
            f"< {high} dB(A)"
            if low is None
            else f"≥ {low} dB(A)"
            if high is None
            else f"{low}–{high} dB(A)"
        )
        rules += [
            Rule(label, f"{POINT} AND {where}", "marker", colour, 3.0),
            Rule(f"{label} (track)", f"{LINE} AND {where}", "line", colour, 1.0),
        ]
    rules.append(Rule("No level", '"laeq_db" IS NULL', "marker", "150,150,150", 2.0))
    return rules


#: The style of each layer of the export, by layer name.
STYLES = {"features": features_rules, "reports": reports_rules, "measurements": measurements_rules}


def style_rows(layers: dict[str, str]) -> list[dict[str, object]]:
    """The ``layer_styles`` rows for ``layers`` (layer name → geometry column), in QGIS's
    columns; layers without a style are left out."""
    return [
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": name,
            "f_geometry_column": column,
            "styleName": name,
            "styleQML": qml(STYLES[name]()),
            "styleSLD": "",
            "useAsDefault": True,
            "description": f"Cartoparty style of the {name} layer",
            "owner": "",
            "ui": "",
        }
        for name, column in layers.items()
        if name in STYLES
    ]
