"""Survey results through the privacy engine (`heard.privacy`): which groups a viewer may
see, their scores, the heatmap rows, items, drivers, comments and the change since the last
run. `survey_results` is the one entry point that pages and exports use.

How a page is built: every group the viewer could ever be shown (each team subtree, each
team's own members, each segment value inside each of them) is put in one `GroupSet` and
decided at once (`_decided`, kept per process); the page then picks the rows it shows.
"""

from __future__ import annotations

import random
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, Max, Q, Sum
from django.db.models.functions import Cast

from heard.orgs.models import Organization, Person, Team
from heard.orgs.selectors import team_ids_led_by
from heard.privacy import Decision, GroupSet, PrivacyPolicy, decide
from heard.surveys import library
from heard.surveys.insights import (
    CommentInsights,
    Driver,
    comment_insights,
    enps_drivers,
)
from heard.surveys.models import (
    Answer,
    Kind,
    Response,
    Survey,
    SurveyInvitation,
)

SCOPE = "*"
SEGMENTS = {
    "tenure": ("tenure_band", "Tenure"),
    "location": ("location", "Location"),
    "customer_facing": ("customer_facing", "Works with customers"),
}
BY_CHOICES = [("teams", "Teams"), *((key, label) for key, (_, label) in SEGMENTS.items())]


def policy_for(org: Organization) -> PrivacyPolicy:
    return PrivacyPolicy(min_group_size=org.min_group_size)


def visible_team_ids(viewer: Person) -> set[int] | None:
    """The teams whose results a person may see: None means the whole organisation."""
    if viewer.is_admin:
        return None
    if viewer.is_manager:
        return team_ids_led_by(viewer)
    return set()


def can_see_results(viewer: Person) -> bool:
    return viewer.is_admin or bool(team_ids_led_by(viewer))


# --- participation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionInfo:
    key: str
    label: str
    description: str
    scale: str  # the kind of its items: likert5, who5, cbi


@dataclass(frozen=True)
class Cell:
    mean: float | None
    favourable: int | None  # percent
    n: int


@dataclass
class Row:
    key: str
    label: str
    decision: Decision
    cells: dict[str, Cell] = field(default_factory=dict)
    enps: float | None = None
    depth: int = 0


@dataclass
class Results:
    survey: Survey
    policy: PrivacyPolicy
    scope_key: str
    scope_label: str
    by: str
    scope: Row
    rows: list[Row]
    dimensions: list[DimensionInfo]
    scopes: list[tuple[str, str]]  # (key, label) the viewer may choose
    previous: dict[str, Cell] | None  # the same scope in the previous run, where shown
    previous_title: str = ""
    previous_hidden_reason: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    comments_decision: Decision | None = None
    respondents: int = 0
    insights: CommentInsights | None = None
    drivers: list[Driver] = field(default_factory=list)


def survey_dimensions(survey: Survey) -> list[DimensionInfo]:
    """The dimensions this survey's questions measure, in question order."""
    known: dict[str, tuple[str, str]] = {}
    for instrument in library.instruments().values():
        for dim in instrument.dimensions:
            known[dim.key] = (dim.label, dim.description)
    seen: dict[str, DimensionInfo] = {}
    for question in survey.questions.all():
        if question.dimension and question.dimension not in seen and question.kind != Kind.SCALE10:
            label, description = known.get(
                question.dimension, (question.dimension.replace("_", " ").capitalize(), "")
            )
            seen[question.dimension] = DimensionInfo(
                question.dimension, label, description, question.kind
            )
    return list(seen.values())


@dataclass(frozen=True)
class _ResponseRow:
    id: Any
    team_id: int | None
    segments: dict[str, str]
    scores: dict[str, dict[str, float]]
    enps: int | None


def _responses(survey: Survey) -> list[_ResponseRow]:
    rows = Response.objects.filter(survey=survey).values_list(
        "id", "team_id", "tenure_band", "location", "customer_facing", "dimension_scores", "enps"
    )
    return [
        _ResponseRow(
            rid,
            team_id,
            {
                "tenure": tenure or "Unknown",
                "location": location or "Unknown",
                "customer_facing": "Yes" if customer_facing else "No",
            },
            scores or {},
            enps,
        )
        for rid, team_id, tenure, location, customer_facing, scores, enps in rows
    ]


@dataclass
class _Teams:
    names: dict[int, str]
    parent: dict[int, int | None]  # parent among the visible teams, None for a visible root
    members: dict[int, set[Any]]  # response ids in the team's whole subtree
    whole_org: bool
    own: dict[int, set[Any]] = field(default_factory=dict)  # the team's own members only
    children: dict[int | None, list[int]] = field(default_factory=dict)


def _team_groups(
    org: Organization,
    visible: set[int] | None,
    responses: Sequence[_ResponseRow],
    team_rows: Sequence[tuple[int, str, int | None]] | None = None,
) -> _Teams:
    teams = (
        list(team_rows)
        if team_rows is not None
        else list(Team.objects.for_org(org).values_list("id", "name", "parent_id"))
    )
    all_parent = {tid: parent for tid, _, parent in teams}
    shown = {tid for tid, _, _ in teams} if visible is None else visible
    parent = {tid: (all_parent[tid] if all_parent[tid] in shown else None) for tid in shown}
    members: dict[int, set[Any]] = {tid: set() for tid in shown}
    own: dict[int, set[Any]] = {tid: set() for tid in shown}
    for response in responses:
        if response.team_id in own:
            own[response.team_id].add(response.id)
        tid = response.team_id
        while tid is not None:
            if tid in members:
                members[tid].add(response.id)
            tid = all_parent.get(tid)
    names = {tid: name for tid, name, _ in teams if tid in shown}
    children: dict[int | None, list[int]] = defaultdict(list)
    for tid in sorted(shown, key=names.__getitem__):
        children[parent[tid]].append(tid)
    return _Teams(names, parent, members, visible is None, own, children)


def _parents_first(teams: _Teams, root: int | None = None) -> list[tuple[int, int]]:
    """(team id, depth) below `root` (None: the viewer's top teams), each parent before its
    children, in the order a tree is read."""
    order: list[tuple[int, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for tid in teams.children.get(parent, []):
            order.append((tid, depth))
            walk(tid, depth + 1)

    walk(root, 0)
    return order


def _own_key(team_id: int) -> str:
    return f"team:{team_id}/own"


def _key(team_id: int) -> str:
    return f"team:{team_id}"


def _build_groups(
    scope: frozenset[Any], teams: _Teams, responses: Sequence[_ResponseRow]
) -> GroupSet:
    """Every group the viewer could ever be shown, decided together: each team subtree, and
    inside it (and inside the whole scope) each segment value. Deciding them at once is what
    stops one view being subtracted from another."""
    groups = GroupSet(scope)
    by_id = {r.id: r for r in responses}
    order = [tid for tid, _ in _parents_first(teams)]
    for tid in order:
        parent = teams.parent[tid]
        groups.add(
            _key(tid),
            teams.members[tid],
            parent=_key(parent) if parent is not None else SCOPE,
            family="teams",
        )
        if teams.children.get(tid):
            # A team with sub-teams also has its own members: a part of its subtree, beside
            # the sub-teams, so the sibling rule covers "team minus its sub-teams".
            groups.add(_own_key(tid), teams.own[tid], parent=_key(tid), family="teams")
    for parent_key, members in [(SCOPE, set(scope))] + [
        (_key(tid), teams.members[tid]) for tid in order
    ]:
        for segment in SEGMENTS:
            values: dict[str, set[Any]] = defaultdict(set)
            for rid in members:
                if rid in by_id:
                    values[by_id[rid].segments[segment]].add(rid)
            for value, ids in sorted(values.items()):
                key = f"{parent_key}|{segment}:{value}"
                groups.add(key, ids, parent=parent_key, family=segment)
                if parent_key != SCOPE:
                    # The same band in the parent team holds this one: a part of it, beside
                    # the band in the sibling teams ("band in team minus band in sub-teams").
                    up = teams.parent[int(parent_key.split(":")[1])]
                    up_key = _key(up) if up is not None else SCOPE
                    groups.link(key, parent=f"{up_key}|{segment}:{value}", family="teams")
    return groups


def _also_hidden_org_wide(
    decisions: dict[str, Decision],
    org: Organization,
    responses: Sequence[_ResponseRow],
    policy: PrivacyPolicy,
    team_rows: Sequence[tuple[int, str, int | None]],
) -> dict[str, Decision]:
    """A manager's groups are decided in their own view and in the whole organisation's:
    shown only where both show them, so a manager's page and an admin's page put side by
    side cannot be subtracted from each other either."""
    everyone = _team_groups(org, None, responses, team_rows)
    org_wide = decide(
        _build_groups(frozenset(r.id for r in responses), everyone, responses),
        policy.min_group_size,
    )
    merged = dict(decisions)
    for key, decision in decisions.items():
        wide = org_wide.get(key)
        if key != SCOPE and decision.shown and wide is not None and not wide.shown:
            merged[key] = wide
    return merged


# Raw totals of a group: per dimension [sum of item scores, items, favourable items, people],
# and the eNPS answers as [promoters, passives, detractors]. Totals add up, so a team's
# subtree is its own members' totals plus its sub-teams'.
Totals = tuple[dict[str, list[float]], list[int]]


def _totals(member_ids: Iterable[Any], by_id: dict[Any, _ResponseRow]) -> Totals:
    dims: dict[str, list[float]] = {}
    enps = [0, 0, 0]
    for rid in member_ids:
        response = by_id[rid]
        for dim, entry in response.scores.items():
            total = dims.get(dim)
            if total is None:
                total = dims[dim] = [0.0, 0.0, 0.0, 0.0]
            total[0] += entry["sum"]
            total[1] += entry["n"]
            total[2] += entry["fav"]
            total[3] += 1
        if response.enps is not None:
            band = (
                0
                if response.enps >= library.PROMOTER_MIN
                else 2
                if response.enps <= library.DETRACTOR_MAX
                else 1
            )
            enps[band] += 1
    return dims, enps


def _add(into: Totals, other: Totals) -> None:
    for dim, values in other[0].items():
        total = into[0].setdefault(dim, [0.0, 0.0, 0.0, 0.0])
        for i in range(4):
            total[i] += values[i]
    for i in range(3):
        into[1][i] += other[1][i]


def _cells_of(
    totals: Totals, dims: Sequence[DimensionInfo]
) -> tuple[dict[str, Cell], float | None]:
    cells = {}
    for dim in dims:
        s, n, fav, people = totals[0].get(dim.key, (0.0, 0.0, 0.0, 0.0))
        cells[dim.key] = Cell(
            round(s / n, 2) if n else None, round(100 * fav / n) if n else None, int(people)
        )
    return cells, library.enps_from_counts(*totals[1])


def _cells(
    member_ids: Iterable[Any], by_id: dict[Any, _ResponseRow], dims: Sequence[DimensionInfo]
) -> tuple[dict[str, Cell], float | None]:
    return _cells_of(_totals(member_ids, by_id), dims)


@dataclass
class _Decided:
    """One viewer's decided groups for one survey, with what was computed from them: the
    expensive part of a results page, kept per process (see `_decided`)."""

    policy: PrivacyPolicy
    visible: set[int] | None
    responses: list[_ResponseRow]
    by_id: dict[Any, _ResponseRow]
    teams: _Teams
    scope: frozenset[Any]
    decisions: dict[str, Decision]
    dims: list[DimensionInfo]
    scopes: list[tuple[str, str]]
    members_of: dict[str, set[Any]]
    cells: dict[str, tuple[dict[str, Cell], float | None]] = field(default_factory=dict)
    extras: dict[tuple[str, str], Any] = field(default_factory=dict)

    def cells_for(self, key: str, members: Iterable[Any]) -> tuple[dict[str, Cell], float | None]:
        if key not in self.cells:
            if key.startswith("team:") and "|" not in key and "/" not in key:
                totals = self.team_totals(int(key.split(":")[1]))
                self.cells[key] = _cells_of(totals, self.dims)
            else:
                self.cells[key] = _cells(members, self.by_id, self.dims)
        return self.cells[key]

    def team_totals(self, team_id: int) -> Totals:
        """A team subtree's totals: its own members' plus its sub-teams' (memoised)."""
        key = ("totals", str(team_id))
        if key not in self.extras:
            totals = _totals(self.teams.own[team_id], self.by_id)
            for child in self.teams.children.get(team_id, []):
                _add(totals, self.team_totals(child))
            self.extras[key] = totals
        found: Totals = self.extras[key]
        return found

    def memo(self, what: str, scope_key: str, make: Callable[[], Any]) -> Any:
        if (what, scope_key) not in self.extras:
            self.extras[(what, scope_key)] = make()
        return self.extras[(what, scope_key)]


_DECIDED: OrderedDict[tuple[Any, ...], _Decided] = OrderedDict()
_DECIDED_SIZE = 16
_DECIDED_LOCK = threading.Lock()


def _decided(survey: Survey, viewer: Person) -> _Decided:
    """The viewer's decided groups, from a small per-process cache. The key holds everything
    the decisions depend on: the survey and its previous run with how many responses each has
    and the largest (random) id among them, so any new answer changes it; k; the team tree
    (ids, names, parents); what the viewer may see. A stored response never changes."""
    org = survey.organization
    visible = visible_team_ids(viewer)
    team_rows = tuple(
        Team.objects.for_org(org).order_by("id").values_list("id", "name", "parent_id")
    )
    # Random ids: the largest one changes whenever the set of responses does.
    stored = Response.objects.filter(survey_id__in=[survey.pk, survey.previous_id or 0])
    last_id = Max(Cast("id", CharField()))  # PostgreSQL has no max() of a uuid
    fingerprint = tuple(
        stored.values("survey_id")
        .annotate(n=Count("id"), last=last_id)
        .order_by("survey_id")
        .values_list("survey_id", "n", "last")
    )
    key = (
        survey.pk,
        fingerprint,
        org.min_group_size,
        hash(team_rows),
        None if visible is None else frozenset(visible),
        survey.previous_id,
    )
    with _DECIDED_LOCK:
        found = _DECIDED.get(key)
        if found is not None:
            _DECIDED.move_to_end(key)
            return found
    policy = policy_for(org)
    responses = _responses(survey)
    teams = _team_groups(org, visible, responses, team_rows)
    if visible is None:
        scope = frozenset(r.id for r in responses)
    else:
        scope = frozenset(
            rid for tid, ids in teams.members.items() if teams.parent[tid] is None for rid in ids
        )
    decisions = decide(_build_groups(scope, teams, responses), policy.min_group_size)
    if visible is not None:
        decisions = _also_hidden_org_wide(decisions, org, responses, policy, team_rows)
    scope_label = "Everyone you can see" if visible is not None else "Whole organisation"
    decided = _Decided(
        policy=policy,
        visible=visible,
        responses=responses,
        by_id={r.id: r for r in responses},
        teams=teams,
        scope=scope,
        decisions=decisions,
        dims=survey_dimensions(survey),
        scopes=[(SCOPE, scope_label)]
        + [(_key(tid), name) for tid, name in sorted(teams.names.items(), key=lambda t: t[1])],
        members_of={SCOPE: set(scope), **{_key(t): m for t, m in teams.members.items()}},
    )
    with _DECIDED_LOCK:
        _DECIDED[key] = decided
        while len(_DECIDED) > _DECIDED_SIZE:
            _DECIDED.popitem(last=False)
    return decided


def survey_results(
    survey: Survey,
    viewer: Person,
    *,
    scope_key: str = SCOPE,
    by: str = "teams",
    with_insights: bool = True,
) -> Results | None:
    """What `viewer` may see of a survey's results, through the privacy engine. None when
    the viewer has no results to see (an employee, or a scope that is not theirs)."""
    if not can_see_results(viewer):
        return None
    d = _decided(survey, viewer)
    teams, decisions = d.teams, d.decisions
    scopes = dict(d.scopes)
    if scope_key not in scopes:
        return None
    if by not in dict(BY_CHOICES):
        by = "teams"

    def row(key: str, label: str, members: Iterable[Any], depth: int = 0) -> Row:
        decision = decisions[key]
        result = Row(key, label, decision, depth=depth)
        if decision.shown:
            result.cells, result.enps = d.cells_for(key, members)
        return result

    scope_row = row(scope_key, scopes[scope_key], d.members_of[scope_key])
    rows: list[Row] = []
    if by == "teams":
        root = None if scope_key == SCOPE else int(scope_key.split(":")[1])
        below = _parents_first(teams, root)
        if root is not None and teams.children.get(root):
            below.insert(0, (root, -1))  # only its own-members row, below
        for tid, depth in below:
            if depth >= 0:
                label = teams.names[tid] + (" (with sub-teams)" if teams.children.get(tid) else "")
                rows.append(row(_key(tid), label, teams.members[tid], depth))
            if teams.children.get(tid):
                own_label = f"{teams.names[tid]}: its own members"
                rows.append(row(_own_key(tid), own_label, teams.own[tid], depth + 1))
    else:
        prefix = f"{scope_key}|{by}:"
        for key in sorted(k for k in decisions if k.startswith(prefix)):
            value = key[len(prefix) :]
            members = [rid for rid in d.members_of[scope_key] if d.by_id[rid].segments[by] == value]
            rows.append(row(key, value, members))
    results = Results(
        survey=survey,
        policy=d.policy,
        scope_key=scope_key,
        scope_label=scopes[scope_key],
        by=by,
        scope=scope_row,
        rows=rows,
        dimensions=d.dims,
        scopes=d.scopes,
        previous=None,
        respondents=len(d.scope),
    )
    if scope_row.decision.shown:
        results.items = d.memo(
            "items", scope_key, lambda: _items(survey, _subtree(teams, scope_key))
        )
        if survey.previous_id:
            results.previous, results.previous_title, results.previous_hidden_reason = d.memo(
                "previous", scope_key, lambda: _previous(survey, viewer, scope_key, teams)
            )
        results.drivers = d.memo(
            "drivers",
            scope_key,
            lambda: enps_drivers(
                [(d.by_id[rid].scores, d.by_id[rid].enps) for rid in d.members_of[scope_key]],
                [dim.key for dim in d.dims],
            ),
        )
    comments, results.comments_decision = d.memo(
        "comments", scope_key, lambda: _comments(survey, d.scope, teams, scope_key, d.policy)
    )
    results.comments = list(comments)
    if results.comments and with_insights:
        results.insights = comment_insights(results.comments)
    return results


def _previous(
    survey: Survey, viewer: Person, scope_key: str, teams: _Teams
) -> tuple[dict[str, Cell] | None, str, str]:
    """The same scope in the previous run, decided by the same engine in that run: a change
    is only shown where both runs show the scope, and the people in it did not change by
    fewer than k. Returns (cells, the previous run's title, why no change is shown)."""
    previous = survey.previous
    if previous is None:
        return None, "", ""
    k = survey.organization.min_group_size
    if not _same_people(survey, previous, _subtree(teams, scope_key)):
        reason = (
            f"No change since “{previous.title}” is shown: fewer than {k} people joined or "
            "left this group in between, so comparing the two could single them out."
        )
        return None, previous.title, reason
    earlier = survey_results(previous, viewer, scope_key=scope_key, by="teams", with_insights=False)
    if earlier is None or not earlier.scope.decision.shown:
        return None, previous.title, f"“{previous.title}” is hidden for this group."
    return earlier.scope.cells, previous.title, ""


def _subtree(teams: _Teams, scope_key: str) -> list[int] | None:
    """Team ids under a scope key; None for the whole organisation (no filter needed)."""
    if scope_key == SCOPE:
        return None if teams.whole_org else list(teams.names)
    root = int(scope_key.split(":")[1])
    found, stack = [], [root]
    while stack:
        tid = stack.pop()
        found.append(tid)
        stack.extend(teams.children.get(tid, []))
    return found


def _same_people(survey: Survey, previous: Survey, team_ids: list[int] | None) -> bool:
    """Whether the people invited in a scope (its teams; None: the whole organisation)
    changed by 0 or at least k between two runs. A change of 1 to k-1 people (someone joined
    or left) would let the two runs' results be subtracted to single them out, so no change
    is shown then."""
    invitations = SurveyInvitation.objects.filter(survey__in=[survey, previous])
    if team_ids is not None:
        invitations = invitations.filter(team_id__in=team_ids)
    people: dict[int, set[int]] = {survey.pk: set(), previous.pk: set()}
    for survey_id, person_id in invitations.values_list("survey_id", "person_id"):
        people[survey_id].add(person_id)
    moved = len(people[survey.pk] ^ people[previous.pk])
    return moved == 0 or moved >= survey.organization.min_group_size


def _items(survey: Survey, team_ids: list[int] | None) -> list[dict[str, Any]]:
    """Per item: mean and favourable %, for a scope the engine has already shown."""
    questions = [q for q in survey.questions.all() if q.is_scored]
    answers = Answer.objects.filter(response__survey=survey, score__isnull=False)
    if team_ids is not None:
        answers = answers.filter(response__team_id__in=team_ids)
    stats = {
        row["question_id"]: row
        for row in answers.values("question_id").annotate(
            n=Count("id"), total=Sum("score"), fav=Count("id", filter=Q(favourable=True))
        )
    }
    items = []
    for question in questions:
        row = stats.get(question.pk)
        n = row["n"] if row else 0
        items.append(
            {
                "question": question,
                "n": n,
                "mean": round(row["total"] / n, 2) if row and n else None,
                "favourable": round(100 * row["fav"] / n) if row and n else None,
            }
        )
    return items


def _comments(
    survey: Survey, scope: frozenset[Any], teams: _Teams, scope_key: str, policy: PrivacyPolicy
) -> tuple[list[str], Decision]:
    """Comments for a team scope (never a demographic filter). The engine decides on the
    people who wrote comments, with the comment threshold; comments come shuffled, so their
    order says nothing."""
    written: dict[Any, list[str]] = defaultdict(list)
    rows = Answer.objects.filter(response__survey=survey, question__kind=Kind.TEXT).exclude(text="")
    for rid, text in rows.values_list("response_id", "text"):
        if rid in scope:
            written[rid].append(text)
    writers = frozenset(written)
    groups = GroupSet(writers)
    for tid, _ in _parents_first(teams):
        parent = teams.parent[tid]
        groups.add(
            _key(tid),
            teams.members[tid] & writers,
            parent=_key(parent) if parent is not None else SCOPE,
            family="teams",
        )
        if teams.children.get(tid):
            groups.add(_own_key(tid), teams.own[tid] & writers, parent=_key(tid), family="teams")
    decision = decide(groups, policy.comment_threshold)[scope_key]
    if not decision.shown:
        return [], decision
    members = writers if scope_key == SCOPE else teams.members[int(scope_key.split(":")[1])]
    texts = [text for rid in members if rid in written for text in written[rid]]
    random.SystemRandom().shuffle(texts)
    return texts, decision
