"""Runs the web server and the Huey consumer together, and names the demo accounts; Ctrl-C stops both cleanly.

It lives in the demo context because it is the one-machine, demo-city way to run the platform
(`make run`); production serves with gunicorn and a separate worker (docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from yiwang.demo.city import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Serve the platform: web server and background worker in one command."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-reload", action="store_true", help="disable the code auto-reloader")

    def handle(self, *args: Any, host: str, port: str, no_reload: bool, **options: Any) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web = [*manage, "runserver", f"{host}:{port}"]
        if no_reload:
            web.append("--noreload")
        worker = [*manage, "run_huey", "--workers", "2"]
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(self.style.SUCCESS(f"\n一网 Yiwang is starting at http://{shown_host}:{port}/"))
        self.stdout.write(f"  workbench  http://{shown_host}:{port}/workbench/")
        self.stdout.write(f"  API docs   http://{shown_host}:{port}/api/v1/docs")
        if not settings.PRODUCTION:
            self.stdout.write(f"  demo accounts, password {settings.YIWANG_DEMO_PASSWORD!r}:")
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"    {account.username:<26} {account.role.label}")
        self.stdout.write("Press Ctrl-C to stop.\n")

        # Each child leads its own process group, so stopping it also stops what it started
        # (runserver's auto-reloader runs the server in a grandchild). The worker gets SIGINT,
        # which Huey treats as "finish the running tasks, then exit".
        children = [
            (subprocess.Popen(web, start_new_session=True), signal.SIGTERM),  # noqa: S603 (our own commands)
            (subprocess.Popen(worker, start_new_session=True), signal.SIGINT),  # noqa: S603
        ]
        stopping = False
        started, ready = time.monotonic(), False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(p.poll() is None for p, _ in children):
                if not ready and _listening(host, int(port)):
                    # runserver listens once it has loaded the URL map, templates, dictionaries and
                    # models (core.warmup), so that no first request waits for them.
                    ready = True
                    self.stdout.write(f"Ready in {time.monotonic() - started:.0f} s.")
                time.sleep(0.3)
        finally:
            for process, stop_signal in children:
                _signal_group(process, stop_signal)
            deadline = time.monotonic() + 15
            for process, _ in children:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)
                    process.wait()
                _signal_group(process, signal.SIGKILL)  # anything the child left behind
        self.stdout.write("Stopped web server and worker.")
        if not stopping:
            raise SystemExit("The web server or the worker exited unexpectedly; see the messages above.")


def _listening(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
        return True
    return False


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
