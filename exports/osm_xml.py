"""JOSM review file: OSM XML 0.6 with ``upload="false"`` and a ``<changeset>`` block (pure).

See ``docs`` in the module :mod:`exports.osm_build` for the id and polygon rules; the file
passes ``osmium check-refs -r`` as written (nodes → ways → relations, -1, -2, … first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO

from exports.osm_build import Layout, OsmPlan, Primitive
from exports.records import ContextElement, ExportMeta, FeatureRecord
from exports.xmltext import attr, coord, tags_xml


def render(p: Primitive) -> str:
    """One primitive as JOSM writes it (``action``/``version`` only on existing elements)."""
    head = f'  <{p.type} id="{p.id}"'
    if p.action:
        head += f' action="{p.action}"'
    if p.version is not None:
        head += f' version="{p.version}"'
    if p.type == "node":
        head += f' lat="{coord(p.lat)}" lon="{coord(p.lon)}"'
    body = "".join(f'    <nd ref="{ref}"/>\n' for ref in p.refs)
    body += "".join(
        f'    <member type="{t}" ref="{ref}" role="{attr(role)}"/>\n' for t, ref, role in p.members
    )
    body += tags_xml(p.tags)
    return f"{head}/>\n" if not body else f"{head}>\n{body}  </{p.type}>\n"


LAYOUT = Layout("  ")


def write_osm(
    records: Iterable[FeatureRecord], stream: IO[str], *, meta: ExportMeta,
    context: Mapping[tuple[str, int], ContextElement],
) -> OsmPlan:
    """Write the review file for ``records`` (already validated) to a text ``stream``.

    Returns the plan, whose ``counts`` and ``features_written`` describe what was written.
    """
    plan = OsmPlan(render=render, layout=LAYOUT, context=context)
    try:
        plan.add_all(records)
        stream.write("<?xml version='1.0' encoding='UTF-8'?>\n")
        stream.write(f'<osm version="0.6" generator="{attr(meta.generator)}" upload="false">\n')
        stream.write(f"  <!-- {meta.attribution.replace('--', '—')} -->\n")
        if plan.has_data:
            west, south, east, north = plan.bounds
            stream.write(f'  <bounds minlat="{coord(south)}" minlon="{coord(west)}" '
                         f'maxlat="{coord(north)}" maxlon="{coord(east)}"/>\n')
        changeset = meta.changeset_tags(count=plan.features_written)
        stream.write(f"  <changeset>\n{tags_xml(changeset)}  </changeset>\n")
        for kind in ("node", "way", "relation"):
            plan.copy_new(kind, stream)
            if kind != "relation":
                for primitive in plan.existing(kind):
                    stream.write(render(primitive))
        stream.write("</osm>\n")
    finally:
        plan.close()
    return plan
