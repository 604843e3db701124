"""The `surveys` benchmark group: the results page on the 5,000-person demo, and answers sent
to the real web server (gunicorn, as production runs it) by many people at once.

Figures (merged into benchmarks/results.json by `make bench BENCH=surveys`):
  survey_demo_5000_people_seconds   build_demo(people=5000) + build_survey_demo (14 surveys)
  survey_results_p95_ms             the audit's results page, admin, rows by team (default)
  survey_results_by_tenure_p95_ms   the same page, ?by=tenure
  survey_results_manager_p95_ms     the same page as Support's manager
  survey_results_first_view_ms      the admin's first view in a fresh process (nothing cached)
  survey_answer_page_p95_ms         GET of an answer link on gunicorn (sets the CSRF cookie)
  survey_submit_rps                 POSTs of answers per second on gunicorn, 32 at a time
  survey_submit_p95_ms              their latency
  survey_submit_confirmed           answers confirmed (302 to /thanks/); each one is checked
                                    against the database before the figures are returned

The results pages go through Django's test client in this process (no network), 30 timed
requests after 2 warm-ups. The submit run starts `gunicorn config.wsgi -w 4` on a free port
against the bench database, with production settings (DEBUG off, a SECRET_KEY, static files
collected), opens a new pulse for everyone and lets 32 threads answer it for 1,500 people.
"""

from __future__ import annotations

import datetime
import functools
import http.client
import math
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from heard.orgs.models import Organization
    from heard.surveys.models import Survey

Figures = dict[str, dict[str, float | str]]

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 5000
TIMED_REQUESTS = 30
WARM_UPS = 2
ANSWERING = 1500
CONCURRENCY = 32
WORKERS = 4
COMMENT_EVERY = 4  # one person in four writes a comment, so sees the preview first
DOUBLE_CLICK_EVERY = 30  # one in thirty sends the final answer twice at once
AUDIT = "Empathy audit 2026"


def bench_surveys() -> Figures:
    """Survey results on the 5,000-person demo; answers sent to a real gunicorn server."""
    from heard.surveys.models import Survey

    org, seconds = _build_demo()
    figures: Figures = {
        "survey_demo_5000_people_seconds": {"value": round(seconds, 1), "unit": "s"},
    }
    audit = Survey.objects.get(organization=org, title=AUDIT)
    figures.update(_results_figures(org, audit))
    figures.update(_submit_figures(org))
    return figures


def _build_demo() -> tuple[Organization, float]:
    from heard.accounts.models import User
    from heard.orgs.demo import DEMO_SLUG, build_demo
    from heard.orgs.models import Organization
    from heard.surveys.demo import build_survey_demo

    # The `seed` group may have built the demo already in this database: start again.
    User.objects.filter(person__organization__slug=DEMO_SLUG).delete()
    Organization.objects.filter(slug=DEMO_SLUG).delete()
    started = time.perf_counter()
    org = build_demo(people=PEOPLE)
    build_survey_demo(org)
    return org, time.perf_counter() - started


def _p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile, in milliseconds from seconds."""
    ordered = sorted(samples)
    return round(1000 * ordered[math.ceil(0.95 * len(ordered)) - 1], 1)


# --- the results page -------------------------------------------------------------------------


def _results_figures(org: Organization, audit: Survey) -> Figures:
    from django.test import Client

    from heard.orgs.demo import DEMO_LOGINS
    from heard.orgs.models import Person

    first_views: dict[str, float] = {}

    def timed(email: str, query: str) -> float:
        person = Person.objects.for_org(org).get(email=email)
        assert person.user is not None
        client = Client(SERVER_NAME="localhost")  # an allowed host, without test settings
        client.force_login(person.user)
        url = f"/surveys/{audit.pk}/results/{query}"
        samples = []
        for attempt in range(WARM_UPS + TIMED_REQUESTS):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            assert b'class="heatmap"' in response.content
            if attempt >= WARM_UPS:
                samples.append(elapsed)
            elif attempt == 0:
                first_views[email + query] = round(elapsed * 1000, 1)
        return _p95(samples)

    figures: Figures = {
        "survey_results_p95_ms": {"value": timed(DEMO_LOGINS["admin"], ""), "unit": "ms"},
        "survey_results_by_tenure_p95_ms": {
            "value": timed(DEMO_LOGINS["admin"], "?by=tenure"),
            "unit": "ms",
        },
        "survey_results_manager_p95_ms": {
            "value": timed(DEMO_LOGINS["manager"], ""),
            "unit": "ms",
        },
    }
    # The first view in a fresh process decides every group and loads the text models; the
    # later ones reuse the decided groups (results._decided), until an answer comes in.
    figures["survey_results_first_view_ms"] = {
        "value": first_views[DEMO_LOGINS["admin"]],
        "unit": "ms",
    }
    return figures


# --- answers through gunicorn -----------------------------------------------------------------


def _open_pulse(org: Organization) -> Survey:
    """A new pulse for everyone, opened by the service. Opening queues the link emails as a
    task row (the database backend, as in production), which no worker runs here: the links
    are made from the invitations below, and mailing 5,000 people is not what is measured."""
    from django.test import override_settings
    from django.utils import timezone

    from heard.orgs.models import Person
    from heard.surveys import services

    admin = Person.objects.for_org(org).filter(role="admin").first()
    today = timezone.localdate()
    survey = services.survey_create(
        org=org,
        title="Bench pulse",
        template="monthly_pulse",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        created_by=admin,
    )
    database_tasks = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with override_settings(TASKS=database_tasks):
        invited = services.survey_open(survey=survey)
    assert invited == PEOPLE, invited
    return survey


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _server_env(port: int, static_root: Path, secret_key: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"],  # the bench database (see __main__)
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "HEARD_TESTING": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "STATIC_ROOT": str(static_root),
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "HEARD_TASK_BACKEND": "database",
        "LOG_LEVEL": "WARNING",
    }


class _Gunicorn:
    def __init__(self, tmp: Path, secret_key: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = _server_env(self.port, tmp / "static", secret_key)
        self.log = tmp / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _Gunicorn:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(WORKERS)),
                    *("-b", f"127.0.0.1:{self.port}", "--error-logfile", "-"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)  # noqa: S310 - ours
                return self
            except urllib.error.HTTPError:
                return self  # it answered
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHOICE_INPUT = re.compile(r'type="radio" name="(q\d+)" value="(\d+)"')
TEXT_INPUT = re.compile(r'<textarea name="(q\d+)"')


@dataclass
class _Answerer:
    """One person: their link, and what the answer page gave them."""

    index: int
    path: str
    cookie: str = ""
    form: dict[str, str] = field(default_factory=dict)
    comment_field: str = ""


@dataclass
class _Outcome:
    get_seconds: list[float] = field(default_factory=list)
    post_seconds: list[float] = field(default_factory=list)
    confirmed: list[int] = field(default_factory=list)  # answerer indexes with a 302 to thanks
    refused_again: int = 0  # second POSTs told "already in"
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Client:
    """One keep-alive connection per thread, with plain http.client (no new dependency)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.local = threading.local()

    def request(
        self, method: str, path: str, *, body: str = "", cookie: str = ""
    ) -> tuple[int, dict[str, str], str, float]:
        connection: http.client.HTTPConnection | None = getattr(self.local, "conn", None)
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.local.conn = connection
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "keep-alive"}
        if cookie:
            headers["Cookie"] = cookie
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        # gunicorn's sync workers answer "Connection: close"; http.client then opens a new
        # connection for the next request by itself. A failed request is not retried: a
        # repeated POST would blur the checks on what was stored.
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body.encode() or None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        except (http.client.HTTPException, OSError) as error:
            connection.close()
            return 0, {}, repr(error), time.perf_counter() - started
        elapsed = time.perf_counter() - started
        return response.status, dict(response.getheaders()), text, elapsed


def _load_page(client: _Client, answerer: _Answerer, outcome: _Outcome) -> None:
    status, headers, page, elapsed = client.request("GET", answerer.path)
    if status != 200:
        with outcome.lock:
            outcome.errors.append(f"GET {answerer.path}: {status}")
        return
    cookie = headers.get("Set-Cookie", "")
    token = CSRF_INPUT.search(page)
    if not cookie.startswith("csrftoken=") or token is None:
        with outcome.lock:
            outcome.errors.append(f"GET {answerer.path}: no CSRF cookie or token")
        return
    rng = random.Random(answerer.index)
    choices: dict[str, list[str]] = {}
    for name, value in CHOICE_INPUT.findall(page):
        choices.setdefault(name, []).append(value)
    answerer.cookie = cookie.split(";", 1)[0]
    answerer.form = {"csrfmiddlewaretoken": token.group(1)}
    answerer.form.update({name: rng.choice(values) for name, values in choices.items()})
    comment = TEXT_INPUT.search(page)
    answerer.comment_field = comment.group(1) if comment else ""
    with outcome.lock:
        outcome.get_seconds.append(elapsed)


def _post(
    client: _Client, answerer: _Answerer, outcome: _Outcome, form: dict[str, str]
) -> tuple[int, dict[str, str], str]:
    status, headers, page, elapsed = client.request(
        "POST", answerer.path, body=urlencode(form), cookie=answerer.cookie
    )
    with outcome.lock:
        outcome.post_seconds.append(elapsed)
    return status, headers, page


def _submit(client: _Client, answerer: _Answerer, outcome: _Outcome, *, comment: str) -> None:
    form = dict(answerer.form)
    if comment:
        # As the page does: the first press shows the redacted comment, the second sends.
        form[answerer.comment_field] = comment
        status, _, page = _post(client, answerer, outcome, {**form, "step": "review"})
        if status != 200 or "This is what will be stored" not in page:
            with outcome.lock:
                outcome.errors.append(f"preview {answerer.path}: {status}")
            return
    status, headers, page = _post(client, answerer, outcome, {**form, "step": "send"})
    if status == 302 and headers.get("Location", "").endswith(answerer.path + "thanks/"):
        with outcome.lock:
            outcome.confirmed.append(answerer.index)
    elif status == 200 and "Answers from this link are already in" in page:
        with outcome.lock:
            outcome.refused_again += 1
    else:
        with outcome.lock:
            outcome.errors.append(f"POST {answerer.path}: {status} {page[:200]!r}")


def _submit_figures(org: Organization) -> Figures:
    from django.test import override_settings

    from heard.orgs.models import Person
    from heard.surveys import services
    from heard.surveys.models import Answer, Response, SurveyInvitation

    survey = _open_pulse(org)
    invitations = random.Random(2).sample(
        list(SurveyInvitation.objects.filter(survey=survey).order_by("pk")), ANSWERING
    )
    # Links are signed with the server's key, as the server's own emails would be.
    secret_key = secrets.token_urlsafe(50)
    with override_settings(SECRET_KEY=secret_key):
        answerers = [
            _Answerer(index, f"/s/{services.link_token(invitation)}/")
            for index, invitation in enumerate(invitations)
        ]
    colleague = "Hannah Lindqvist"  # Sales' manager, on the roster at every size
    assert Person.objects.for_org(org).filter(name=colleague).exists()
    outcome = _Outcome()
    with tempfile.TemporaryDirectory() as tmp, _Gunicorn(Path(tmp), secret_key) as server:
        client = _Client(server.port)
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(lambda a: _load_page(client, a, outcome), answerers))
        loaded = [a for a in answerers if a.form]
        people: list[list[Callable[[], None]]] = []
        for a in loaded:
            comment = (
                f"{colleague} covered for me twice this month; more people on the late shift?"
                if a.index % COMMENT_EVERY == 0 and a.comment_field
                else ""
            )
            sends: list[Callable[[], None]] = [
                functools.partial(_submit, client, a, outcome, comment=comment)
            ]
            if a.index % DOUBLE_CLICK_EVERY == 1:
                # Side by side in the queue, so two threads send them at about the same time.
                sends.append(functools.partial(_submit, client, a, outcome, comment=""))
            people.append(sends)
        random.Random(1).shuffle(people)
        jobs = [send for sends in people for send in sends]
        started = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(lambda job: job(), jobs))
        seconds = time.perf_counter() - started
        server_log = server.log.read_text()

    if outcome.errors:
        print(f"   {len(outcome.errors)} errors, first: {outcome.errors[:3]}")
        print(f"   gunicorn log (end): {server_log[-2000:]}")
    assert not outcome.errors, outcome.errors[:5]
    # Every confirmed answer is stored, once: as many responses as 302s, as many answered
    # invitations, and no person confirmed twice (a double click is told "already in").
    confirmed = len(outcome.confirmed)
    assert confirmed == len(set(outcome.confirmed)) == len(loaded) == ANSWERING
    assert Response.objects.filter(survey=survey).count() == confirmed
    assert SurveyInvitation.objects.filter(survey=survey, answered=True).count() == confirmed
    doubles = sum(1 for a in loaded if a.index % DOUBLE_CLICK_EVERY == 1)
    assert outcome.refused_again == doubles, (outcome.refused_again, doubles)
    stored_comments = Answer.objects.filter(response__survey=survey).exclude(text="")
    assert stored_comments.count() == sum(1 for a in loaded if a.index % COMMENT_EVERY == 0)
    assert not stored_comments.filter(text__contains="Lindqvist").exists()
    posts = len(outcome.post_seconds)
    print(
        f"   {posts} POSTs ({confirmed} confirmed = {confirmed / seconds:.0f} answers/s, "
        f"{doubles} double clicks refused) in {seconds:.1f} s by {CONCURRENCY} clients "
        f"on gunicorn -w {WORKERS}"
    )
    return {
        "survey_answer_page_p95_ms": {"value": _p95(outcome.get_seconds), "unit": "ms"},
        "survey_submit_rps": {"value": round(posts / seconds, 1), "unit": "req/s"},
        "survey_submit_p95_ms": {"value": _p95(outcome.post_seconds), "unit": "ms"},
        "survey_submit_confirmed": {"value": confirmed, "unit": "answers"},
    }
