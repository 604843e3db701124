"""`make run`: the web server and the task worker together; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.orgs.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Start Heard's web server and task worker together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, port: int, host: str, **options: Any) -> None:
        # Stop both children on SIGTERM too (a process manager, `timeout`), not only Ctrl-C.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        manage = [sys.executable, "manage.py"]
        web = subprocess.Popen([*manage, "runserver", f"{host}:{port}", "--noreload"])
        worker = subprocess.Popen([*manage, "run_worker"])
        url = f"http://{host}:{port}/"
        try:
            if self._wait_until_up(url, web):
                self._print_welcome(url)
            while web.poll() is None and worker.poll() is None:
                time.sleep(0.5)
            self.stderr.write("A process stopped; stopping the other.")
        except KeyboardInterrupt:
            print("\nStopping Heard...", flush=True)
        finally:
            for process in (web, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in (web, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _wait_until_up(self, url: str, web: subprocess.Popen[bytes]) -> bool:
        for _ in range(120):
            if web.poll() is not None:
                return False
            try:
                urllib.request.urlopen(url + "healthz", timeout=2)  # noqa: S310 - our own URL
                return True
            except urllib.error.HTTPError:
                return True  # it answered; a 503 still means the server is up
            except OSError:
                time.sleep(0.5)
        return False

    def _print_welcome(self, url: str) -> None:
        lines = [
            "",
            "=" * 64,
            f"  Heard is running at {url}",
            "",
            f"  Demo logins (password for all: {DEMO_PASSWORD})",
        ]
        lines += [f"    {role:<9} {email}" for role, email in DEMO_LOGINS.items()]
        lines += ["", "  Press Ctrl-C to stop the web server and the worker.", "=" * 64, ""]
        print("\n".join(lines), flush=True)
