"""The results page costs the same number of queries however many teams answered.

test_results_view.py caps the count for one organisation; this compares two organisations of
different sizes, so a query per team, per row or per previous run shows up as a difference.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from heard.orgs.models import Person, Role
from heard.surveys.models import Survey
from heard.surveys.tests.helpers import answer_all, open_survey
from tests.factories import make_org, make_person, make_team

pytestmark = pytest.mark.django_db


def _org_with_answers(departments: int) -> tuple[Survey, Person, Person, int]:
    """An organisation under one top team: `departments` teams with a sub-team each, all
    answering two runs of a pulse (so the page also compares with the previous run). Every
    team is large enough to be shown, so both sizes take the same path through the page."""
    org = make_org(f"{departments} departments")
    admin = make_person(org, role=Role.ADMIN, login=True)
    top = make_team(org, "Head office")
    manager = make_person(org, role=Role.MANAGER, login=True, team=top)
    top.manager = manager
    top.save(update_fields=["manager"])
    people: list[Person] = [manager] + [make_person(org, team=top) for _ in range(4)]
    first_department = 0
    for n in range(departments):
        department = make_team(org, f"Department {n}", parent=top)
        squad = make_team(org, f"Squad {n}", parent=department)
        first_department = first_department or department.pk
        people += [make_person(org, team=department) for _ in range(6)]
        people += [make_person(org, team=squad) for _ in range(5)]
    previous = open_survey(org, created_by=admin)
    answer_all(previous, people)
    survey = open_survey(org, created_by=admin, previous=previous)
    answer_all(survey, people, comment=lambda person: f"A comment from {person.pk % 7}")
    return survey, admin, manager, first_department


def _queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    assert b'class="heatmap"' in response.content
    assert b'id="summary-title"' in response.content  # the scope is shown, not hidden
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    ("viewer", "query"),
    [
        ("admin", ""),
        ("admin", "?by=tenure"),
        ("admin", "?by=location"),
        ("admin", "?scope=department"),
        ("manager", ""),
        ("manager", "?by=customer_facing"),
    ],
)
def test_it_makes_as_many_queries_for_twelve_departments_as_for_two(
    viewer: str, query: str
) -> None:
    counts: dict[int, list[str]] = {}
    for departments in (2, 12):
        survey, admin, manager, department_id = _org_with_answers(departments)
        person = admin if viewer == "admin" else manager
        assert person.user is not None
        client = Client()
        client.force_login(person.user)
        url = f"/surveys/{survey.pk}/results/" + query.replace(
            "department", f"team:{department_id}"
        )
        counts[departments] = _queries(client, url)
    small, large = counts[2], counts[12]
    assert len(small) == len(large), "\n".join(["2 departments:", *small, "12:", *large])
