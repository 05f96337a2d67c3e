"""Runs the web server and the Huey consumer together; Ctrl-C stops both cleanly."""

from __future__ import annotations

import signal
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

        processes = [subprocess.Popen(web), subprocess.Popen(worker)]  # noqa: S603 (our own commands)
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(p.poll() is None for p in processes):
                time.sleep(0.3)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 10
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
        self.stdout.write("Stopped web server and worker.")
        if not stopping:
            raise SystemExit("The web server or the worker exited unexpectedly; see the messages above.")
