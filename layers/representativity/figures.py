"""The representativity figures as SVG text, drawn from the document alone (pure).

Each function takes one section of the JSON document of
:func:`layers.representativity.document.representativity` and a ``translate`` function, and
returns an SVG string (matplotlib, text kept as text, no date: the same document gives the
same bytes) or None when there is nothing to draw. Figures never show more than the
document holds: in the public variant, hours, channels and 1 km areas under k are already
out of it, and map cells carry only ``covered`` or ``blank``.

- :func:`lorenz_svg` — the Lorenz curve of all channels and of each channel shown, with its
  Gini coefficient and the top-10 % share in the legend;
- :func:`hours_svg`, :func:`weekdays_svg` — contributions by hour of day and weekday,
  during and outside the event's window, the window's hours or days shaded;
- :func:`ages_svg` — declared age bands beside the residents' (merged answers as one bar);
- :func:`coverage_svg` — a static map of the map cells (covered, blank spots, no residents)
  and the 1 km areas (outlined; hatched when fewer than k people contributed there).

:func:`data_uri` turns an SVG into an ``img`` source the strict CSP allows (``data:``).
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import matplotlib
from shapely.geometry import shape

from mapping.errors import N_
from mapping.profiles import ANSWERS

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch

Translate = Callable[[str], str]
# Colour-blind-safe pairs (ColorBrewer): blue for what was reached, vermilion for what was not.
STATUS_COLOURS = {"covered": "#2c7bb6", "blank": "#d7191c", "empty": "#e0e0e0"}
CHANNEL_COLOURS = {
    "self": "#1f78b4",
    "mediator": "#33a02c",
    "paper": "#e66101",
    "import": "#6a3d9a",
}
INSIDE, OUTSIDE, OPEN = "#2c7bb6", "#fdae61", "#eef5e8"
RESIDENTS, DECLARED = "#9e9e9e", "#2c7bb6"
HIDDEN = "#616161"
METRIC_CRS = "EPSG:3035"  # INSEE's grid: cells are squares there
RC: Any = {  # matplotlib types rc keys as literals
    "svg.fonttype": "none",
    "svg.hashsalt": "cartoparty",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

LABELS = {
    "equality": N_("everyone alike"),
    "all": N_("all channels"),
    "self": N_("self (web or mobile)"),
    "mediator": N_("mediator"),
    "paper": N_("paper form"),
    "import": N_("import"),
    "lorenz_x": N_("share of contributors, least active first"),
    "lorenz_y": N_("share of contributions"),
    "curve": N_("{name}: Gini {gini}, top 10 % made {top10}"),
    "inside": N_("during the event"),
    "outside": N_("outside the event's hours"),
    "open_hours": N_("the event's hours"),
    "open_days": N_("the event's days"),
    "hidden_slot": N_("fewer than {k} contributors: left out"),
    "hour": N_("hour of the day"),
    "weekday": N_("day of the week"),
    "contributions": N_("contributions"),
    "residents": N_("residents (11 years and over)"),
    "declared": N_("participants"),
    "share": N_("share"),
    "merged": N_("merged (fewer than {k} each)"),
    "covered": N_("covered"),
    "blank": N_("blank spot"),
    "empty": N_("no residents"),
    "area": N_("1 km area"),
    "area_suppressed": N_("1 km area, fewer than {k} contributors"),
}
WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # no XML prolog or DOCTYPE: an <img> needs neither


def data_uri(svg: str | None) -> str | None:
    """``data:image/svg+xml;base64,…`` for an ``img`` (scripts never run in an SVG image)."""
    if svg is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _curve_label(tr: Translate, name: str, part: dict[str, Any]) -> str:
    gini = part.get("gini")
    return tr(LABELS["curve"]).format(
        name=name,
        gini="—" if gini is None else f"{gini:.2f}",
        top10=_percent(part.get("top10_share")),
    )


def lorenz_svg(concentration: dict[str, Any], tr: Translate) -> str | None:
    """The Lorenz curve, all channels (thick) and each channel with 2 contributors or more."""
    if not concentration.get("lorenz"):
        return None
    with plt.rc_context(RC):
        fig, axis = plt.subplots(figsize=(6, 4.4))
        axis.plot([0, 1], [0, 1], color="#999", linestyle="--", label=tr(LABELS["equality"]))
        xs, ys = zip(*concentration["lorenz"], strict=True)
        axis.plot(
            xs,
            ys,
            color="black",
            linewidth=2.5,
            label=_curve_label(tr, tr(LABELS["all"]), concentration),
        )
        for channel, part in (concentration.get("per_channel") or {}).items():
            if part.get("lorenz") and (part.get("contributors") or 0) > 1:
                xs, ys = zip(*part["lorenz"], strict=True)
                axis.plot(
                    xs,
                    ys,
                    color=CHANNEL_COLOURS.get(channel, "#666"),
                    linewidth=1.5,
                    label=_curve_label(tr, tr(LABELS.get(channel, channel)), part),
                )
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1)
        axis.set_aspect("equal")
        axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        axis.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        axis.set_xlabel(tr(LABELS["lorenz_x"]))
        axis.set_ylabel(tr(LABELS["lorenz_y"]))
        axis.legend(fontsize=7.5, loc="upper left", frameon=False)
        return _svg(fig)


def _window_bars(
    rows: list[dict[str, Any]],
    key: str,
    ticks: list[str],
    *,
    xlabel: str,
    shade: str,
    tr: Translate,
    size: tuple[float, float],
    hidden: tuple[int, ...] = (),
    k: int = 5,
) -> str | None:
    if not any(row["contributions"] for row in rows):
        return None
    with plt.rc_context(RC):
        fig, axis = plt.subplots(figsize=size)
        positions = [row[key] for row in rows]
        inside = [row["inside_window"] for row in rows]
        outside = [row["contributions"] - row["inside_window"] for row in rows]
        shaded = False
        for row in rows:
            if row["open"]:
                axis.axvspan(
                    row[key] - 0.5,
                    row[key] + 0.5,
                    color=OPEN,
                    zorder=0,
                    label=None if shaded else tr(LABELS[shade]),
                )
                shaded = True
        axis.bar(positions, inside, color=INSIDE, label=tr(LABELS["inside"]))
        axis.bar(
            positions,
            outside,
            bottom=inside,
            color=OUTSIDE,
            label=tr(LABELS["outside"]),
            hatch="//",
            edgecolor="white",
            linewidth=0,
        )
        if hidden:  # slots holding a group under k: marked, never counted
            top = max(r["contributions"] for r in rows)
            axis.bar(
                list(hidden),
                [top * 0.06] * len(hidden),
                color="none",
                edgecolor=HIDDEN,
                hatch="xx",
                linewidth=0.8,
                label=tr(LABELS["hidden_slot"]).format(k=k),
            )
        axis.set_xticks(positions, ticks)
        axis.set_xlim(positions[0] - 0.6, positions[-1] + 0.6)
        axis.set_xlabel(xlabel)
        axis.set_ylabel(tr(LABELS["contributions"]))
        axis.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        axis.legend(fontsize=7.5, frameon=False)
        return _svg(fig)


def hours_svg(time: dict[str, Any], tr: Translate, *, k: int = 5) -> str | None:
    """Contributions by local hour of day, hours holding a group under k marked; None when
    no contribution has a time."""
    rows = time["by_hour"]
    return _window_bars(
        rows,
        "hour",
        [f"{r['hour']}" if r["hour"] % 2 == 0 else "" for r in rows],
        xlabel=tr(LABELS["hour"]),
        shade="open_hours",
        tr=tr,
        size=(7, 3.2),
        hidden=tuple(time.get("suppressed_hours_of_day") or ()),
        k=k,
    )


def weekdays_svg(time: dict[str, Any], tr: Translate) -> str | None:
    """Contributions by local weekday (Monday first); None when no contribution has a time."""
    rows = time["by_weekday"]
    return _window_bars(
        rows,
        "weekday",
        [tr(WEEKDAY_NAMES[r["weekday"]])[:3] for r in rows],
        xlabel=tr(LABELS["weekday"]),
        shade="open_days",
        tr=tr,
        size=(5.5, 3),
    )


def age_rows(
    profile: dict[str, Any],
    tr: Translate,
    *,
    k: int = 5,
) -> list[tuple[str, float | None, float]]:
    """``(label, residents' share, participants' share)`` per age band shown, in band order;
    answers merged under k form one row at the place of their first band."""
    declared = ((profile.get("declared") or {}).get("questions") or {}).get("age_band")
    if not declared:
        return []
    residents = (profile.get("population") or {}).get("age_band") or {}
    shown = {a["answer"]: a for a in declared["answers"]}
    merged = declared.get("merged") or None
    rows: list[tuple[str, float | None, float]] = []
    for band, label in ANSWERS["age_band"].items():
        if band in shown:
            rows.append((tr(label), residents.get(band), shown[band]["share"]))
        elif (
            merged
            and merged.get("share") is not None
            and band == next(b for b in ANSWERS["age_band"] if b in merged["answers"])
        ):
            names = ", ".join(
                tr(ANSWERS["age_band"][b]) for b in merged["answers"] if b in ANSWERS["age_band"]
            )
            rows.append(
                (
                    f"{names} — {tr(LABELS['merged']).format(k=k)}",
                    merged.get("population_share"),
                    merged["share"],
                )
            )
    return rows


def ages_svg(profile: dict[str, Any], tr: Translate, *, k: int = 5) -> str | None:
    """Declared age bands beside the residents' shares; None without both."""
    rows = age_rows(profile, tr, k=k)
    if not rows or not any(r[1] is not None for r in rows):
        return None
    with plt.rc_context(RC):
        fig, axis = plt.subplots(figsize=(7, 3.2 + 0.25 * len(rows)))
        positions = list(range(len(rows)))
        axis.barh(
            [p - 0.2 for p in positions],
            [r[1] or 0 for r in rows],
            height=0.4,
            color=RESIDENTS,
            label=tr(LABELS["residents"]),
        )
        axis.barh(
            [p + 0.2 for p in positions],
            [r[2] for r in rows],
            height=0.4,
            color=DECLARED,
            label=tr(LABELS["declared"]),
        )
        axis.set_yticks(positions, [textwrap.fill(r[0], 28) for r in rows])
        axis.invert_yaxis()
        axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        axis.set_xlabel(tr(LABELS["share"]))
        axis.legend(fontsize=7.5, frameon=False, loc="lower right")
        return _svg(fig)


def _frame(collection: dict[str, Any]) -> gpd.GeoDataFrame:
    features = collection["features"]
    return gpd.GeoDataFrame(
        [f["properties"] for f in features],
        geometry=[shape(f["geometry"]) for f in features],
        crs="EPSG:4326",
    ).to_crs(METRIC_CRS)


def coverage_svg(
    coverage: dict[str, Any], tr: Translate, *, zone: dict[str, Any] | None = None, k: int = 5
) -> str | None:
    """The map cells by status and the 1 km areas outlined (hatched under k); the zone's
    outline when given (GeoJSON geometry). None without cells."""
    if not coverage["cells"]["features"]:
        return None
    cells = _frame(coverage["cells"])
    areas = _frame(coverage["areas"]) if coverage["areas"]["features"] else None
    populated = cells["inhabitants"].fillna(1) > 0
    status = cells["status"].where(populated, "empty")
    with plt.rc_context(RC):
        fig, axis = plt.subplots(figsize=(6.5, 6.5))
        for name, colour in STATUS_COLOURS.items():
            part = cells[status == name]
            if len(part):
                part.plot(ax=axis, color=colour, edgecolor="white", linewidth=0.3)
        handles = [
            Patch(facecolor=c, label=tr(LABELS[n]))
            for n, c in STATUS_COLOURS.items()
            if (status == n).any()
        ]
        if areas is not None:
            shown = areas[(areas["status"] != "blank") | (areas["inhabitants"] > 0)]
            hidden = shown[shown["status"] == "suppressed"]
            if len(shown):
                shown.boundary.plot(ax=axis, color="#252525", linewidth=0.8)
            handles.append(Patch(facecolor="none", edgecolor="#252525", label=tr(LABELS["area"])))
            if len(hidden):
                hidden.plot(
                    ax=axis, facecolor="none", edgecolor="#252525", hatch="///", linewidth=0.8
                )
                handles.append(
                    Patch(
                        facecolor="none",
                        edgecolor="#252525",
                        hatch="///",
                        label=tr(LABELS["area_suppressed"]).format(k=k),
                    )
                )
        if zone is not None:
            outline = gpd.GeoSeries([shape(zone)], crs="EPSG:4326").to_crs(METRIC_CRS)
            outline.boundary.plot(ax=axis, color="black", linewidth=1.2, linestyle="--")
        west, south, east, north = cells.total_bounds
        axis.set_xlim(west - 100, east + 100)
        axis.set_ylim(south - 100, north + 100)
        axis.plot([west, west + 1000], [south - 60, south - 60], color="black", linewidth=2)
        axis.text(west + 500, south - 40, "1 km", ha="center", va="bottom", fontsize=8)
        axis.set_aspect("equal")
        axis.set_axis_off()
        axis.legend(
            handles=handles,
            fontsize=7.5,
            frameon=True,
            loc="upper left",
            bbox_to_anchor=(0, -0.02),
            ncol=2,
        )
        return _svg(fig)


__all__ = [
    "LABELS",
    "WEEKDAY_NAMES",
    "age_rows",
    "ages_svg",
    "coverage_svg",
    "data_uri",
    "hours_svg",
    "lorenz_svg",
    "weekdays_svg",
]
