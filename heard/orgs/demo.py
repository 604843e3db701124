"""The demo organisation, Maple & Co., that `make run` loads and later modules extend.

Deterministic (a fixed random seed), so screenshots, tests and benchmarks see the same people.
`build_demo(people=5000)` builds the large organisation used by the benchmarks.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from heard.accounts.models import User
from heard.orgs.models import Organization, Person, Role, Team

DEMO_SLUG = "maple"
DEMO_DOMAIN = "maple.example"
DEMO_PASSWORD = "maple-demo-2026"  # noqa: S105 - printed for everyone on purpose
DEMO_LOGINS = {
    "admin": f"amara.okafor@{DEMO_DOMAIN}",
    "manager": f"daniel.reyes@{DEMO_DOMAIN}",
    "employee": f"priya.shah@{DEMO_DOMAIN}",
}

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Keiko",
    "Liam",
    "Maya",
    "Nikolai",
    "Olu",
    "Paula",
    "Quentin",
    "Rosa",
    "Samir",
    "Tessa",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Anders",
    "Beatriz",
    "Chidi",
    "Dara",
    "Emeka",
    "Fatima",
    "Gabriel",
    "Hana",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Marco",
    "Nadia",
    "Oscar",
    "Petra",
    "Rahul",
    "Sofia",
    "Tomás",
    "Ugo",
    "Valentina",
    "Will",
    "Yara",
    "Zain",
    "Amelia",
    "Bruno",
    "Chloe",
    "Diego",
    "Esther",
    "Felix",
    "Gita",
    "Hamid",
    "Isla",
    "Jae",
]
LAST_NAMES = [
    "Adeyemi",
    "Bauer",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "O'Brien",
    "Petrov",
    "Quinn",
    "Rossi",
    "Santos",
    "Tanaka",
    "Ueda",
    "Varga",
    "Wójcik",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Andersen",
    "Becker",
    "Chen",
    "Delgado",
    "Evans",
    "Ferreira",
    "Gupta",
    "Hughes",
    "Ivanova",
    "Johansson",
    "Kim",
    "Lopez",
    "Murphy",
    "Novak",
    "Okonkwo",
    "Park",
    "Ramos",
    "Schmidt",
    "Torres",
    "Usman",
    "Vogel",
    "Walsh",
    "Young",
]
LOCATIONS = ("Manchester", "Leeds", "Remote")


@dataclass(frozen=True)
class TeamSpec:
    name: str
    size: int
    role_family: str
    customer_facing: bool
    manager: tuple[str, str]  # name, email local part


# Maple & Co.: a 60-person business in six teams (and Support's small escalations sub-team);
# leadership at the top of the hierarchy.
MAPLE_TEAMS = (
    TeamSpec("Leadership", 4, "Leadership", False, ("Amara Okafor", "amara.okafor")),
    TeamSpec("Support", 16, "Customer support", True, ("Daniel Reyes", "daniel.reyes")),
    TeamSpec("Sales", 12, "Sales", True, ("Hannah Lindqvist", "hannah.lindqvist")),
    TeamSpec("Operations", 11, "Operations", False, ("Mateo Rossi", "mateo.rossi")),
    TeamSpec("Product", 11, "Engineering", False, ("Sun-Hee Park", "sunhee.park")),
    TeamSpec("Finance", 6, "Finance", False, ("Kwame Mensah", "kwame.mensah")),
)
# Named people with demo logins, so the demo tells a story from each role's seat.
NAMED_MEMBERS = {"Support": [("Priya Shah", "priya.shah")]}


def _email(local: str, used: set[str]) -> str:
    local = local.lower().replace("'", "").replace(" ", "")
    for ch, plain in (("é", "e"), ("ó", "o"), ("á", "a"), ("ë", "e"), ("í", "i"), ("ú", "u")):
        local = local.replace(ch, plain)
    candidate, n = local, 2
    while candidate in used:
        candidate, n = f"{local}{n}", n + 1
    used.add(candidate)
    return f"{candidate}@{DEMO_DOMAIN}"


def _large_teams(people: int) -> list[TeamSpec]:
    """The benchmark organisation: Maple's six departments, each split into squads of ~12."""
    teams = list(MAPLE_TEAMS)
    remaining = people - sum(t.size for t in teams)
    squads: list[TeamSpec] = []
    index = 0
    while remaining > 0:
        parent = MAPLE_TEAMS[1 + index % 5]
        size = min(12, remaining)
        squads.append(
            TeamSpec(
                f"{parent.name} squad {index // 5 + 1}",
                size,
                parent.role_family,
                parent.customer_facing,
                ("", ""),
            )
        )
        remaining -= size
        index += 1
    return teams + squads


ESCALATIONS = "Support escalations"


def _escalations(org: Organization, support: Team, persons: list[Person]) -> None:
    """A sub-team of four inside Support, led by Support's manager: small enough that the
    privacy engine hides its scores, which the demo shows on purpose."""
    team = Team.objects.create(
        organization=org, name=ESCALATIONS, parent=support, manager=support.manager
    )
    named = set(DEMO_LOGINS.values())
    movers = [
        p
        for p in persons
        if p.team_id == support.pk and p.email not in named and p.role == Role.EMPLOYEE
    ][:4]
    for person in movers:
        person.team = team
    Person.objects.bulk_update(movers, ["team"])


@transaction.atomic
def build_demo(*, people: int = 60) -> Organization:
    rng = random.Random(20261127)
    org = Organization.objects.create(name="Maple & Co.", slug=DEMO_SLUG)
    specs = list(MAPLE_TEAMS) if people <= 60 else _large_teams(people)
    used: set[str] = set()
    today = datetime.date(2026, 11, 1)

    teams = Team.objects.bulk_create([Team(organization=org, name=s.name) for s in specs])
    by_name = {t.name: t for t in teams}
    leadership = by_name["Leadership"]
    for team, spec in zip(teams, specs, strict=True):
        if " squad " in spec.name:
            team.parent = by_name[spec.name.split(" squad ")[0]]
        elif team is not leadership:
            team.parent = leadership
    Team.objects.bulk_update(teams, ["parent"])

    persons: list[Person] = []
    managers: dict[str, Person] = {}
    for team, spec in zip(teams, specs, strict=True):
        members: list[tuple[str, str, str]] = []
        if spec.manager[0]:
            members.append((spec.manager[0], spec.manager[1], Role.MANAGER))
        for name, local in NAMED_MEMBERS.get(spec.name, []):
            members.append((name, local, Role.EMPLOYEE))
        while len(members) < spec.size:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            members.append((name, name.replace(" ", "."), Role.EMPLOYEE))
        for position, (name, local, role) in enumerate(members):
            start = today - datetime.timedelta(days=rng.randint(20, 365 * 9))
            person = Person(
                organization=org,
                name=name,
                email=_email(local, used),
                team=team,
                role=role,
                start_date=start,
                location=rng.choice(LOCATIONS),
                role_family=spec.role_family,
                customer_facing=spec.customer_facing and position > 0,
            )
            persons.append(person)
            if position == 0 and spec.manager[0]:
                managers[spec.name] = person
    # The founder is the admin; she leads Leadership and everyone's chain ends with her.
    persons[0].role = Role.ADMIN
    Person.objects.bulk_create(persons, batch_size=2000)

    persons = list(Person.objects.for_org(org).select_related("team"))
    by_email = {p.email: p for p in persons}
    founder = by_email[DEMO_LOGINS["admin"]]
    for person in persons:
        assert person.team is not None
        team_name = person.team.name.split(" squad ")[0]
        head = managers[team_name]
        if person.email == head.email:
            person.manager = None if person.pk == founder.pk else founder
        else:
            person.manager = by_email[head.email]
    Person.objects.bulk_update(persons, ["manager"], batch_size=2000)
    for team in teams:
        team_head = managers.get(team.name.split(" squad ")[0])
        team.manager = by_email[team_head.email] if team_head is not None else None
    Team.objects.bulk_update(teams, ["manager"])
    _escalations(org, by_name["Support"], persons)

    # Sign-ins for the three demo logins, and for a few more so the roster looks lived-in.
    password = make_password(DEMO_PASSWORD)
    with_login = [by_email[email] for email in DEMO_LOGINS.values()]
    with_login += [p for p in persons[:60] if p not in with_login][:20]
    users = User.objects.bulk_create(
        [User(email=p.email, name=p.name, password=password) for p in with_login]
    )
    for person, user in zip(with_login, users, strict=True):
        person.user = user
    Person.objects.bulk_update(with_login, ["user"])
    return org
