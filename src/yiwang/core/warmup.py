"""Work a process does once when it starts, so that its first request is not the one that pays for it.

A context registers what is slow on first use (a dictionary, a trained model) in its AppConfig.ready;
the WSGI application (every app server worker, and runserver) and each Huey consumer run them before
they take traffic. A warm-up that fails is logged and left to first use: starting must not depend on it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

_steps: dict[str, Callable[[], object]] = {}


def warm_up_register(name: str, step: Callable[[], object]) -> None:
    _steps[name] = step


def warm_up() -> dict[str, float]:
    """Runs every registered step; returns the seconds each took (logged)."""
    took: dict[str, float] = {}
    for name, step in _steps.items():
        started = time.perf_counter()
        try:
            step()
        except Exception:
            logger.exception("warm-up step %s failed; it will run on first use", name)
            continue
        took[name] = round(time.perf_counter() - started, 3)
    if took:
        logger.info("warmed up: %s", ", ".join(f"{name} {seconds}s" for name, seconds in took.items()))
    return took
