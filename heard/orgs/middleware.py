from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from heard.orgs.models import Person


def current_person(request: HttpRequest) -> Person | None:
    """The signed-in user's active Person (with its organisation), or None."""
    user = request.user
    if not user.is_authenticated:
        return None
    return (
        Person.objects.select_related("organization", "team")
        .filter(user_id=user.pk, is_active=True)
        .first()
    )


class CurrentPersonMiddleware:
    """Sets request.person, the one place that decides whose organisation a request sees."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.person = current_person(request)  # type: ignore[attr-defined]
        return self.get_response(request)
