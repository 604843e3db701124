"""Who may open what. Outsiders and missing objects both get 404, never 403 (no probing)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from heard.orgs.models import Organization, Person

type View = Callable[..., HttpResponse]


class OrgRequest(HttpRequest):
    """A request that passed `member_required`: typed access to the person and organisation."""

    person: Person
    org: Organization


def _guard(check: Callable[[Person], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            person: Person | None = getattr(request, "person", None)
            if person is None or not check(person):
                raise Http404("Not found")
            request.org = person.organization  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


member_required = _guard(lambda person: True)
manager_required = _guard(lambda person: person.is_manager)
admin_required = _guard(lambda person: person.is_admin)
# Customer pages: admins, managers, and the people who work with customers.
customer_work_required = _guard(
    lambda person: person.is_admin or person.is_manager or person.customer_facing
)


def get_for_org_or_404[M: Model](queryset: QuerySet[M], org: Organization, **lookup: Any) -> M:
    """The one way views fetch an organisation's object: another org's id is simply not found."""
    return get_object_or_404(queryset.filter(organization=org), **lookup)
