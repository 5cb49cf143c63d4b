"""SDF glyphs for street names, decoded with Google's protobuf runtime (not our encoder)."""

from __future__ import annotations

import numpy as np
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from exports.basemap.glyphs import GlyphRangeError, font_of, glyph_range


def glyphs_message():  # type: ignore[no-untyped-def]
    """The ``glyphs`` message of MapLibre's glyphs.proto, built at run time."""
    proto = descriptor_pb2.FileDescriptorProto(name="glyphs_test.proto", package="llmr.glyphs",
                                               syntax="proto2")
    fields = descriptor_pb2.FieldDescriptorProto
    optional, repeated = fields.LABEL_OPTIONAL, fields.LABEL_REPEATED
    glyph = proto.message_type.add(name="glyph")
    for number, name, kind in [(1, "id", fields.TYPE_UINT32), (2, "bitmap", fields.TYPE_BYTES),
                               (3, "width", fields.TYPE_UINT32), (4, "height", fields.TYPE_UINT32),
                               (5, "left", fields.TYPE_SINT32), (6, "top", fields.TYPE_SINT32),
                               (7, "advance", fields.TYPE_UINT32)]:
        glyph.field.add(name=name, number=number, type=kind, label=optional)
    stack = proto.message_type.add(name="fontstack")
    stack.field.add(name="name", number=1, type=fields.TYPE_STRING, label=optional)
    stack.field.add(name="range", number=2, type=fields.TYPE_STRING, label=optional)
    stack.field.add(name="glyphs", number=3, type=fields.TYPE_MESSAGE, label=repeated,
                    type_name=".llmr.glyphs.glyph")
    root = proto.message_type.add(name="glyphs")
    root.field.add(name="stacks", number=1, type=fields.TYPE_MESSAGE, label=repeated,
                   type_name=".llmr.glyphs.fontstack")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("llmr.glyphs.glyphs"))


@pytest.fixture(scope="module")
def latin() -> dict:  # type: ignore[type-arg]
    message = glyphs_message()()
    message.ParseFromString(glyph_range("DejaVu Sans Book", 0, 255))
    (stack,) = message.stacks
    assert (stack.name, stack.range) == ("DejaVu Sans Book", "0-255")
    return {g.id: g for g in stack.glyphs}


def test_a_letter_is_a_signed_distance_field_around_its_ink(latin) -> None:  # type: ignore[no-untyped-def]
    letter = latin[ord("l")]  # a vertical bar: ink in the middle column, none at the edges
    width, height = letter.width + 6, letter.height + 6  # 3 px buffer on each side
    field = np.frombuffer(letter.bitmap, dtype=np.uint8).reshape(height, width)
    assert field[height // 2, width // 2] > 191  # inside the outline (the edge is at 191)
    assert field[0, 0] < 100  # outside, fading away
    assert field[height // 2, 0] < 191
    assert 5 < letter.advance < 12
    assert letter.height > 14


def test_space_has_an_advance_and_no_bitmap(latin) -> None:  # type: ignore[no-untyped-def]
    space = latin[ord(" ")]
    assert space.advance > 4
    assert not space.bitmap


def test_french_street_names_are_covered(latin) -> None:  # type: ignore[no-untyped-def]
    message = glyphs_message()()
    message.ParseFromString(glyph_range("DejaVu Sans Book", 256, 511))
    extended = {g.id for g in message.stacks[0].glyphs}
    assert {ord(c) for c in "éèêàçôÉ"} <= set(latin)
    assert {ord("œ"), ord("Œ")} <= extended  # Rue du Cœur


def test_a_fontstack_falls_back_to_a_font_we_have() -> None:
    assert font_of("Noto Sans Regular,DejaVu Sans Bold") == "DejaVu Sans Bold"
    assert font_of("Open Sans Regular") == "DejaVu Sans Book"


@pytest.mark.parametrize(("start", "end"), [(1, 256), (0, 511), (65536, 65791)])
def test_only_256_ranges_are_served(start: int, end: int) -> None:
    with pytest.raises(GlyphRangeError):
        glyph_range("DejaVu Sans Book", start, end)
