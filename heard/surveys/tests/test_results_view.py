"""The results page: every number through the privacy engine; managers see their own tree."""

from __future__ import annotations

from django.test import Client

from conftest import World
from heard.orgs.models import Person, Role
from heard.surveys.models import Survey
from heard.surveys.tests.helpers import answer_all, open_survey
from tests.factories import make_person, make_team


def _org_with_answers(world: World) -> tuple[Survey, list[Person]]:
    """Support (world.team) gets 7 more people; a small team of 4 answers too."""
    support = [world.employee] + [make_person(world.org, team=world.team) for _ in range(7)]
    small = make_team(world.org, "Facilities")
    tiny = [make_person(world.org, team=small) for _ in range(4)]
    sales = make_team(world.org, "Sales")
    sellers = [make_person(world.org, team=sales) for _ in range(6)]
    survey = open_survey(world.org)
    answer_all(survey, support + tiny + sellers, comment=lambda p: f"Comment from {p.pk % 3}")
    return survey, tiny


def test_it_shows_the_admin_a_heatmap_with_the_small_team_hidden_and_why(
    world: World, admin_client: Client
) -> None:
    survey, _ = _org_with_answers(world)
    page = admin_client.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "Heatmap" in page
    heatmap = page.split('class="heatmap"')[1]
    row = heatmap.split(">Facilities<")[1].split("</tr>")[0]
    assert "Hidden: fewer than 5 responses." in row
    assert "%" not in row
    assert ">Support<" in heatmap and ">Sales<" in heatmap


def test_it_shows_a_manager_only_their_own_team_tree(world: World, manager_client: Client) -> None:
    survey, _ = _org_with_answers(world)
    response = manager_client.get(f"/surveys/{survey.pk}/results/")
    page = response.content.decode()
    assert response.status_code == 200
    assert ">Support<" in page
    assert "Facilities" not in page and "Sales" not in page
    other = manager_client.get(f"/surveys/{survey.pk}/results/?scope=team:999999")
    assert other.status_code == 404


def test_it_gives_an_employee_no_results(world: World) -> None:
    survey, _ = _org_with_answers(world)
    assert world.client_for(world.employee).get(f"/surveys/{survey.pk}/results/").status_code == 404


def test_it_hides_comments_below_the_comment_threshold(world: World, admin_client: Client) -> None:
    survey, _ = _org_with_answers(world)  # 18 comments in all, 8 in Support
    page = admin_client.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "18 comments, in random order" in page
    support = admin_client.get(
        f"/surveys/{survey.pk}/results/?scope=team:{world.team.pk}"
    ).content.decode()
    assert "comments, in random order" not in support
    assert "fewer than 10" in support


def test_it_keeps_the_query_count_bounded(
    world: World, admin_client: Client, django_assert_max_num_queries: object
) -> None:
    survey, _ = _org_with_answers(world)
    for _ in range(3):
        team = make_team(world.org)
        for _ in range(5):
            make_person(world.org, team=team, role=Role.EMPLOYEE)
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert admin_client.get(f"/surveys/{survey.pk}/results/?by=tenure").status_code == 200


def test_it_loads_what_the_comments_say_separately_and_labels_it_ai(
    world: World, admin_client: Client
) -> None:
    survey, _ = _org_with_answers(world)
    url = f"/surveys/{survey.pk}/results/"
    page = admin_client.get(url).content.decode()
    assert "part=insights" in page and "Tone:" not in page
    full = admin_client.get(url + "?part=insights").content.decode()
    assert "Tone:" in full and '<span class="badge">AI</span>' in full
    assert "Heatmap" in full
    partial = admin_client.get(url + "?part=insights", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "Tone:" in body and "Heatmap" not in body and "<html" not in body


def test_it_adds_up_team_subtrees_the_same_as_counting_their_members(world: World) -> None:
    from heard.surveys.results import _cells, _decided

    parent = world.team
    child = make_team(world.org, "Tier 2", parent=parent)
    grandchild = make_team(world.org, "Nights", parent=child)
    people = [world.employee] + [make_person(world.org, team=parent) for _ in range(5)]
    people += [make_person(world.org, team=child) for _ in range(6)]
    people += [make_person(world.org, team=grandchild) for _ in range(7)]
    survey = open_survey(world.org)
    answer_all(survey, people, value=lambda person, question: 1 + person.pk % 5)
    decided = _decided(survey, world.admin)
    for team in (parent, child, grandchild):
        members = decided.teams.members[team.pk]
        assert decided.cells_for(f"team:{team.pk}", members) == _cells(
            members, decided.by_id, decided.dims
        )
