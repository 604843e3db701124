from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db.models import Count, Max, Min

from heard.customers.demo import (
    ADEQUATE_REPLIES,
    COURIER_WINDOW,
    CURT_REPLIES,
    SEED_CASE_KEY,
    SEED_CASE_NAME,
    build_customer_demo,
)
from heard.customers.models import Channel, Customer, Item, RatingScale
from heard.orgs.demo import build_demo
from heard.orgs.models import Organization, Person

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def org() -> Organization:
    org = build_demo()
    assert build_customer_demo(org, today=TODAY) == 3000
    return org


def _texts(org: Organization) -> list[tuple[str, str, str, str]]:
    return list(
        Item.objects.for_org(org)
        .order_by("source", "external_id")
        .values_list("external_id", "text", "reply_text", "customer__key")
    )


def test_it_creates_the_items_over_the_last_year(org: Organization) -> None:
    items = Item.objects.for_org(org)
    assert items.count() == 3000
    assert 350 <= Customer.objects.for_org(org).count() <= 450
    first = datetime.datetime.combine(
        TODAY - datetime.timedelta(days=366), datetime.time(), tzinfo=datetime.UTC
    )
    last = datetime.datetime.combine(TODAY, datetime.time(), tzinfo=datetime.UTC)
    span = items.aggregate(lo=Min("occurred_at"), hi=Max("occurred_at"))
    assert first <= span["lo"] and span["hi"] < last + datetime.timedelta(days=1)
    assert all(i.occurred_at.tzinfo is not None for i in items[:50])
    # Not analysed here: heard_nlp does it in the background.
    assert not items.exclude(analysed_at=None).exists()
    assert not items.exclude(sentiment="").exists()


def test_the_channel_mix_and_sources(org: Organization) -> None:
    items = Item.objects.for_org(org)
    mix = Counter(items.values_list("channel", flat=True))
    assert set(mix) == {Channel.TICKET, Channel.REVIEW, Channel.SURVEY}
    assert 0.52 <= mix[Channel.TICKET] / 3000 <= 0.68
    assert 0.18 <= mix[Channel.REVIEW] / 3000 <= 0.32
    assert 0.10 <= mix[Channel.SURVEY] / 3000 <= 0.20
    sources = dict(items.values_list("channel", "source").distinct())
    assert sources == {"ticket": "helpdesk", "review": "reviews", "survey": "survey"}
    assert not items.filter(channel=Channel.TICKET, thread_id="").exists()
    # External ids are unique per source (the database also says so).
    assert items.values("source", "external_id").distinct().count() == 3000


def test_ratings_are_in_range_for_their_scale(org: Organization) -> None:
    items = Item.objects.for_org(org)
    reviews = items.filter(channel=Channel.REVIEW)
    assert set(reviews.values_list("rating_scale", flat=True)) == {RatingScale.STARS5}
    assert set(reviews.values_list("rating", flat=True)) == {1, 2, 3, 4, 5}
    surveys = items.filter(channel=Channel.SURVEY)
    assert set(surveys.values_list("rating_scale", flat=True)) == {RatingScale.NPS10}
    nps = set(surveys.values_list("rating", flat=True))
    assert nps <= set(range(11)) and {0, 10} & nps and len(nps) >= 8
    tickets = items.filter(channel=Channel.TICKET)
    assert not tickets.exclude(rating=None).exists()


def test_every_customer_has_items_and_dates_from_them(org: Organization) -> None:
    customers = Customer.objects.for_org(org).annotate(
        n=Count("items"), lo=Min("items__occurred_at"), hi=Max("items__occurred_at")
    )
    counts = []
    for customer in customers:
        assert customer.n >= 1, customer.key
        assert customer.first_seen == customer.lo and customer.last_contact == customer.hi
        assert customer.key.startswith("cust-")
        assert customer.email.rsplit("@", 1)[1] in {"example.com", "example.org", "example.net"}
        counts.append(customer.n)
    assert sum(1 for n in counts if n <= 3) / len(counts) >= 0.5  # most have 1 to 3
    assert max(counts) >= 20  # and some write a lot
    assert len({c.email for c in customers}) == len(counts)


def test_it_is_deterministic(org: Organization) -> None:
    before = _texts(org)
    Item.objects.for_org(org).delete()
    Customer.objects.for_org(org).delete()
    assert build_customer_demo(org, today=TODAY) == 3000
    assert _texts(org) == before


def test_the_texts_are_varied_and_some_are_not_english(org: Organization) -> None:
    texts = list(Item.objects.for_org(org).values_list("text", flat=True))
    assert len(set(texts)) >= 1000
    markers = ("Bonjour", "Hola", "Hallo", "commande", "pedido", "Bestellung", "Très", "Der ")
    foreign = [t for t in texts if any(m in t for m in markers)]
    assert 0.005 <= len(foreign) / len(texts) <= 0.05
    assert any(t.isupper() or "!!" in t for t in texts)  # furious
    assert any("It's fine I guess" in t for t in texts)  # quietly disappointed
    assert any("How do I" in t for t in texts)  # confused
    assert any("third time I'm writing" in t for t in texts)  # repeat contacts
    assert any("chargeback" in t for t in texts)


def test_repeat_contacts_share_a_thread(org: Organization) -> None:
    threads = (
        Item.objects.for_org(org)
        .filter(channel=Channel.TICKET)
        .values("thread_id")
        .annotate(n=Count("id"), people=Count("customer", distinct=True))
        .filter(n__gt=1)
    )
    assert threads.count() >= 50
    assert all(t["people"] == 1 for t in threads)


def test_the_courier_change_makes_a_bad_month(org: Organization) -> None:
    def share(lo: int, hi: int) -> float:
        start = TODAY - datetime.timedelta(days=hi)
        end = TODAY - datetime.timedelta(days=lo)
        tickets = Item.objects.for_org(org).filter(
            channel=Channel.TICKET, occurred_at__date__gte=start, occurred_at__date__lte=end
        )
        about = tickets.filter(text__icontains="ParcelDash").count()
        about += tickets.filter(text__iregex=r"late|smashed|pieces|dropped|chip").count()
        return about / max(1, tickets.count())

    assert share(*COURIER_WINDOW) > 2 * share(200, 300)


def test_replies_come_from_support_with_varying_empathy(org: Organization) -> None:
    tickets = Item.objects.for_org(org).filter(channel=Channel.TICKET)
    replied = tickets.exclude(reply_text="")
    assert 0.5 <= replied.count() / tickets.count() <= 0.7
    support = set(
        Person.objects.for_org(org)
        .filter(customer_facing=True, role_family="Customer support")
        .values_list("pk", flat=True)
    )
    assert set(replied.values_list("agent_id", flat=True)) <= support
    for item in replied[:200]:
        assert item.replied_at is not None and item.replied_at > item.occurred_at
        assert item.replied_at - item.occurred_at < datetime.timedelta(hours=31)
        assert item.agent_name
    assert not tickets.filter(reply_text="").exclude(agent=None).exists()
    replies = list(replied.values_list("reply_text", flat=True))
    excellent = [r for r in replies if "?" in r and ("sorry" in r or "thank" in r) and len(r) > 250]
    curt = [r for r in replies if r in CURT_REPLIES]
    adequate = [r for r in replies if any(r[:30] == a[:30] for a in ADEQUATE_REPLIES)]
    blaming = [r for r in replies if "As I already said" in r or "You should have" in r]
    assert len(excellent) >= 50 and len(curt) >= 50 and len(adequate) >= 30
    assert len(blaming) >= 20


def test_the_seed_case_is_a_quietly_disappointed_review_not_answered_yet(
    org: Organization,
) -> None:
    customer = Customer.objects.for_org(org).get(key=SEED_CASE_KEY)
    assert customer.name == SEED_CASE_NAME
    latest = customer.items.order_by("-occurred_at").first()
    assert latest is not None
    assert latest.channel == Channel.REVIEW and latest.rating == 3
    assert latest.text.startswith("It's fine I guess, but")
    assert latest.reply_text == "" and latest.replied_at is None
    assert customer.last_contact == latest.occurred_at
    assert (TODAY - latest.occurred_at.date()).days <= 7
    # Before that, a loyal and happy customer.
    earlier = customer.items.exclude(pk=latest.pk)
    assert earlier.filter(channel=Channel.SURVEY, rating__gte=9).exists()


def test_it_builds_smaller_histories() -> None:
    org = build_demo()
    assert build_customer_demo(org, items=40, today=TODAY) == 40
    assert Item.objects.for_org(org).count() == 40
    assert not Customer.objects.for_org(org).filter(items=None).exists()
    assert (
        build_customer_demo(Organization.objects.create(name="Empty", slug="empty"), items=0) == 0
    )


@pytest.mark.django_db
def test_it_gives_the_demo_a_history_of_closed_follow_ups() -> None:
    from heard.customers.demo import build_outreach_history
    from heard.customers.models import FollowUp
    from heard.customers.outreach import recovery_by_team

    org = build_demo()
    build_customer_demo(org)
    created = build_outreach_history(org)
    assert 10 <= created <= 40
    assert not FollowUp.objects.filter(organization=org, closed_at__isnull=True).exists()
    (support,) = [r for r in recovery_by_team(org) if r.team.startswith("Support")][:1]
    assert support.resolved > 0 and support.rate is not None


def test_the_demo_has_themes_on_its_dashboard(org: Organization) -> None:
    from heard.customers.analysis import org_analyse_due
    from heard.customers.dashboard import customer_dashboard
    from heard.customers.models import CustomerTheme
    from heard.customers.themes import customer_themes_refresh

    org_analyse_due(org, backend="lexicon")
    now = datetime.datetime.combine(TODAY, datetime.time(18), tzinfo=datetime.UTC)
    assert customer_themes_refresh(org, now=now, force=True) >= 5
    phrases = [p for t in CustomerTheme.objects.for_org(org) for p in t.key_phrases]
    assert any("courier" in p for p in phrases)  # the courier change of the summer
    themed = Item.objects.for_org(org).filter(theme__isnull=False).count()
    assert themed >= 1000
    d = customer_dashboard(org, today=TODAY)
    assert d.themes and all(t.recent + t.before > 0 for t in d.themes)
    assert sum(w.feelings["frustration"] for w in d.weeks) > 0
