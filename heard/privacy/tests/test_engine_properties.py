"""The privacy engine on random organisations: whatever the tree, the sizes and the viewer,
no shown number can be subtracted from another to leave fewer than the threshold."""

from __future__ import annotations

import random
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.privacy import Decision, GroupSet, PrivacyPolicy, decide

TENURE_BANDS = 4
LOCATIONS = 3


@dataclass
class Organisation:
    parents: list[int]  # parents[team] < team; the root's parent is -1
    homes: list[list[int]]  # the people of each team, not counting its sub-teams
    tenure: dict[int, int]
    location: dict[int, int]

    def subtree(self, team: int) -> set[int]:
        people = set(self.homes[team])
        for child, parent in enumerate(self.parents):
            if parent == team:
                people |= self.subtree(child)
        return people


@st.composite
def organisations(draw: st.DrawFn) -> Organisation:
    team_count = draw(st.integers(1, 25))
    parents = [-1] + [draw(st.integers(0, team - 1)) for team in range(1, team_count)]
    sizes = [draw(st.integers(0, 60)) for _ in range(team_count)]
    # One seed for everyone's tenure and location: drawing each from Hypothesis would overrun
    # its buffer on large organisations.
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    homes: list[list[int]] = []
    tenure: dict[int, int] = {}
    location: dict[int, int] = {}
    person = 0
    for size in sizes:
        # Uneven weights, so that some cells are small and some are empty.
        tenure_weights = [rng.random() ** 3 for _ in range(TENURE_BANDS)]
        location_weights = [rng.random() ** 3 for _ in range(LOCATIONS)]
        home = list(range(person, person + size))
        for member in home:
            tenure[member] = rng.choices(range(TENURE_BANDS), tenure_weights)[0]
            location[member] = rng.choices(range(LOCATIONS), location_weights)[0]
        homes.append(home)
        person += size
    return Organisation(parents, homes, tenure, location)


@dataclass
class Page:
    """The groups of one results page, as the engine was given them."""

    members: dict[str, frozenset[Hashable]] = field(default_factory=dict)
    # parent -> family -> parts
    parts: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    ancestors: dict[str, set[str]] = field(default_factory=dict)


def build_page(org: Organisation, root: int | None, *, linked: bool) -> tuple[GroupSet, Page]:
    """Every team subtree in the viewer's scope (family "teams"), and inside each its tenure
    bands and locations; with `linked`, each cell is also a part of the same cell of the parent
    team, as a heatmap page declares it."""
    scope = frozenset(org.subtree(0 if root is None else root))
    groups = GroupSet(scope)
    page = Page(members={"*": scope}, ancestors={"*": set()})

    def add(key: str, members: set[int], parent: str, family: str) -> None:
        groups.add(key, members, parent=parent, family=family)
        page.members[key] = scope.intersection(members)
        page.parts.setdefault(parent, {}).setdefault(family, []).append(key)
        page.ancestors[key] = {parent} | page.ancestors[parent]

    def link(key: str, parent: str) -> None:
        groups.link(key, parent=parent, family="teams")
        page.parts.setdefault(parent, {}).setdefault("teams", []).append(key)
        page.ancestors[key] |= {parent} | page.ancestors[parent]

    top = 0 if root is None else root
    for team in sorted(_teams_under(org, top)):
        key = f"team{team}"
        parent = "*" if team == top else f"team{org.parents[team]}"
        people = org.subtree(team)
        add(key, people, parent, "teams")
        for family, values, attribute in (
            ("tenure", TENURE_BANDS, org.tenure),
            ("location", LOCATIONS, org.location),
        ):
            for value in range(values):
                cell = f"{key}/{family}{value}"
                add(cell, {person for person in people if attribute[person] == value}, key, family)
                if linked and team != top:
                    link(cell, f"{parent}/{family}{value}")
    return groups, page


def _teams_under(org: Organisation, top: int) -> set[int]:
    teams = {top}
    for team in range(top + 1, len(org.parents)):
        if org.parents[team] in teams:
            teams.add(team)
    return teams


def check(page: Page, decisions: dict[str, Decision], threshold: int) -> None:
    members = page.members
    scope = members["*"]
    assert set(decisions) == set(members)
    visible = {key for key, decision in decisions.items() if decision.shown}
    for key, decision in decisions.items():
        if decision.shown:
            assert decision.n == len(members[key]) >= threshold
            assert (decision.reason, decision.rule) == ("", "")
        else:
            assert decision.n is None
            assert decision.rule in {"empty", "small", "complement", "difference", "sibling"}
            assert decision.reason

    def too_few(count: int) -> bool:
        return 0 < count < threshold

    # The same people are never shown under one key and hidden under another.
    shown_people = {members[key] for key in visible}
    for key in set(members) - visible:
        assert members[key] not in shown_people, key
    # The rest of the scope.
    for key in visible:
        assert not too_few(len(scope - members[key])), key
    # Every shown ancestor and descendant, and beyond the links: every shown nested pair.
    for key in visible:
        for ancestor in page.ancestors[key] & visible:
            assert not too_few(len(members[ancestor] - members[key])), (ancestor, key)
    by_size = sorted(visible, key=lambda key: len(members[key]))
    for position, inner in enumerate(by_size):
        for outer in by_size[position + 1 :]:
            difference = len(members[outer]) - len(members[inner])
            if difference >= threshold:
                break
            assert not (difference and members[inner] <= members[outer]), (outer, inner)
    # The hidden parts of each family next to a shown one, shown parent or not.
    for families in page.parts.values():
        for parts in families.values():
            if visible.intersection(parts):
                hidden = sum(len(members[part]) for part in parts if part not in visible)
                assert not too_few(hidden), parts

    # Any subtraction through the declared parts, down through hidden groups: what can be
    # left over of a group (capped at the threshold), worked out with plain sets.
    @cache
    def left_overs(key: str) -> frozenset[int]:
        values = {min(len(members[key]), threshold)}
        if key in visible:
            values.add(0)
        for family in page.parts.get(key, {}):
            values |= family_left_overs(key, family)
        return frozenset(values)

    @cache
    def family_left_overs(key: str, family: str) -> frozenset[int]:
        parts = page.parts[key][family]
        outside = len(members[key]) - sum(len(members[part]) for part in parts)
        values = {min(outside, threshold)}
        for part in parts:
            values = {min(a + b, threshold) for a in values for b in left_overs(part)}
        return frozenset(values)

    for key in visible:
        for family in page.parts.get(key, {}):
            leaks = sorted(value for value in family_left_overs(key, family) if too_few(value))
            assert not leaks, (key, family, leaks)


@settings(max_examples=2000, deadline=None, database=None)
@given(
    org=organisations(),
    k=st.integers(3, 8),
    viewer=st.integers(-1, 24),
    linked=st.booleans(),
)
def test_it_never_shows_numbers_that_subtract_to_fewer_than_the_threshold(
    org: Organisation, k: int, viewer: int, linked: bool
) -> None:
    root = None if viewer < 0 or viewer >= len(org.parents) else viewer
    groups, page = build_page(org, root, linked=linked)
    policy = PrivacyPolicy(min_group_size=k)
    for threshold in (policy.min_group_size, policy.comment_threshold):
        check(page, decide(groups, threshold), threshold)


@settings(max_examples=300, deadline=None, database=None)
@given(
    org=organisations(),
    k=st.integers(3, 8),
    linked=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_it_stays_safe_when_a_page_hides_more(
    org: Organisation, k: int, linked: bool, seed: int
) -> None:
    # Hiding takes numbers away and never opens a subtraction, so a page may hide more than
    # the engine asks (say, what the organisation-wide decision hides) and stay safe.
    groups, page = build_page(org, None, linked=linked)
    decisions = decide(groups, k)
    rng = random.Random(seed)
    shown_people = sorted(
        {page.members[key] for key, decision in decisions.items() if decision.shown}, key=sorted
    )
    hide = {people for people in shown_people if rng.random() < 0.3}
    more = {
        key: Decision(key=key, shown=False, n=None, reason="Hidden.", rule="sibling")
        if page.members[key] in hide
        else decision
        for key, decision in decisions.items()
    }
    check(page, more, k)
