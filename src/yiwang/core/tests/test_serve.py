"""``make run`` ends in ``manage.py serve``: web server and worker together, stopped by one Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from yiwang.core.tests.test_deployment import MANAGE, _env, _free_port


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_serve_starts_both_and_one_interrupt_stops_both(tmp_path: Path) -> None:
    port = _free_port()
    env = _env(YIWANG_VAR_DIR=str(tmp_path))
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        # SIGINT is restored to its default in the child, as a terminal's Ctrl-C would find it.
        process = subprocess.Popen(
            [*MANAGE, "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _port_open(port):
            time.sleep(0.2)
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).status == 200
        deadline = time.monotonic() + 30
        while "Huey consumer started" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text()
    assert f"http://127.0.0.1:{port}/" in output
    assert "demo-clerk" in output
    assert "Consumer exiting" in output
    assert "Stopped web server and worker." in output
    time.sleep(0.5)
    assert not _port_open(port), "the web server (or its reloader's child) is still listening"
