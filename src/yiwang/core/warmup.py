"""Work a process does once when it starts, so that its first request is not the one that pays for it.

A context registers what is slow on first use (the URL map, templates, a dictionary, a trained model, a
search index) in its AppConfig.ready; the processes that serve run the steps before they take traffic:

- gunicorn (``gunicorn_conf``): with ``preload_app`` the master imports the application and runs the
  steps that may cross a fork, then each worker, after the fork and before it accepts a connection
  (``post_worker_init``), runs the others and checks what the master loaded is still current; without
  ``preload_app`` each worker runs them all when it imports the application;
- any other WSGI server, runserver included (``manage.py serve``): when it imports ``yiwang.wsgi``;
- each Huey consumer, before its first task (``core.tasks``), the steps tasks need.

Each process runs them once (a forked worker is a new process). Tests and the management commands that
do not serve never import the WSGI module or start a consumer; the test settings turn warming off
(``YIWANG_WARM_UP``) for the consumers tests start. A step that fails is logged and left to first use:
starting must not depend on it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.urls import URLResolver

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    run: Callable[[], object]
    # False for what must not be shared by forked processes: a runtime with threads of its own (ONNX
    # Runtime's pool would be missing in the child) or an open connection.
    fork_safe: bool = True
    # False for what no task uses (the portal's search, OCR in a page): a consumer does not load it.
    tasks: bool = True


_steps: dict[str, Step] = {}
_lock = threading.Lock()
_warmed_in: int | None = None  # the process id that ran every step
_before_fork = False


def warm_up_register(name: str, step: Callable[[], object], *, fork_safe: bool = True, tasks: bool = True) -> None:
    _steps[name] = Step(step, fork_safe=fork_safe, tasks=tasks)


def before_fork(active: bool = True) -> None:
    """Said by a server that imports the application once and forks its workers from it (gunicorn's
    master with ``preload_app``): until a fork says otherwise, only fork-safe steps run."""
    global _before_fork
    _before_fork = active


def warm_up(*, tasks: bool = False, force: bool = False) -> dict[str, float]:
    """Runs the registered steps (those tasks need, for a consumer) unless this process already did;
    returns the seconds each took (logged). Off with ``YIWANG_WARM_UP`` unless ``force``."""
    global _warmed_in
    from django.conf import settings
    from django.db import connections

    if not (force or settings.YIWANG_WARM_UP):
        return {}
    took: dict[str, float] = {}
    with _lock:  # a consumer's worker threads each ask; the first warms, the others wait for it
        if _warmed_in == os.getpid() and not force:
            return took
        for name, step in list(_steps.items()):
            if (_before_fork and not step.fork_safe) or (tasks and not step.tasks):
                continue
            started = time.perf_counter()
            try:
                step.run()
            except Exception:
                logger.exception("warm-up step %s failed; it will run on first use", name)
                continue
            took[name] = round(time.perf_counter() - started, 3)
        if not _before_fork:
            _warmed_in = os.getpid()
        for connection in connections.all(initialized_only=True):  # this thread's: requests and tasks
            if not connection.in_atomic_block:  # open their own (a test's transaction is left alone)
                connection.close()
    if took:
        logger.info(
            "warmed up%s: %s",
            " before forking" if _before_fork else "",
            ", ".join(f"{name} {seconds}s" for name, seconds in took.items()),
        )
    return took


# --- the platform's own steps (registered in CoreConfig.ready) -----------------------------------------


def url_map_load() -> int:
    """Imports the URLconf — every view module and the API's schemas, seconds of the first request —
    and builds the reverse maps in every language, namespaces included; returns the names reversed."""
    from django.conf import settings
    from django.urls import NoReverseMatch, get_resolver, reverse
    from django.utils import translation

    names = _url_names(get_resolver())
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            for name in names:
                with contextlib.suppress(NoReverseMatch):  # a pattern with arguments: the maps are built
                    reverse(name)
    return len(names)


def _url_names(resolver: URLResolver, prefix: str = "") -> list[str]:
    names = [prefix + key for key in resolver.reverse_dict if isinstance(key, str)]
    for namespace, (_pattern, inner) in resolver.namespace_dict.items():
        names += _url_names(inner, f"{prefix}{namespace}:")
    return names


def templates_compile() -> int:
    """Compiles every template of the platform's apps into the cached loader (tens of milliseconds a
    page otherwise, on its first view), with the context processors; returns how many."""
    from pathlib import Path

    from django.template import engines

    ours = Path(__file__).resolve().parents[1]
    count = 0
    for engine in engines.all():
        inner = getattr(engine, "engine", None)  # Django's own engine: its context processors are
        if inner is not None:  # imported on the first render
            _ = inner.template_context_processors
        for directory in map(Path, engine.template_dirs):
            if not directory.is_relative_to(ours):
                continue  # Django's admin and other packages' pages are not on the hot paths
            for path in sorted(directory.rglob("*.html")):
                engine.get_template(path.relative_to(directory).as_posix())
                count += 1
    return count


def translations_load() -> None:
    """The message catalogues and the date and number formats of every language."""
    from django.conf import settings
    from django.utils import formats, timezone, translation

    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            formats.localize(timezone.localtime())
            formats.localize(timezone.localdate())
            formats.number_format(1234.5, 1)


def model_relations_load() -> None:
    """Django works out every model's reverse relations on the first query that needs any of them."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        model._meta.get_fields(include_hidden=True)
        _ = model._meta.related_objects, model._meta.concrete_fields


def process_copies_load() -> int:
    """The small tables each process keeps a copy of (core.process_copy: the working-day table, which
    items have 秒批 rules), read before the first request needs them; returns how many."""
    from yiwang.core.process_copy import ProcessCopy, _copies

    loaded = [copy.get() for copy in _copies if isinstance(copy, ProcessCopy)]
    return len(loaded)


def crypto_load() -> None:
    """One SM2 signature made and checked: the C binding is built on its first use."""
    from yiwang.core.crypto import sm2_key_pair, sm2_sign, sm2_verify

    private, public = sm2_key_pair()
    if not sm2_verify(public, b"warm-up", sm2_sign(private, public, b"warm-up")):
        raise RuntimeError("SM2 signature did not verify")


def documents_load() -> None:
    """What reading an upload and printing a PDF load on first use: pypdf, Pillow's image formats and
    reportlab's Chinese font."""
    import pypdf  # noqa: F401  (imported by the upload check on its first PDF)
    from PIL import Image

    from yiwang.core.pdf import styles

    Image.init()
    styles()
