"""Focus group and interview notes: recorded without names, with themes across them."""

from __future__ import annotations

import datetime

from django.test import Client

from conftest import World
from heard.surveys.models import FocusSession
from heard.surveys.selectors import focus_themes, note_points


def _notes(extra: str = "") -> str:
    return "\n".join(
        [
            "- Recognition only comes for sales deals, never for support saves",
            "- Recognition for support saves would help morale",
            "- The queue targets leave no time for breaks",
            "- Queue targets are too tight on the evening shift",
            "- Training for the new tool was missing",
            "- The new tool rollout had no training at all",
            extra,
        ]
    )


def test_it_records_notes_without_roster_names_or_contacts(
    world: World, admin_client: Client
) -> None:
    response = admin_client.post(
        "/listening/",
        {
            "format": "focus_group",
            "held_on": "2026-11-02",
            "topic": "Support recognition",
            "participants": "6",
            "notes": _notes("Eve Employee said call her on 07700 900123"),
        },
    )
    assert response.status_code == 302
    session = FocusSession.objects.get(organization=world.org)
    assert "Eve" not in session.notes and "07700" not in session.notes
    assert session.recorded_by == world.admin


def test_it_refuses_empty_notes_with_a_message(world: World, admin_client: Client) -> None:
    response = admin_client.post(
        "/listening/",
        {"format": "interview", "held_on": "2026-11-02", "topic": "CEO", "participants": "1",
         "notes": "   "},
    )  # fmt: skip
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not FocusSession.objects.exists()


def test_it_finds_themes_across_the_notes(world: World) -> None:
    for day in (1, 2):
        FocusSession.objects.create(
            organization=world.org,
            format="focus_group",
            held_on=datetime.date(2026, 11, day),
            topic="Support",
            notes=_notes(),
        )
    found = focus_themes(world.org)
    assert found.sessions == 2 and found.points == 12
    names = " ".join(t.name for t in found.themes)
    assert "recognition" in names or "queue" in names or "training" in names


def test_it_cuts_notes_into_points() -> None:
    assert note_points("- one\n\n* two\n• three") == ["one", "two", "three"]


def test_it_shows_the_guides_to_admins_only(
    world: World, admin_client: Client, manager_client: Client
) -> None:
    assert (
        "Focus group guide" in admin_client.get("/listening/guides/focus-group/").content.decode()
    )
    assert admin_client.get("/listening/guides/interview/").status_code == 200
    assert admin_client.get("/listening/guides/other/").status_code == 404
    assert manager_client.get("/listening/").status_code == 404
