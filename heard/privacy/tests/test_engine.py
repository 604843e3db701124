"""The privacy engine: one example per rule, the policy, participation counters, and scripted
attacks that try to work out a hidden person's group from the numbers that are shown."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Hashable, Iterable
from itertools import count, pairwise
from pathlib import Path

import pytest

from heard.privacy import (
    DEFAULT_MIN_GROUP_SIZE,
    FLOOR,
    Decision,
    GroupSet,
    PrivacyPolicy,
    decide,
    participation_step,
)

ROOT = Path(__file__).resolve().parents[3]
K = 5

_ids = count(1)


def people(n: int) -> frozenset[int]:
    """n respondents nobody else has."""
    return frozenset(next(_ids) for _ in range(n))


class Org:
    """A GroupSet that also remembers every group's members, for the attack checks."""

    def __init__(self, *parts: frozenset[int]) -> None:
        self.scope = frozenset().union(*parts)
        self.groups = GroupSet(self.scope)
        self.members: dict[str, frozenset[Hashable]] = {"*": self.scope}

    def add(
        self,
        key: str,
        members: Iterable[Hashable],
        *,
        parent: str | None = None,
        family: str | None = None,
    ) -> None:
        self.groups.add(key, members, parent=parent, family=family)
        self.members[key] = self.scope.intersection(members)

    def decide(self, threshold: int = K) -> dict[str, Decision]:
        return decide(self.groups, threshold)


def shown(decisions: dict[str, Decision]) -> set[str]:
    return {key for key, decision in decisions.items() if decision.shown}


def hidden(decisions: dict[str, Decision]) -> dict[str, str]:
    return {key: decision.rule for key, decision in decisions.items() if not decision.shown}


def subtractions(
    members: dict[str, frozenset[Hashable]], decisions: dict[str, Decision], threshold: int
) -> list[tuple[str, tuple[str, ...], int]]:
    """Every way to work out fewer than `threshold` people from the shown numbers: a shown
    group minus any shown groups inside it that do not overlap (by brute force, whatever the
    links between them), leaving 1 .. threshold - 1 people."""
    visible = sorted(shown(decisions))
    found = []
    for outer in visible:
        inside = [key for key in visible if members[key] < members[outer]]
        # (next part to consider, parts taken, their people)
        stack: list[tuple[int, tuple[str, ...], frozenset[Hashable]]] = [(0, (), frozenset())]
        while stack:
            start, taken, covered = stack.pop()
            left = len(members[outer]) - len(covered)
            if taken and 0 < left < threshold:
                found.append((outer, taken, left))
            for position in range(start, len(inside)):
                key = inside[position]
                if covered.isdisjoint(members[key]):
                    stack.append((position + 1, (*taken, key), covered | members[key]))
    return sorted(found)


# The policy


def test_it_defaults_to_five() -> None:
    assert PrivacyPolicy().min_group_size == DEFAULT_MIN_GROUP_SIZE == 5
    assert FLOOR == 3


def test_it_refuses_a_minimum_below_the_floor() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        PrivacyPolicy(min_group_size=2)
    assert PrivacyPolicy(min_group_size=3).min_group_size == 3


@pytest.mark.parametrize(("k", "expected"), [(3, 10), (5, 10), (6, 12), (8, 16), (20, 40)])
def test_it_needs_max_of_ten_and_twice_k_for_comments(k: int, expected: int) -> None:
    assert PrivacyPolicy(min_group_size=k).comment_threshold == expected


def test_it_refuses_a_threshold_below_the_floor() -> None:
    org = Org(people(10))
    with pytest.raises(ValueError, match="at least 3"):
        org.decide(2)


# Participation counters


def test_it_counts_participation_in_steps_of_k() -> None:
    policy = PrivacyPolicy(min_group_size=5)
    assert participation_step(0, 12, policy) == (0, 12)
    assert participation_step(4, 12, policy) == (0, 12)
    assert participation_step(5, 12, policy) == (5, 12)
    assert participation_step(9, 12, policy) == (5, 12)
    assert participation_step(12, 12, policy) == (10, 12)
    assert participation_step(7, 7, PrivacyPolicy(min_group_size=3)) == (6, 7)


def test_it_shows_no_participation_below_k_invited() -> None:
    policy = PrivacyPolicy(min_group_size=5)
    assert participation_step(0, 4, policy) is None
    assert participation_step(4, 4, policy) is None
    assert participation_step(5, 5, policy) == (5, 5)


def test_it_moves_participation_monotonely_and_only_by_whole_steps() -> None:
    for k in (3, 5, 8):
        policy = PrivacyPolicy(min_group_size=k)
        invited = 40
        steps = [participation_step(answered, invited, policy) for answered in range(invited + 1)]
        counts = [step[0] for step in steps if step is not None]
        assert counts == sorted(counts)
        assert all(answered % k == 0 and answered <= invited for answered in counts)
        assert {b - a for a, b in pairwise(counts)} <= {0, k}


def test_it_counts_answers_above_the_invited_as_the_invited() -> None:
    assert participation_step(13, 12, PrivacyPolicy()) == (10, 12)
    with pytest.raises(ValueError, match="negative"):
        participation_step(-1, 12, PrivacyPolicy())


# Building a GroupSet


def test_it_ignores_members_outside_the_scope() -> None:
    inside, outside = people(6), people(3)
    org = Org(inside, people(20))
    org.add("team", inside | outside)
    decision = org.decide()["team"]
    assert decision == Decision(key="team", shown=True, n=6, reason="", rule="")


def test_it_refuses_a_duplicate_key_and_an_unknown_parent() -> None:
    org = Org(people(20))
    org.add("team", [])
    with pytest.raises(ValueError, match="already added"):
        org.add("team", [])
    with pytest.raises(ValueError, match="already added"):
        org.add("*", [])
    with pytest.raises(ValueError, match="unknown parent"):
        org.add("band", [], parent="nowhere")


def test_it_refuses_a_part_that_is_not_inside_its_parent() -> None:
    team, other = people(6), people(6)
    org = Org(team, other)
    org.add("team", team)
    with pytest.raises(ValueError, match="outside its parent"):
        org.add("team/band", {*team, next(iter(other))}, parent="team")


def test_it_refuses_overlapping_parts_of_one_family() -> None:
    team = people(12)
    org = Org(team)
    org.add("team", team)
    org.add("team/long", list(team)[:6], parent="team", family="tenure")
    with pytest.raises(ValueError, match="overlaps"):
        org.add("team/short", list(team)[5:], parent="team", family="tenure")
    # A part of another family may overlap.
    org.add("team/berlin", list(team)[5:], parent="team", family="location")


def test_it_links_a_part_only_to_a_parent_added_before_it() -> None:
    band = people(6)
    org = Org(band, people(20))
    org.add("team/long", band)
    org.add("org/long", band)
    with pytest.raises(ValueError, match="added before"):
        org.groups.link("team/long", parent="org/long", family="teams")
    with pytest.raises(ValueError, match="unknown group"):
        org.groups.link("nothing", parent="*")


# One example per rule


def test_it_shows_a_group_of_exactly_k() -> None:
    team = people(5)
    org = Org(team, people(20))
    org.add("team", team)
    assert org.decide()["team"] == Decision(key="team", shown=True, n=5, reason="", rule="")


def test_it_hides_an_empty_group() -> None:
    org = Org(people(20))
    org.add("team", [])
    assert org.decide()["team"] == Decision(
        key="team", shown=False, n=None, reason="No responses yet.", rule="empty"
    )


def test_it_hides_a_group_below_the_threshold() -> None:
    team = people(4)
    org = Org(team, people(20))
    org.add("team", team)
    assert org.decide()["team"] == Decision(
        key="team", shown=False, n=None, reason="Hidden: fewer than 5 responses.", rule="small"
    )
    assert org.decide(10)["team"].reason == "Hidden: fewer than 10 responses."


def test_it_hides_a_group_when_the_rest_of_the_scope_is_too_small() -> None:
    team, rest = people(9), people(3)
    org = Org(team, rest)
    org.add("team", team)
    decisions = org.decide()
    assert decisions["team"] == Decision(
        key="team",
        shown=False,
        n=None,
        reason=(
            "Hidden: the rest of your view would have fewer than 5 responses, "
            "so this group could be worked out by subtraction."
        ),
        rule="complement",
    )
    assert decisions["*"] == Decision(key="*", shown=True, n=12, reason="", rule="")


def test_it_shows_a_group_that_is_the_whole_scope() -> None:
    team = people(7)
    org = Org(team)
    org.add("team", team)
    assert shown(org.decide()) == {"*", "team"}


def test_it_hides_the_scope_when_it_is_small_or_empty() -> None:
    assert hidden(Org(people(4)).decide()) == {"*": "small"}
    assert hidden(Org().decide()) == {"*": "empty"}


def test_it_hides_the_deeper_of_two_linked_groups_that_differ_by_fewer_than_k() -> None:
    team, sub_team, others = people(3), people(17), people(30)
    org = Org(team, sub_team, others)
    org.add("team", team | sub_team)
    org.add("team/sub", sub_team, parent="team")
    decisions = org.decide()
    assert decisions["team/sub"] == Decision(
        key="team/sub",
        shown=False,
        n=None,
        reason=(
            "Hidden: a larger group shown here differs from it by fewer than 5 responses, "
            "so those responses could be worked out by subtraction."
        ),
        rule="difference",
    )
    assert decisions["team"].shown


def test_it_compares_a_group_with_every_ancestor() -> None:
    # team/sub/sub is 2 smaller than team, with a hidden level in between.
    a, b, c = people(1), people(1), people(18)
    org = Org(a, b, c, people(30))
    org.add("team", a | b | c)
    org.add("team/sub", b | c, parent="team")
    org.add("team/sub/sub", c, parent="team/sub")
    assert hidden(org.decide()) == {"team/sub": "difference", "team/sub/sub": "difference"}


def test_it_hides_the_smallest_shown_sibling_next_to_a_hidden_one() -> None:
    small, middle, large = people(2), people(9), people(12)
    org = Org(small, middle, large, people(30))
    org.add("team", small | middle | large)
    org.add("team/a", small, parent="team", family="tenure")
    org.add("team/b", large, parent="team", family="tenure")
    org.add("team/c", middle, parent="team", family="tenure")
    decisions = org.decide()
    assert hidden(decisions) == {"team/a": "small", "team/c": "sibling"}
    assert decisions["team/c"].reason == (
        "Hidden together with a smaller group, so that the smaller one cannot be worked out "
        "by subtraction."
    )


def test_it_breaks_a_tie_between_siblings_by_key() -> None:
    small, one, two = people(2), people(9), people(9)
    org = Org(small, one, two, people(30))
    org.add("team", small | one | two)
    org.add("team/z", two, parent="team", family="tenure")
    org.add("team/y", one, parent="team", family="tenure")
    org.add("team/a", small, parent="team", family="tenure")
    assert hidden(org.decide()) == {"team/a": "small", "team/y": "sibling"}


def test_it_hides_a_sibling_even_when_the_parent_is_hidden() -> None:
    # The parent's number can come from elsewhere, so its parts are guarded all the same.
    small, large, rest = people(2), people(9), people(3)
    org = Org(small, large, rest)
    org.add("team", small | large)
    org.add("team/a", small, parent="team", family="tenure")
    org.add("team/b", large, parent="team", family="tenure")
    assert hidden(org.decide()) == {"team": "complement", "team/a": "small", "team/b": "sibling"}


def test_it_hides_a_part_when_the_people_outside_all_parts_are_few() -> None:
    # A manager who is in none of their team's sub-teams: team - sub1 - sub2 = the manager.
    manager, sub1, sub2 = people(1), people(6), people(8)
    org = Org(manager, sub1, sub2, people(30))
    org.add("team", manager | sub1 | sub2)
    org.add("team/sub1", sub1, parent="team", family="teams")
    org.add("team/sub2", sub2, parent="team", family="teams")
    assert hidden(org.decide()) == {"team/sub1": "sibling"}
    assert subtractions(org.members, org.decide(), K) == []


def test_it_treats_parts_without_a_family_as_alone() -> None:
    # Two overlapping views inside one team: each is only compared with the team.
    team = people(20)
    members = sorted(team)
    org = Org(team, people(30))
    org.add("team", team)
    org.add("team/early", members[:12], parent="team")
    org.add("team/late", members[6:], parent="team")
    assert hidden(org.decide()) == {}


def test_it_decides_comments_with_the_comment_threshold() -> None:
    policy = PrivacyPolicy(min_group_size=5)
    team, others = people(8), people(40)
    org = Org(team, others)
    org.add("team", team)
    assert org.decide(policy.min_group_size)["team"].shown
    assert org.decide(policy.comment_threshold)["team"].rule == "small"


def test_it_decides_the_same_way_every_time() -> None:
    org = make_large_org(teams=60)
    first = decide(org.groups, 5)
    assert decide(org.groups, 5) == first
    assert list(first) == list(org.members)


# Scripted attacks: each hides a person, then tries to work them out from what is shown.


def test_it_defeats_parent_minus_child() -> None:
    # A team of 8 with a sub-team of 5: team - sub-team would be the 3 others.
    others_in_team, sub_team, rest_of_org = people(3), people(5), people(30)
    org = Org(others_in_team, sub_team, rest_of_org)
    org.add("team", others_in_team | sub_team, family="teams")
    org.add("other team", rest_of_org, family="teams")
    org.add("team/sub", sub_team, parent="team", family="teams")
    decisions = org.decide()
    assert decisions["team"].shown
    assert not decisions["team/sub"].shown
    assert subtractions(org.members, decisions, K) == []


def test_it_defeats_a_band_in_a_team_against_the_same_band_in_its_parent() -> None:
    # The manager is the only long-tenured person of the parent team outside the sub-team:
    # parent/long - sub/long = the manager.
    manager, sub_long, sub_short, parent_short = people(1), people(5), people(7), people(9)
    org = Org(manager, sub_long, sub_short, parent_short, people(40))
    org.add("parent", manager | sub_long | sub_short | parent_short)
    org.add("parent/long", manager | sub_long, parent="parent", family="tenure")
    org.add("parent/short", sub_short | parent_short, parent="parent", family="tenure")
    org.add("sub", sub_long | sub_short, parent="parent", family="teams")
    org.add("sub/long", sub_long, parent="sub", family="tenure")
    org.add("sub/short", sub_short, parent="sub", family="tenure")
    decisions = org.decide()
    # Not linked, yet nested: the pair rule sees them.
    assert decisions["sub/long"].rule == "difference"
    assert subtractions(org.members, decisions, K) == []


def test_it_defeats_a_band_across_linked_teams() -> None:
    # parent/long - sub1/long - sub2/long = the manager: three groups deep, in two views.
    manager, parent_short = people(1), people(6)
    sub1_long, sub1_short, sub2_long, sub2_short = people(5), people(6), people(7), people(6)
    org = Org(manager, parent_short, sub1_long, sub1_short, sub2_long, sub2_short, people(40))
    org.add("parent", manager | parent_short | sub1_long | sub1_short | sub2_long | sub2_short)
    org.add("parent/long", manager | sub1_long | sub2_long, parent="parent", family="tenure")
    org.add(
        "parent/short", parent_short | sub1_short | sub2_short, parent="parent", family="tenure"
    )
    org.add("sub1", sub1_long | sub1_short, parent="parent", family="teams")
    org.add("sub2", sub2_long | sub2_short, parent="parent", family="teams")
    for sub, long, short in (("sub1", sub1_long, sub1_short), ("sub2", sub2_long, sub2_short)):
        org.add(f"{sub}/long", long, parent=sub, family="tenure")
        org.add(f"{sub}/short", short, parent=sub, family="tenure")
    # The engine subtracts along declared parts only: without the links it cannot see this.
    found = subtractions(org.members, org.decide(), K)
    assert ("parent/long", ("sub1/long", "sub2/long"), 1) in found
    assert ("parent", ("parent/short", "sub1/long", "sub2/long"), 1) in found

    for sub in ("sub1", "sub2"):
        org.groups.link(f"{sub}/long", parent="parent/long", family="teams")
        org.groups.link(f"{sub}/short", parent="parent/short", family="teams")
    decisions = org.decide()
    assert hidden(decisions) == {"sub1/long": "sibling"}
    assert subtractions(org.members, decisions, K) == []


def test_it_hides_the_same_people_under_every_key() -> None:
    # Nobody in the parent team outside the sub-team is long-tenured, so parent/long and
    # sub/long are the same people; hiding one of them alone would hide nothing.
    sub_long, sub_short, sub_new, parent_short = people(6), people(6), people(2), people(9)
    org = Org(sub_long, sub_short, sub_new, parent_short, people(40))
    org.add("parent", sub_long | sub_short | sub_new | parent_short)
    org.add("parent/long", sub_long, parent="parent", family="tenure")
    org.add("sub", sub_long | sub_short | sub_new, parent="parent", family="teams")
    org.add("sub/long", sub_long, parent="sub", family="tenure")
    org.add("sub/short", sub_short, parent="sub", family="tenure")
    org.add("sub/new", sub_new, parent="sub", family="tenure")
    decisions = org.decide()
    assert hidden(decisions) == {
        "sub/new": "small",
        "sub/long": "sibling",
        "parent/long": "sibling",
    }
    assert subtractions(org.members, decisions, K) == []


def test_it_hides_a_team_of_four_and_its_sibling() -> None:
    four, sibling, elsewhere = people(4), people(10), people(30)
    org = Org(four, sibling, elsewhere)
    org.add("department", four | sibling, family="teams")
    org.add("elsewhere", elsewhere, family="teams")
    org.add("department/four", four, parent="department", family="teams")
    org.add("department/sibling", sibling, parent="department", family="teams")
    decisions = org.decide()
    # department - sibling = the four: the pair rule finds it before the sibling rule does.
    assert hidden(decisions) == {"department/four": "small", "department/sibling": "difference"}
    assert decisions["department"].shown
    assert subtractions(org.members, decisions, K) == []


def test_it_hides_the_next_level_when_a_hidden_team_has_shown_sub_teams() -> None:
    # department - other - sub_a - sub_b = the two managers, through a hidden team.
    boss, lead, sub_a, sub_b, other = people(1), people(1), people(6), people(7), people(20)
    org = Org(boss, lead, sub_a, sub_b, other, people(30))
    org.add("department", boss | lead | sub_a | sub_b | other)
    org.add("department/team", lead | sub_a | sub_b, parent="department", family="teams")
    org.add("department/other", other, parent="department", family="teams")
    org.add("department/team/a", sub_a, parent="department/team", family="teams")
    org.add("department/team/b", sub_b, parent="department/team", family="teams")
    decisions = org.decide()
    assert subtractions(org.members, decisions, K) == []
    assert len(hidden(decisions)) >= 2


def test_it_guards_each_run_when_a_person_joins_between_runs() -> None:
    # Run 1: the sub-team has 4 (hidden). Run 2: someone joins it, making 5.
    joiner = people(1)
    lead, sub_team, other = people(1), people(4), people(10)

    def run(extra: frozenset[int]) -> tuple[Org, dict[str, Decision]]:
        org = Org(lead, sub_team, other, extra, people(30))
        org.add("team", lead | sub_team | other | extra)
        org.add("team/sub", sub_team | extra, parent="team", family="teams")
        org.add("team/other", other, parent="team", family="teams")
        return org, org.decide()

    runs = [run(frozenset()), run(joiner)]
    for org, decisions in runs:
        assert subtractions(org.members, decisions, K) == []
        nested_shown = [
            (outer, inner)
            for outer in shown(decisions)
            for inner in shown(decisions)
            if org.members[inner] < org.members[outer]
        ]
        assert all(
            not 0 < len(org.members[outer]) - len(org.members[inner]) < K
            for outer, inner in nested_shown
        )
    # A trend compares a cell with itself only where both runs show it.
    (_, before), (_, after) = runs
    comparable = shown(before) & shown(after)
    assert "team/sub" not in comparable
    assert "team" in comparable


# Scale and independence


def make_large_org(*, teams: int, link: bool = True) -> Org:
    """A results page: team subtrees of 8 to 32 people, and each one's 4 tenure bands and 3
    locations, about 20 people a team."""
    parent = [0] + [max(0, (index - 1) // 3) for index in range(1, teams)]
    subtree: list[set[int]] = []
    tenure: dict[int, int] = {}
    location: dict[int, int] = {}
    for team in range(teams):
        members = set(people(20 + (team * 37) % 25 - 12))
        subtree.append(members)
        for position, person in enumerate(sorted(members)):
            tenure[person] = (position * 7 + team) % 4
            location[person] = (position * 5 + team) % 3
    for team in reversed(range(1, teams)):
        subtree[parent[team]] |= subtree[team]
    org = Org(frozenset(subtree[0]))
    for team in range(teams):
        key = f"team{team}"
        parent_key = "*" if team == 0 else f"team{parent[team]}"
        org.add(key, subtree[team], parent=parent_key, family="teams")
        for family, values, attribute in (("tenure", 4, tenure), ("location", 3, location)):
            for value in range(values):
                cell = f"{key}/{family}{value}"
                cell_members = [person for person in subtree[team] if attribute[person] == value]
                org.add(cell, cell_members, parent=key, family=family)
                if link and team:
                    org.groups.link(cell, parent=f"{parent_key}/{family}{value}", family="teams")
    return org


def test_it_decides_two_thousand_groups_over_five_thousand_people_quickly() -> None:
    org = make_large_org(teams=250)
    assert len(org.groups) == 2001
    assert 4900 < len(org.scope) < 5100
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        decisions = decide(org.groups, 5)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.1
    assert 0 < len(shown(decisions)) < len(decisions)


def test_it_imports_without_django() -> None:
    code = (
        "import sys, heard.privacy; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)  # noqa: S603
