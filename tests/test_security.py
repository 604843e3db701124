"""Production settings, headers and the no-third-party-host promise."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def _production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        DEBUG="0",
        HEARD_TESTING="0",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-0123456789",
        ALLOWED_HOSTS="heard.example.com",
        EMAIL_HOST="smtp.example.com",
    )
    return env


def test_it_passes_the_deployment_check_without_warnings(tmp_path: Path) -> None:
    env = _production_env() | {"HEARD_DATA_DIR": str(tmp_path), "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path: Path) -> None:
    env = _production_env() | {"SECRET_KEY": "", "HEARD_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_it_hashes_passwords_with_argon2_in_production(tmp_path: Path) -> None:
    env = _production_env() | {"HEARD_DATA_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.PASSWORD_HASHERS[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_it_sends_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/account/signin/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_it_loads_nothing_from_another_host() -> None:
    """Templates and our own CSS/JS reference no http(s) host; vendored files are exempt
    only for URLs inside comments or license text, which browsers never fetch."""
    pattern = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.I)
    css_url = re.compile(r"url\(\s*['\"]?(https?:)?//", re.I)
    offenders = []
    for path in list(ROOT.glob("templates/**/*.html")) + list(
        ROOT.glob("heard/**/templates/**/*.html")
    ):
        if "/emails/" in str(path):
            continue  # emails link to this installation's own SITE_URL
        if pattern.search(path.read_text()):
            offenders.append(str(path))
    for path in ROOT.glob("static/heard/**/*.css"):
        if css_url.search(path.read_text()):
            offenders.append(str(path))
    assert offenders == []
