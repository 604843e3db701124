"""The outgoing webhook when a customer needs attention."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks as Capture

from conftest import World
from heard.customers.analysis import org_analyse_due
from heard.customers.models import FollowUp, Webhook
from heard.customers.outreach import follow_ups_generate
from heard.customers.tests.helpers import make_item
from heard.customers.webhooks import send_follow_up_webhook, webhook_save

FURIOUS = "This is UNACCEPTABLE!! Third time I write, my refund is still missing. Awful service."


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    """A small HTTP server on loopback that records what it receives."""
    received: list[tuple[dict[str, str], bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", received
    finally:
        server.shutdown()


def test_it_posts_a_signed_message_once_per_follow_up(
    world: World,
    receiver: tuple[str, list[tuple[dict[str, str], bytes]]],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    url, received = receiver
    webhook = webhook_save(org=world.org, url=url, enabled=True)
    make_item(world.org, FURIOUS)
    org_analyse_due(world.org)
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_ups_generate(world.org) == 1
    assert len(received) == 1
    headers, body = received[0]
    expected = "sha256=" + hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Heard-Signature"] == expected
    message = json.loads(body)
    assert message["event"] == "customer.needs_attention" and "refund" in message["why"]
    follow_up = FollowUp.objects.get()
    assert follow_up.notified_at is not None
    assert str(send_follow_up_webhook.enqueue(follow_up.pk).return_value).startswith(
        "skipped"
    )  # sent once
    assert len(received) == 1
    assert Webhook.objects.get().last_status.startswith("204")


def test_it_sends_nothing_without_a_webhook(world: World) -> None:
    make_item(world.org, FURIOUS)
    org_analyse_due(world.org)
    follow_ups_generate(world.org)
    assert (
        send_follow_up_webhook.enqueue(FollowUp.objects.get().pk).return_value
        == "skipped: no webhook"
    )


def test_admins_set_the_webhook_with_a_clear_message_for_a_bad_address(
    world: World, admin_client: Client
) -> None:
    response = admin_client.post(
        "/customers/outreach/rules/", {"action": "webhook", "url": "ftp://x"}, follow=True
    )
    assert "starting with https://" in response.content.decode()
    admin_client.post(
        "/customers/outreach/rules/",
        {"action": "webhook", "url": "https://chat.example.com/h", "enabled": "on"},
    )
    assert Webhook.objects.get(organization=world.org).url == "https://chat.example.com/h"
