"""Scripted attacks on survey results, through the code the pages and exports use.
Each must reveal nothing about a group smaller than k (5 here)."""

from __future__ import annotations

import csv
import io
import itertools

from django.test import Client

from conftest import World
from heard.orgs.models import Person, Team
from heard.surveys import selectors
from heard.surveys.models import Survey, SurveyInvitation
from heard.surveys.results import BY_CHOICES, Results, survey_results
from heard.surveys.tests.helpers import answer_all, open_survey
from tests.factories import make_person, make_team

K = 5


def _shown(results: Results) -> dict[str, int]:
    found = {results.scope.key: results.scope.decision.n} if results.scope.decision.shown else {}
    for row in results.rows:
        if row.decision.shown:
            assert row.decision.n is not None
            found[row.key] = row.decision.n
    return found  # type: ignore[return-value]


def _every_view(survey: Survey, viewer: Person) -> dict[str, int]:
    """Everything the viewer can see: every scope, every way of cutting it."""
    first = survey_results(survey, viewer)
    assert first is not None
    seen: dict[str, int] = {}
    for scope_key, _ in first.scopes:
        for by, _ in BY_CHOICES:
            results = survey_results(survey, viewer, scope_key=scope_key, by=by)
            assert results is not None
            for key, n in _shown(results).items():
                assert seen.setdefault(key, n) == n  # one key, one number, in every view
    return seen


def _no_difference_below_k(seen: dict[str, int], members: dict[str, set[int]]) -> None:
    for a, b in itertools.permutations(seen, 2):
        if members[b] < members[a]:
            gap = len(members[a] - members[b])
            assert gap == 0 or gap >= K, f"{a} minus {b} leaves {gap} people"


def _world_with_tree(world: World) -> tuple[Team, Team, list[Person], list[Person]]:
    """Support (world.team) with 3 own members more and a sub-team 'Tier 2' of 5."""
    own = [world.employee] + [make_person(world.org, team=world.team) for _ in range(2)]
    tier2 = make_team(world.org, "Tier 2", parent=world.team)
    sub = [make_person(world.org, team=tier2) for _ in range(5)]
    return world.team, tier2, own, sub


def _members(survey: Survey, viewer: Person) -> dict[str, set[int]]:
    """Response ids per group key, rebuilt from the tables, to check what was shown."""
    from heard.surveys.results import SEGMENTS, _responses, _team_groups, visible_team_ids

    responses = _responses(survey)
    teams = _team_groups(survey.organization, visible_team_ids(viewer), responses)
    found: dict[str, set[int]] = {"*": {r.id for r in responses}}
    for tid, ids in teams.members.items():
        found[f"team:{tid}"] = set(ids)
        found[f"team:{tid}/own"] = set(teams.own[tid])
    for parent in list(found):
        for segment in SEGMENTS:
            for r in responses:
                if r.id in found[parent] and "/own" not in parent:
                    key = f"{parent}|{segment}:{r.segments[segment]}"
                    found.setdefault(key, set()).add(r.id)
    return found


def test_parent_minus_child_reveals_nothing(world: World) -> None:
    parent, child, own, sub = _world_with_tree(world)
    survey = open_survey(world.org)
    answer_all(survey, own + sub)  # parent subtree 8, child 5: parent minus child is 3
    seen = _every_view(survey, world.admin)
    members = _members(survey, world.admin)
    _no_difference_below_k(seen, members)
    assert not ({f"team:{parent.pk}", f"team:{child.pk}"} <= set(seen))


def test_two_overlapping_filters_reveal_nothing(world: World) -> None:
    parent, _child, own, sub = _world_with_tree(world)
    others = [make_person(world.org, team=parent) for _ in range(6)]
    survey = open_survey(world.org)
    answer_all(survey, own + sub + others)
    seen = _every_view(survey, world.admin)  # every scope x every segment, together
    _no_difference_below_k(seen, _members(survey, world.admin))


def test_a_team_of_four_is_hidden_everywhere_with_its_next_smallest_sibling(
    world: World, admin_client: Client
) -> None:
    four = make_team(world.org, "Facilities")
    six = make_team(world.org, "Finance")
    big = [world.employee] + [make_person(world.org, team=world.team) for _ in range(9)]
    people = big + [make_person(world.org, team=four) for _ in range(4)]
    people += [make_person(world.org, team=six) for _ in range(6)]
    survey = open_survey(world.org)
    answer_all(survey, people)
    seen = _every_view(survey, world.admin)
    assert f"team:{four.pk}" not in seen
    assert f"team:{six.pk}" not in seen  # else: everyone minus the others = the four
    exported = admin_client.get(f"/surveys/{survey.pk}/results.csv").content.decode()
    rows = {r[0]: r for r in csv.reader(io.StringIO(exported)) if r}
    assert rows["Facilities"][1] == "hidden" and rows["Finance"][1] == "hidden"


def test_the_export_shows_exactly_what_the_page_shows(world: World, admin_client: Client) -> None:
    parent, _child, own, sub = _world_with_tree(world)
    others = [make_person(world.org, team=parent) for _ in range(6)]
    survey = open_survey(world.org)
    answer_all(survey, own + sub + others)
    for by, _ in BY_CHOICES:
        results = survey_results(survey, world.admin, by=by)
        assert results is not None
        exported = admin_client.get(f"/surveys/{survey.pk}/results.csv?by={by}").content.decode()
        rows = {r[0]: r for r in csv.reader(io.StringIO(exported)) if r and len(r) > 2}
        for row in [results.scope, *results.rows]:
            line = rows[row.label]
            if row.decision.shown:
                assert int(line[1]) == row.decision.n
            else:
                assert line[1] == "hidden" and all(cell == "" for cell in line[3:])


def test_someone_joining_between_runs_is_not_singled_out(world: World) -> None:
    team = [world.employee] + [make_person(world.org, team=world.team) for _ in range(5)]
    first = open_survey(world.org)
    answer_all(first, team, value=lambda person, question: 4)
    joiner = make_person(world.org, team=world.team)
    second = open_survey(world.org, previous=first)
    answer_all(second, [*team, joiner], value=lambda p, q: 1 if p == joiner else 4)
    scope = f"team:{world.team.pk}"
    results = survey_results(second, world.admin, scope_key=scope)
    assert results is not None and results.scope.decision.shown
    assert results.previous is None  # no change against the run before the joiner came
    assert "joined or left" in results.previous_hidden_reason
    # With k or more newcomers the change is shown again.
    for _ in range(K):
        make_person(world.org, team=world.team)
    third = open_survey(world.org, previous=second)
    newcomers = list(Person.objects.filter(team=world.team))
    answer_all(third, newcomers)
    later = survey_results(third, world.admin, scope_key=scope)
    assert later is not None and later.previous is not None


def test_someone_leaving_between_runs_is_not_singled_out(world: World) -> None:
    team = [world.employee] + [make_person(world.org, team=world.team) for _ in range(6)]
    first = open_survey(world.org)
    answer_all(first, team)
    leaver = team[-1]
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    second = open_survey(world.org, previous=first)
    answer_all(second, team[:-1])
    results = survey_results(second, world.admin, scope_key=f"team:{world.team.pk}")
    assert results is not None and results.previous is None


def test_watching_the_participation_counter_reveals_nothing(world: World) -> None:
    team = [world.employee] + [make_person(world.org, team=world.team) for _ in range(11)]
    survey = open_survey(world.org)
    shown_counts = []
    for person in team:
        answer_all(survey, [person])
        answered = SurveyInvitation.objects.filter(survey=survey, answered=True).count()
        participation = selectors.participation(survey, world.admin)
        assert participation is not None and participation.overall is not None
        shown = participation.overall.shown
        assert shown is not None and shown % K == 0 and shown <= answered < shown + K
        shown_counts.append(shown)
    # the counter moves only when a whole step of k has answered
    changes = [i for i in range(1, len(shown_counts)) if shown_counts[i] != shown_counts[i - 1]]
    assert all((i + 1) % K == 0 for i in changes)
