"""Reads for surveys. Every number that leaves here has been through the privacy engine
(`heard.privacy`): results (in `heard.surveys.results`), participation and comments alike;
the pages, the exports and the API all call these functions, never the tables directly."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q

from heard.orgs.models import Organization, Person, Team
from heard.privacy import participation_step
from heard.surveys.insights import ThemeSummary
from heard.surveys.models import FocusSession, Survey, SurveyInvitation
from heard.surveys.results import can_see_results, policy_for, visible_team_ids


@dataclass(frozen=True)
class ParticipationRow:
    label: str
    invited: int
    shown: int | None  # answered, rounded down to a step of k; None when fewer than k invited


@dataclass(frozen=True)
class Participation:
    step: int
    overall: ParticipationRow | None
    teams: list[ParticipationRow]


def participation(survey: Survey, viewer: Person) -> Participation | None:
    """Participation by team, in steps of k, so a counter never shows who just answered."""
    if survey.status == "draft":
        return None
    policy = policy_for(survey.organization)
    visible = visible_team_ids(viewer)
    invitations = survey.invitations.all()
    if visible is not None:
        invitations = invitations.filter(team_id__in=visible)
    counts = invitations.values("team_id").annotate(
        invited=Count("id"), answered=Count("id", filter=Q(answered=True))
    )
    names = dict(Team.objects.for_org(survey.organization).values_list("id", "name"))
    rows: list[ParticipationRow] = []
    total_invited = total_answered = 0
    for entry in sorted(counts, key=lambda e: names.get(e["team_id"], "")):
        total_invited += entry["invited"]
        total_answered += entry["answered"]
        step = participation_step(entry["answered"], entry["invited"], policy)
        label = names.get(entry["team_id"], "No team")
        rows.append(ParticipationRow(label, entry["invited"], step[0] if step else None))
    overall_step = participation_step(total_answered, total_invited, policy)
    overall = ParticipationRow("Everyone", total_invited, overall_step[0]) if overall_step else None
    return Participation(policy.min_group_size, overall, rows)


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FocusThemes:
    sessions: int
    points: int
    themes: tuple[ThemeSummary, ...]


def focus_themes(org: Organization) -> FocusThemes:
    """Themes across the notes of all focus groups and interviews: each note is cut into
    its points (lines or sentences), and the points are grouped (heard_nlp.themes)."""
    notes = list(FocusSession.objects.for_org(org).values_list("notes", flat=True))
    points = [p for note in notes for p in note_points(note)]
    if not points:
        return FocusThemes(len(notes), 0, ())
    from heard_nlp.themes import themes

    found = themes(points, max_themes=6, min_size=2)
    summaries = tuple(
        ThemeSummary(t.name, t.key_phrases, t.size, t.representatives[:3]) for t in found
    )
    return FocusThemes(len(notes), len(points), summaries)


def note_points(note: str) -> list[str]:
    """The points of a note: its non-empty lines, bullets stripped; long lines by sentence."""
    points: list[str] = []
    for line in note.splitlines():
        line = line.strip().lstrip("-*•").strip()
        if not line:
            continue
        if len(line) > 200:
            points.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip())
        else:
            points.append(line)
    return points


def surveys_waiting_for(person: Person) -> list[tuple[Survey, str]]:
    """Open surveys this person has not answered yet, with their own link's path."""
    from heard.surveys.services import link_token

    invitations = SurveyInvitation.objects.filter(
        person=person, answered=False, survey__status="open"
    ).select_related("survey")
    return [(inv.survey, f"/s/{link_token(inv)}/") for inv in invitations]


def latest_results_for(person: Person) -> Survey | None:
    """The most recent survey with results this person may see (admins and managers)."""
    if not can_see_results(person):
        return None
    return (
        Survey.objects.for_org(person.organization)
        .filter(status="closed")
        .order_by("-closes_on", "-pk")
        .first()
    )
