"""Template filters showing personal data masked (110105********002X, 138****5678)."""

from __future__ import annotations

from django import template

from yiwang.core.masking import mask_id_number, mask_name, mask_phone

register = template.Library()


@register.filter
def masked_id(value: str | None) -> str:
    return mask_id_number(value) if value else ""


@register.filter
def masked_phone(value: str | None) -> str:
    return mask_phone(value) if value else ""


@register.filter
def masked_name(value: str | None) -> str:
    return mask_name(value) if value else ""
