from __future__ import annotations

from typing import Any

from django import template

from heard.surveys.results import BY_CHOICES

register = template.Library()


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def band(favourable: int | None) -> str:
    """The heatmap colour class of a favourable percentage."""
    if favourable is None:
        return "heat-none"
    if favourable >= 70:
        return "heat-high"
    if favourable >= 50:
        return "heat-mid"
    return "heat-low"


@register.filter
def delta(now: int, before: int) -> str:
    change = now - before
    return f"{change:+d} points" if change else "no change"


@register.filter
def by_label(by: str) -> str:
    return dict(BY_CHOICES).get(by, by).lower()


@register.filter
def dim_label(dimensions: list[Any], key: str) -> str:
    return next((d.label for d in dimensions if d.key == key), key)
