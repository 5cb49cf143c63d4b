"""The representativity document laid out for reading: sections, each with its figure, the
sentences that say what it shows and the tables of its numbers (pure).

The desk page renders these sections as they are (figures as ``img`` with a text
alternative, every number also in a table: the non-map, non-chart path); the summary page
can use the same tables. Values are already formatted strings (``None`` reads "—"); counts
hidden by the suppression rule read "fewer than k".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from layers.representativity import figures
from mapping.errors import N_
from mapping.profiles import ANSWERS, QUESTIONS

Translate = Callable[[str], str]
BLANK_SPOTS_SHOWN = 20

T = {
    "coverage": N_("Coverage in space"),
    "coverage_alt": N_(
        "Map of the zone's 200 m cells: {covered} covered, {blank} blank spots "
        "(populated cells nobody mapped), 1 km areas outlined."
    ),
    "facts": N_(
        "{contributions} contributions; {covered} of {cells} map cells covered; "
        "{blank} blank spots where {people} people live."
    ),
    "rate": N_("{rate} contributions per 1,000 inhabitants."),
    "no_grid": N_(
        "No population grid is loaded for this carto-party: cells are a plain "
        "200 m lattice, without residents. Load one with cartoparty "
        "import_population."
    ),
    "measure": N_("measure"),
    "value": N_("value"),
    "contributions": N_("contributions"),
    "contributors": N_("contributors"),
    "inhabitants": N_("inhabitants"),
    "per_1000": N_("per 1,000 inhabitants"),
    "populated_cells": N_("populated map cells"),
    "covered_cells": N_("map cells covered"),
    "blank_spots": N_("blank spots"),
    "in_blank": N_("inhabitants in blank spots"),
    "imputed_cells": N_("imputed cells"),
    "elsewhere": N_("contributions outside populated cells"),
    "thirds": N_("By living standard of the cells (thirds of residents)"),
    "third": N_("third"),
    "lower_third": N_("lower third"),
    "middle_third": N_("middle third"),
    "upper_third": N_("upper third"),
    "areas": N_("By 1 km area"),
    "area": N_("1 km area"),
    "status": N_("status"),
    "covered": N_("covered"),
    "blank": N_("blank spot"),
    "suppressed": N_("fewer than {k}"),
    "top_blank": N_("Most populated blank spots"),
    "cell": N_("cell"),
    "imputed": N_("imputed"),
    "yes": N_("yes"),
    "no": N_("no"),
    "squares": N_("By task square"),
    "square": N_("square"),
    "concentration": N_("Concentration: is the map made by a few enthusiasts?"),
    "lorenz_alt": N_(
        "Lorenz curve: the most active 10 % of contributors made {top10} of the "
        "contributions; Gini coefficient {gini}."
    ),
    "concentration_text": N_(
        "The most active 10 % made {top10} of the contributions; {half} "
        "contributors made half of them. Gini coefficient: {gini} (0: "
        "everyone alike; towards 1: one person did everything)."
    ),
    "joined": N_("{participants} participants joined; {idle} of them contributed nothing."),
    "channels": N_("By channel"),
    "channel": N_("channel"),
    "top10": N_("share of the most active 10 %"),
    "gini": N_("Gini"),
    "half": N_("contributors for half"),
    "lorenz_table": N_("The Lorenz curve, point by point"),
    "lorenz_x": N_("share of contributors, least active first"),
    "all": N_("all channels"),
    "self": N_("self (web or mobile)"),
    "mediator": N_("mediator"),
    "paper": N_("paper form"),
    "import": N_("import"),
    "time": N_("Time: when people took part ({tz})"),
    "hours_alt": N_(
        "Bar chart of contributions by hour of the day: {inside} during the event, "
        "{outside} outside its hours; busiest hour {peak}."
    ),
    "weekdays_alt": N_("Bar chart of contributions by day of the week."),
    "time_text": N_(
        "{inside} contributions during the event's window, {before} before, "
        "{after} after; {without} without a participation time (paper forms and "
        "imports of features)."
    ),
    "hour": N_("hour"),
    "weekday": N_("day"),
    "inside": N_("during the event"),
    "outside": N_("outside the event's hours"),
    "open": N_("event open"),
    "suppressed_hours": N_(
        "{n} hours with fewer than {k} contributors are left out of every figure."
    ),
    "profile": N_("Who took part, beside the residents"),
    "ages_alt": N_("Bar chart of declared age bands beside the residents' age bands."),
    "profile_text": N_(
        "{respondents} of the {asked} participants who were asked answered at least one question."
    ),
    "profile_few": N_(
        "Fewer than {k} participants answered the optional questions: their answers are not shown."
    ),
    "answer": N_("answer"),
    "people": N_("people"),
    "share": N_("share"),
    "residents_share": N_("residents' share"),
    "merged": N_("merged (fewer than {k} each)"),
    "no_answer": N_("no answer"),
    "population": N_("The residents (population grid)"),
    "poor": N_("households below the poverty line"),
    "living": N_("mean standard of living"),
    "social": N_("social housing"),
    "rule": N_("Small counts never leak"),
}


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    key: str
    title: str
    figure: str | None = None  # an img source (data URI)
    alt: str = ""
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


DECIMAL = {"fr": ","}


def _formatter(doc: dict[str, Any], tr: Translate) -> Callable[..., str]:
    k = doc["suppression"]["k"]
    return lambda key, **values: tr(T[key]).format(**{"k": k, **values})


def _n(value: Any) -> str:
    """A count or a rate without grouping, to 0.01 (the decimal mark set by the language)."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:.2f}".rstrip("0").rstrip(".")


DIGIT_DOT = re.compile(r"(?<=\d)\.(?=\d)")
NUMBER = re.compile(r"^-?\d+\.\d+( €)?$")


def _localised(section: Section, decimal: str) -> Section:
    for table in section.tables:
        table.rows = [
            [c.replace(".", decimal) if NUMBER.match(c) else c for c in row] for row in table.rows
        ]
    section.paragraphs = [DIGIT_DOT.sub(decimal, p) for p in section.paragraphs]
    return section


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _coverage(doc: dict[str, Any], tr: Translate, zone: dict[str, Any] | None) -> Section:
    cov = doc["coverage"]
    t = _formatter(doc, tr)
    cells = cov["cells"]["features"]
    blank = len(cov["blank_spots"])
    section = Section(
        "coverage",
        t("coverage"),
        figure=figures.data_uri(
            figures.coverage_svg(cov, tr, zone=zone, k=doc["suppression"]["k"])
        ),
        alt=t("coverage_alt", covered=cov["covered"], blank=blank),
    )
    facts = t(
        "facts",
        contributions=cov["contributions"],
        covered=cov["covered"],
        cells=len(cells),
        blank=blank,
        people=_n(round(cov["inhabitants_in_blank_spots"])),
    )
    if cov["per_1000_inhabitants"] is not None:
        facts += " " + t("rate", rate=_n(cov["per_1000_inhabitants"]))
    section.paragraphs.append(facts)
    if cov["cell_source"] != "population grid":
        section.paragraphs.append(t("no_grid"))
    if cov.get("cells_note"):
        section.paragraphs.append(cov["cells_note"])
    rows = [
        [t("contributions"), _n(cov["contributions"])],
        [t("populated_cells"), _n(cov["populated_cells"])],
        [t("covered_cells"), _n(cov["covered"])],
        [t("blank_spots"), _n(blank)],
        [t("inhabitants"), _n(cov["inhabitants"])],
        [t("in_blank"), _n(cov["inhabitants_in_blank_spots"])],
        [t("per_1000"), _n(cov["per_1000_inhabitants"])],
        [t("imputed_cells"), _n(cov["imputed_cells"])],
    ]
    if "elsewhere" in cov:
        rows.append([t("elsewhere"), _n(cov["elsewhere"])])
    section.tables.append(Table(t("coverage"), [t("measure"), t("value")], rows))
    if cov["by_living_standard"]:
        section.tables.append(
            Table(
                t("thirds"),
                [t("third"), t("inhabitants"), t("contributions"), t("per_1000"), t("blank_spots")],
                [
                    [
                        t(r["class"]),
                        _n(r["inhabitants"]),
                        t("suppressed") if r["contributions"] is None else _n(r["contributions"]),
                        _n(r["per_1000_inhabitants"]),
                        _n(r["blank_spots"]),
                    ]
                    for r in cov["by_living_standard"]
                ],
            )
        )
    areas = [
        f["properties"]
        for f in cov["areas"]["features"]
        if f["properties"]["inhabitants"] or f["properties"]["status"] != "blank"
    ]
    section.tables.append(
        Table(
            t("areas"),
            [
                t("area"),
                t("inhabitants"),
                t("contributions"),
                t("contributors"),
                t("per_1000"),
                t("status"),
            ],
            [
                [
                    a["code"],
                    _n(a["inhabitants"]),
                    *(
                        [t("suppressed")] * 3
                        if a["status"] == "suppressed"
                        else [
                            _n(a["contributions"]),
                            _n(a["contributors"]),
                            _n(a["per_1000_inhabitants"]),
                        ]
                    ),
                    t(a["status"]),
                ]
                for a in areas
            ],
        )
    )
    by_code = {f["id"]: f["properties"] for f in cells}
    section.tables.append(
        Table(
            t("top_blank"),
            [t("cell"), t("inhabitants"), t("third"), t("imputed")],
            [
                [
                    code,
                    _n(by_code[code]["inhabitants"]),
                    t(by_code[code]["living_standard"])
                    if by_code[code]["living_standard"] in T
                    else "—",
                    t("yes") if by_code[code]["imputed"] else t("no"),
                ]
                for code in cov["blank_spots"][:BLANK_SPOTS_SHOWN]
            ],
        )
    )
    squares = cov.get("task_squares")
    if squares:
        section.tables.append(
            Table(
                t("squares"),
                [
                    t("square"),
                    t("contributions"),
                    t("contributors"),
                    t("inhabitants"),
                    t("per_1000"),
                ],
                [
                    [
                        r["label"],
                        _n(r["contributions"]),
                        _n(r["contributors"]),
                        _n(r["inhabitants"]),
                        _n(r["per_1000_inhabitants"]),
                    ]
                    for r in squares["rows"]
                ],
            )
        )
    return section


def _concentration(doc: dict[str, Any], tr: Translate) -> Section:
    conc = doc["concentration"]
    t = _formatter(doc, tr)
    gini = "—" if conc["gini"] is None else f"{conc['gini']:.2f}"
    section = Section(
        "concentration",
        t("concentration"),
        figure=figures.data_uri(figures.lorenz_svg(conc, tr)),
        alt=t("lorenz_alt", top10=_pct(conc["top10_share"]), gini=gini),
    )
    if conc["contributors"]:
        section.paragraphs.append(
            t(
                "concentration_text",
                top10=_pct(conc["top10_share"]),
                half=conc["contributors_for_half"],
                gini=gini,
            )
        )
    if "participants" in conc:
        section.paragraphs.append(
            t("joined", participants=conc["participants"], idle=conc["joined_without_contributing"])
        )
    rows = [
        [
            t("all"),
            _n(conc["contributors"]),
            _n(conc["contributions"]),
            _pct(conc["top10_share"]),
            gini,
            _n(conc["contributors_for_half"]),
        ]
    ]
    for channel, part in conc["per_channel"].items():
        if part.get("suppressed"):
            rows.append([t(channel), *[t("suppressed")] * 5])
        else:
            rows.append(
                [
                    t(channel),
                    _n(part["contributors"]),
                    _n(part["contributions"]),
                    _pct(part["top10_share"]),
                    "—" if part["gini"] is None else f"{part['gini']:.2f}",
                    _n(part["contributors_for_half"]),
                ]
            )
    section.tables.append(
        Table(
            t("channels"),
            [t("channel"), t("contributors"), t("contributions"), t("top10"), t("gini"), t("half")],
            rows,
        )
    )
    curves = [(t("all"), conc)] + [
        (t(c), p) for c, p in conc["per_channel"].items() if p.get("lorenz")
    ]
    if conc.get("lorenz"):
        shares = [x for x, _ in conc["lorenz"]]
        section.tables.append(
            Table(
                t("lorenz_table"),
                [t("lorenz_x"), *[n for n, _ in curves]],
                [
                    [_pct(x)] + [_pct(dict(map(tuple, p["lorenz"])).get(x)) for _, p in curves]
                    for x in shares
                ],
            )
        )
    return section


def _time(doc: dict[str, Any], tr: Translate) -> list[Section]:
    time = doc["time"]
    t = _formatter(doc, tr)
    outside = time["before_window"] + time["after_window"]
    hours = Section(
        "time",
        t("time", tz=time["time_zone"]),
        figure=figures.data_uri(figures.hours_svg(time, tr, k=doc["suppression"]["k"])),
        alt=t(
            "hours_alt",
            inside=time["inside_window"],
            outside=outside,
            peak="—" if time["peak_hour"] is None else f"{time['peak_hour']} h",
        ),
    )
    hours.paragraphs.append(
        t(
            "time_text",
            inside=time["inside_window"],
            before=time["before_window"],
            after=time["after_window"],
            without=time["without_time"],
        )
    )
    if time.get("suppressed_hours"):
        hours.paragraphs.append(t("suppressed_hours", n=time["suppressed_hours"]))
    hidden = set(time.get("suppressed_hours_of_day") or ())
    yes, no = t("yes"), t("no")
    hours.tables.append(
        Table(
            t("time", tz=time["time_zone"]),
            [t("hour"), t("inside"), t("outside"), t("open")],
            [
                [
                    f"{r['hour']} h",
                    *(
                        [t("suppressed")] * 2
                        if r["hour"] in hidden and not r["contributions"]
                        else [
                            _n(r["inside_window"]),
                            _n(r["contributions"] - r["inside_window"]),
                        ]
                    ),
                    yes if r["open"] else no,
                ]
                for r in time["by_hour"]
            ],
        )
    )
    days = Section(
        "weekdays",
        "",
        figure=figures.data_uri(figures.weekdays_svg(time, tr)),
        alt=t("weekdays_alt"),
    )
    days.tables.append(
        Table(
            t("weekdays_alt"),
            [t("weekday"), t("inside"), t("outside"), t("open")],
            [
                [
                    tr(figures.WEEKDAY_NAMES[r["weekday"]]),
                    _n(r["inside_window"]),
                    _n(r["contributions"] - r["inside_window"]),
                    yes if r["open"] else no,
                ]
                for r in time["by_weekday"]
            ],
        )
    )
    return [hours, days]


def _profile(doc: dict[str, Any], tr: Translate) -> Section:
    profile = doc["profile"]
    t = _formatter(doc, tr)
    section = Section(
        "profile",
        t("profile"),
        figure=figures.data_uri(figures.ages_svg(profile, tr, k=doc["suppression"]["k"])),
        alt=t("ages_alt"),
    )
    if profile.get("note"):
        section.paragraphs.append(profile["note"])
    declared = profile.get("declared")
    if declared:
        if declared.get("questions"):
            section.paragraphs.append(
                t(
                    "profile_text",
                    respondents=_n(declared["respondents"]),
                    asked=_n(declared["asked"]),
                )
            )
        else:
            section.paragraphs.append(t("profile_few"))
        for question, block in (declared.get("questions") or {}).items():
            labels = {**ANSWERS.get(question, {}), "no_answer": T["no_answer"]}
            rows = [
                [
                    tr(labels.get(a["answer"], a["answer"])),
                    _n(a["count"]),
                    _pct(a["share"]),
                    _pct(a.get("population_share")),
                ]
                for a in block["answers"]
            ]
            merged = block.get("merged")
            if merged:
                names = ", ".join(tr(labels.get(a, a)) for a in merged["answers"])
                rows.append(
                    [
                        f"{names} — {t('merged')}",
                        _n(merged["count"]),
                        _pct(merged.get("share")),
                        _pct(merged.get("population_share")),
                    ]
                )
            section.tables.append(
                Table(
                    tr(QUESTIONS.get(question, question)),
                    [t("answer"), t("people"), t("share"), t("residents_share")],
                    rows,
                )
            )
    population = profile.get("population")
    if population:
        if population.get("age_note"):
            section.paragraphs.append(population["age_note"])
        living = population["mean_living_standard_eur"]
        section.tables.append(
            Table(
                t("population"),
                [t("measure"), t("value")],
                [
                    [t("inhabitants"), _n(population["inhabitants"])],
                    [t("poor"), _pct(population["poor_households_share"])],
                    [t("living"), "—" if living is None else f"{living:,} €"],
                    [t("social"), _pct(population["social_housing_share"])],
                ],
            )
        )
    return section


def page_sections(
    document: dict[str, Any],
    *,
    translate: Translate = str,
    zone: dict[str, Any] | None = None,
    language: str = "en",
) -> list[Section]:
    """The document as sections to render, figures included (``zone``: GeoJSON outline;
    ``language`` sets the decimal mark of the tables)."""
    tr = translate
    sections = [
        _coverage(document, tr, zone),
        _concentration(document, tr),
        *_time(document, tr),
        _profile(document, tr),
    ]
    rule = Section("rule", tr(T["rule"]), paragraphs=[document["suppression"]["rule"]])
    if document["suppression"].get("filters_note"):
        rule.paragraphs.append(document["suppression"]["filters_note"])
    decimal = DECIMAL.get(language[:2], ".")
    return [_localised(section, decimal) for section in [*sections, rule]]


__all__ = ["Section", "Table", "page_sections"]
