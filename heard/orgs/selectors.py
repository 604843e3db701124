"""Reads for organisations and people that span relations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from heard.orgs.models import Invitation, Organization, Person, RosterImport, Team


@dataclass(frozen=True)
class TeamNode:
    team: Team
    depth: int
    member_count: int


def team_tree(org: Organization) -> list[TeamNode]:
    """Teams in hierarchy order (parents before children), with active member counts."""
    teams = list(
        Team.objects.for_org(org)
        .select_related("manager", "parent")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    )
    children: dict[int | None, list[Team]] = {}
    ids = {t.pk for t in teams}
    for team in teams:
        parent_id = team.parent_id if team.parent_id in ids else None
        children.setdefault(parent_id, []).append(team)
    nodes: list[TeamNode] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for team in sorted(children.get(parent_id, []), key=lambda t: t.name.lower()):
            if team.pk in seen:
                continue
            seen.add(team.pk)
            nodes.append(TeamNode(team, depth, team.member_count))  # type: ignore[attr-defined]
            walk(team.pk, depth + 1)

    walk(None, 0)
    return nodes


def team_subtree_ids(org: Organization, root_ids: Iterable[int]) -> set[int]:
    """The given teams with all their sub-teams, in one query."""
    tree = Team.objects.for_org(org).values_list("pk", "parent_id")
    return _subtree(list(tree), root_ids)


def team_ids_led_by(person: Person) -> set[int]:
    """Teams a manager leads, with all their sub-teams."""
    teams = list(
        Team.objects.for_org(person.organization).values_list("pk", "parent_id", "manager_id")
    )
    led = [pk for pk, _, manager_id in teams if manager_id == person.pk]
    return _subtree([(pk, parent_id) for pk, parent_id, _ in teams], led)


def _subtree(tree: list[tuple[int, int | None]], root_ids: Iterable[int]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for team_id, parent_id in tree:
        children.setdefault(parent_id, []).append(team_id)
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        team_id = stack.pop()
        if team_id not in found:
            found.add(team_id)
            stack.extend(children.get(team_id, []))
    return found


def people_visible_to(viewer: Person) -> QuerySet[Person]:
    """Admins see everyone; managers see their reports and the teams they lead."""
    people = Person.objects.for_org(viewer.organization).select_related("team", "manager", "user")
    if viewer.is_admin:
        return people
    if viewer.is_manager:
        return people.filter(
            Q(manager=viewer) | Q(team_id__in=team_ids_led_by(viewer)) | Q(pk=viewer.pk)
        )
    return people.filter(pk=viewer.pk)


def people_search(
    people: QuerySet[Person], *, query: str = "", team_id: int | None = None, status: str = "active"
) -> QuerySet[Person]:
    if query:
        people = people.filter(Q(name__icontains=query) | Q(email__icontains=query))
    if team_id:
        people = people.filter(team_id=team_id)
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "inactive":
        people = people.filter(is_active=False)
    elif status == "no_account":
        people = people.filter(is_active=True, user__isnull=True)
    return people


def people_never_invited(org: Organization) -> QuerySet[Person]:
    """Active people with no sign-in who were never sent an invitation."""
    return Person.objects.for_org(org).active().filter(user__isnull=True, invitations__isnull=True)


@dataclass(frozen=True)
class AdminOverview:
    people: int
    teams: int
    with_account: int
    pending_invitations: int
    never_invited: int
    last_import: RosterImport | None


def admin_overview(org: Organization) -> AdminOverview:
    active = Person.objects.for_org(org).active()
    counts = active.aggregate(
        people=Count("pk"), with_account=Count("pk", filter=Q(user__isnull=False))
    )
    pending = Invitation.objects.for_org(org).filter(
        accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )
    never = people_never_invited(org).count()
    return AdminOverview(
        people=counts["people"],
        teams=Team.objects.for_org(org).count(),
        with_account=counts["with_account"],
        pending_invitations=pending.count(),
        never_invited=never,
        last_import=RosterImport.objects.for_org(org).first(),
    )


def latest_invitation(person: Person) -> Invitation | None:
    return person.invitations.order_by("-created_at").first()
