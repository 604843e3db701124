from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import World
from heard.orgs.models import Person
from tests.factories import make_person, make_team

pytestmark = pytest.mark.django_db


def test_it_lists_everyone_for_an_admin(world: World, admin_client: Client) -> None:
    page = admin_client.get("/people/")
    assert page.status_code == 200
    for person in (world.admin, world.manager, world.employee):
        assert person.name.encode() in page.content
    assert b"Oscar Outsider" not in page.content


def test_it_lists_only_the_team_for_a_manager(world: World, manager_client: Client) -> None:
    page = manager_client.get("/people/")
    assert b"Eve Employee" in page.content
    assert b"Ada Admin" not in page.content
    assert manager_client.get(f"/people/{world.admin.pk}/").status_code == 404


def test_it_includes_sub_teams_for_a_manager(world: World, manager_client: Client) -> None:
    sub = make_team(world.org, "Support EMEA", parent=world.team)
    make_person(world.org, name="Sam Subteam", team=sub)
    assert b"Sam Subteam" in manager_client.get("/people/").content


def test_it_keeps_employees_out_of_the_people_pages(world: World, employee_client: Client) -> None:
    assert employee_client.get("/people/").status_code == 404
    assert employee_client.get(f"/people/{world.manager.pk}/").status_code == 404
    assert employee_client.get("/teams/").status_code == 404


def test_it_searches_and_filters(world: World, admin_client: Client) -> None:
    page = admin_client.get("/people/", {"q": "eve"})
    assert world.employee.email.encode() in page.content
    assert world.manager.email.encode() not in page.content
    by_team = admin_client.get("/people/", {"team": world.team.pk})
    assert world.admin.email.encode() not in by_team.content
    assert world.manager.email.encode() in by_team.content


def test_it_adds_a_person(world: World, admin_client: Client) -> None:
    response = admin_client.post(
        "/people/new/",
        {
            "name": "  Nell   New ",
            "email": "Nell@Org-A.example",
            "team": world.team.pk,
            "manager": world.manager.pk,
            "role": "employee",
            "start_date": "2025-01-06",
            "location": "Leeds",
            "role_family": "Support",
            "customer_facing": "on",
        },
    )
    assert response.status_code == 302
    nell = Person.objects.get(organization=world.org, email="nell@org-a.example")
    assert nell.name == "Nell New"
    assert nell.customer_facing


def test_it_refuses_a_duplicate_email(world: World, admin_client: Client) -> None:
    response = admin_client.post(
        "/people/new/", {"name": "Copy", "email": world.employee.email.upper(), "role": "employee"}
    )
    assert response.status_code == 200
    assert b"already has this email" in response.content


def test_it_refuses_another_orgs_team_in_the_form(world: World, admin_client: Client) -> None:
    foreign = make_team(world.other_org, "Theirs")
    response = admin_client.post(
        "/people/new/",
        {"name": "X", "email": "x@org-a.example", "role": "employee", "team": foreign.pk},
    )
    assert response.status_code == 200
    assert not Person.objects.filter(email="x@org-a.example").exists()


def test_it_edits_a_person(world: World, admin_client: Client) -> None:
    response = admin_client.post(
        f"/people/{world.employee.pk}/edit/",
        {"name": "Eve Renamed", "email": world.employee.email, "role": "manager"},
    )
    assert response.status_code == 302
    world.employee.refresh_from_db()
    assert world.employee.name == "Eve Renamed"
    assert world.employee.role == "manager"


def test_it_keeps_an_admin_from_removing_their_own_admin_role(
    world: World, admin_client: Client
) -> None:
    response = admin_client.post(
        f"/people/{world.admin.pk}/edit/",
        {"name": "Ada", "email": world.admin.email, "role": "employee"},
    )
    assert b"cannot remove your own admin role" in response.content
    world.admin.refresh_from_db()
    assert world.admin.role == "admin"


def test_it_deactivates_and_blocks_sign_in(world: World, admin_client: Client) -> None:
    admin_client.post(f"/people/{world.employee.pk}/active/", {"active": "0"})
    world.employee.refresh_from_db()
    assert not world.employee.is_active
    assert world.employee.user is not None and not world.employee.user.is_active
    admin_client.post(f"/people/{world.employee.pk}/active/", {"active": "1"})
    world.employee.refresh_from_db()
    assert world.employee.is_active


def test_it_shows_a_home_page_per_role(
    admin_client: Client, manager_client: Client, employee_client: Client
) -> None:
    assert b"What to do next" in admin_client.get("/").content
    assert b"You lead 1 person" in manager_client.get("/").content
    assert b"Nothing to do right now" in employee_client.get("/").content


def test_it_lists_and_edits_teams(world: World, admin_client: Client) -> None:
    assert b"Support" in admin_client.get("/teams/").content
    response = admin_client.post("/teams/new/", {"name": "Support EMEA", "parent": world.team.pk})
    assert response.status_code == 302
    loop = admin_client.post(
        f"/teams/{world.team.pk}/edit/",
        {"name": "Support", "parent": world.team.children.get().pk},
    )
    assert b"cannot sit inside itself" in loop.content


def test_it_refuses_a_duplicate_team_name(world: World, admin_client: Client) -> None:
    response = admin_client.post("/teams/new/", {"name": "support"})
    assert b"already a team called" in response.content


def test_it_answers_htmx_search_with_the_results_only(world: World, admin_client: Client) -> None:
    response = admin_client.get("/people/", {"q": "eve"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="people-results"' in response.content
    assert world.employee.email.encode() in response.content
    assert world.admin.email.encode() not in response.content
    assert b"<html" not in response.content


def test_it_lists_people_in_a_fixed_number_of_queries(
    world: World, admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(40):
        make_person(world.org, team=world.team, manager=world.manager, login=n % 2 == 0)
    with django_assert_max_num_queries(12):
        assert admin_client.get("/people/").status_code == 200
    with django_assert_max_num_queries(12):
        assert admin_client.get("/").status_code == 200
    with django_assert_max_num_queries(12):
        assert admin_client.get("/teams/").status_code == 200


def test_it_refuses_a_reporting_loop_in_the_form(world: World, admin_client: Client) -> None:
    response = admin_client.post(
        f"/people/{world.manager.pk}/edit/",
        {
            "name": "Mo",
            "email": world.manager.email,
            "role": "manager",
            "manager": world.employee.pk,
        },
    )
    assert b"that is a loop" in response.content
    world.manager.refresh_from_db()
    assert world.manager.manager_id is None
