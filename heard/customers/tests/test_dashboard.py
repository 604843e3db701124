"""The customer dashboard: weekly trend, ratings, reply empathy by team in aggregate only."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from conftest import World
from heard.customers.analysis import org_analyse_due
from heard.customers.dashboard import chart_points, customer_dashboard
from heard.customers.tests.helpers import make_item
from tests.factories import make_person


def test_it_counts_weeks_and_months(world: World) -> None:
    now = timezone.now()
    make_item(world.org, "Awful, broken and late. Furious!", occurred_at=now)
    make_item(world.org, "Lovely service, thank you!", occurred_at=now)
    make_item(
        world.org, "Great", channel="review", rating=5, rating_scale="stars5", occurred_at=now
    )
    make_item(world.org, "Meh", channel="review", rating=2, rating_scale="stars5", occurred_at=now)
    make_item(world.org, "Ok", channel="survey", rating=10, rating_scale="nps10", occurred_at=now)
    org_analyse_due(world.org)
    d = customer_dashboard(world.org)
    assert sum(w.items for w in d.weeks) == 5
    last = d.months[-1]
    assert (last.csat, last.csat_n, last.nps, last.nps_n) == (50, 2, 100, 1)
    assert d.chart["negative"]


def test_it_shows_reply_empathy_only_for_teams_with_enough_agents(world: World) -> None:
    agents = [world.employee] + [
        make_person(world.org, team=world.team, customer_facing=True) for _ in range(3)
    ]
    for agent in agents:
        make_item(
            world.org,
            "My parcel is late.",
            agent=agent,
            reply_text="I'm sorry it's late; I've chased the courier and it comes tomorrow.",
            occurred_at=timezone.now() - datetime.timedelta(days=1),
        )
    org_analyse_due(world.org)
    (team,) = customer_dashboard(world.org).empathy
    assert (team.team, team.agents, team.mean) == ("Support", 4, None)  # k is 5
    fifth = make_person(world.org, team=world.team, customer_facing=True)
    make_item(world.org, "Late again.", agent=fifth, reply_text="Sorry, fixing it now.")
    org_analyse_due(world.org)
    (team,) = customer_dashboard(world.org).empathy
    assert team.agents == 5 and team.mean is not None


def test_it_draws_charts_itself(world: World, manager_client: Client) -> None:
    assert chart_points([0, 100]) == "0.0,120.0 520.0,0.0"
    make_item(world.org, "Awful!!")
    org_analyse_due(world.org)
    page = manager_client.get("/customers/dashboard/").content.decode()
    assert "<svg" in page and "As a table" in page and "Heard never scores one person" in page
