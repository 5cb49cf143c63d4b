"""osmChange 0.6 (``.osc``) written by our code, from JOSM semantics (pure).

``osmium cat`` cannot produce it (it picks the block from ``version``/``visible`` and ignores
``action``). Blocks are applied in file order: ``<create>`` lists nodes, then ways, then
relations, so every reference exists before use; ``<modify>`` follows with the edited existing
elements, carrying the version the edit starts from and *all* their tags. Every element
carries a ``changeset`` placeholder, substituted at upload.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO

from exports.osm_build import Layout, OsmPlan, Primitive
from exports.records import ContextElement, ExportMeta, FeatureRecord
from exports.xmltext import attr, coord, tags_xml

CHANGESET_PLACEHOLDER = 1


def render(p: Primitive) -> str:
    """One primitive of an osmChange block (``version="0"`` for creations)."""
    head = (f'    <{p.type} id="{p.id}" version="{p.version or 0}" '
            f'changeset="{CHANGESET_PLACEHOLDER}"')
    if p.type == "node":
        head += f' lat="{coord(p.lat)}" lon="{coord(p.lon)}"'
    body = "".join(f'      <nd ref="{ref}"/>\n' for ref in p.refs)
    body += "".join(
        f'      <member type="{t}" ref="{ref}" role="{attr(role)}"/>\n'
        for t, ref, role in p.members
    )
    body += tags_xml(p.tags, indent="      ")
    return f"{head}/>\n" if not body else f"{head}>\n{body}    </{p.type}>\n"


LAYOUT = Layout("    ", f' version="0" changeset="{CHANGESET_PLACEHOLDER}"')


def write_osc(
    records: Iterable[FeatureRecord], stream: IO[str], *, meta: ExportMeta,
    context: Mapping[tuple[str, int], ContextElement],
) -> OsmPlan:
    """Write an osmChange for ``records`` (already validated) to a text ``stream``."""
    plan = OsmPlan(render=render, layout=LAYOUT, context=context)
    try:
        plan.add_all(records)
        stream.write("<?xml version='1.0' encoding='UTF-8'?>\n")
        stream.write(f'<osmChange version="0.6" generator="{attr(meta.generator)}">\n')
        stream.write(f"  <!-- {meta.attribution.replace('--', '—')} -->\n")
        stream.write("  <create>\n")
        for kind in ("node", "way", "relation"):
            plan.copy_new(kind, stream)
        stream.write("  </create>\n  <modify>\n")
        for kind in ("node", "way"):
            for primitive in plan.existing(kind, modified_only=True):
                stream.write(render(primitive))
        stream.write("  </modify>\n</osmChange>\n")
    finally:
        plan.close()
    return plan
