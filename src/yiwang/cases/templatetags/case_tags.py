from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[str, Any], key: object) -> Any:
    return mapping.get(str(key), "") if hasattr(mapping, "get") else ""
