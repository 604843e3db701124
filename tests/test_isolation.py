"""Walk every URL pattern: an outsider gets 404 for org A's objects, anonymous users are sent
to sign in. A new view with an id in its URL is covered the day it is added."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import World
from heard.orgs.models import Invitation, RosterImport
from tests.factories import make_person

pytestmark = pytest.mark.django_db

# Pages anyone may open without signing in.
PUBLIC = {
    "core:healthz",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "invitations:accept_invitation",
    # Survey links: the link itself is the key (tested in heard/surveys/tests/test_answer_view.py).
    "surveys:answer",
    "surveys:answer_done",
    # The ingestion API answers 401 without a token (tested in heard/customers/tests/test_api.py).
    "api_customer_items",
}
# Operator pages (Django admin, task list) answer with their own sign-in redirect.
SKIP_PREFIXES = ("admin:", "django-admin")


def _patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", prefix + str(entry.pattern)))
    return found


def _org_a_ids(world: World) -> dict[str, int]:
    roster = RosterImport.objects.create(
        organization=world.org,
        filename="a.csv",
        encoding="utf-8",
        delimiter=",",
        headers=["name", "email"],
        rows=[["A", "a@a.example"]],
    )
    invited = make_person(world.org)
    from django.utils import timezone

    Invitation.objects.create(organization=world.org, person=invited, expires_at=timezone.now())
    from heard.surveys.tests.helpers import open_survey

    survey = open_survey(world.org)
    from heard.customers.tests.helpers import make_item

    item = make_item(world.org)
    from heard.customers.models import FollowUp

    follow_up = FollowUp.objects.create(
        organization=world.org, customer=item.customer, item=item, rule="negative",
        why="test", due_on=timezone.localdate(),
    )  # fmt: skip
    return {
        "person_id": world.employee.pk,
        "team_id": world.team.pk,
        "import_id": roster.pk,
        "survey_id": survey.pk,
        "question_id": survey.questions.first().pk,  # type: ignore[union-attr]
        "customer_id": item.customer_id,  # type: ignore[dict-item]
        "item_id": item.pk,
        "follow_up_id": follow_up.pk,
    }


def _fill(route: str, ids: dict[str, int]) -> str | None:
    path = "/" + route.replace("<slug:action>", "close").replace("<slug:fmt>", "csv").replace(
        "<slug:which>", "interview"
    )
    for name, value in ids.items():
        path = path.replace(f"<int:{name}>", str(value))
    return None if "<" in path else path


def test_it_walks_every_url_pattern(world: World) -> None:
    ids = _org_a_ids(world)
    checked = 0
    for name, route in _patterns(get_resolver()):
        if name.startswith(SKIP_PREFIXES) or name in PUBLIC:
            continue
        path = _fill(route, ids)
        assert path is not None, f"Teach this test the URL arguments of {name}: {route}"
        for method in ("get", "post"):
            anonymous = getattr(Client(), method)(path)
            assert anonymous.status_code in (302, 405), (name, method, anonymous.status_code)
            if anonymous.status_code == 302:
                assert "/account/signin/" in anonymous["Location"], (name, method)
            # A fresh session each time: the walk includes sign-out.
            response = getattr(world.client_for(world.outsider), method)(path)
            if any(f"<int:{key}>" in route for key in ids):
                assert response.status_code in (404, 405), (name, method, response.status_code)
            else:
                # Pages without an id show the outsider their own organisation, never org A.
                assert response.status_code in (200, 302, 404, 405), (name, method)
                assert b"Org A" not in response.content, (name, method)
                assert b"Eve Employee" not in response.content, (name, method)
        checked += 1
    assert checked >= 10


def test_it_hides_other_orgs_objects_behind_404(world: World, outsider_client: Client) -> None:
    ids = _org_a_ids(world)
    for path in (
        f"/people/{ids['person_id']}/",
        f"/people/{ids['person_id']}/edit/",
        f"/teams/{ids['team_id']}/edit/",
        f"/people/import/{ids['import_id']}/",
    ):
        response = outsider_client.get(path)
        assert response.status_code == 404, path
        assert b"Not found" in response.content
