"""Small template helpers for the desk."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``{{ row|get_item:"latitude" }}``."""
    return mapping.get(key, "")
