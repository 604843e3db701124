from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def current_person(request: HttpRequest) -> dict[str, Any]:
    person = getattr(request, "person", None)
    return {"person": person, "org": person.organization if person else None}
