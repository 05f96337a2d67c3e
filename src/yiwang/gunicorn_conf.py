"""gunicorn settings for production: ``gunicorn -c python:yiwang.gunicorn_conf yiwang.wsgi``.

Every value can be overridden from the environment (docs/deployment.md). gunicorn's own error and
access logs are JSON lines like the application's.

Warm workers (core.warmup, docs/performance.md): the master imports the application once
(``preload_app``) and loads what is slow on first use — the URL map, templates, jieba's dictionaries, the
hotline's models, the search index — before it forks; a worker starts as a copy of it in milliseconds,
sharing those pages copy-on-write. Nothing the master opened crosses the fork: its database connections
are closed before each fork, and what runs threads of its own (the OCR models) is loaded by each worker
after the fork, in ``post_worker_init``, which gunicorn calls before the worker's loop accepts a
connection. A worker recycled after ``max_requests`` (jittered, so they do not all go at once) is
replaced the same way, warm before its first request.
"""

import gc
import os
from typing import Any

from yiwang.core import warmup

bind = os.environ.get("YIWANG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("YIWANG_WEB_WORKERS", str((os.cpu_count() or 1) * 2 + 1)))
worker_class = "gthread"
threads = int(os.environ.get("YIWANG_WEB_THREADS", "4"))
timeout = int(os.environ.get("YIWANG_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("YIWANG_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("YIWANG_WEB_MAX_REQUESTS_JITTER", str(max_requests // 10)))
preload_app = os.environ.get("YIWANG_WEB_PRELOAD", "true").lower() in ("1", "true", "yes")
forwarded_allow_ips = os.environ.get("YIWANG_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("YIWANG_ACCESS_LOG", "true").lower() in ("1", "true", "yes") else None
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

_LEVEL = os.environ.get("YIWANG_LOG_LEVEL", "INFO").upper()

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": _LEVEL, "propagate": False},
        # With a logconfig_dict gunicorn logs access even when accesslog is None: the level turns it off.
        "gunicorn.access": {"handlers": ["console"], "level": "INFO" if accesslog else "WARNING", "propagate": False},
    },
}


if preload_app:
    # Set before gunicorn imports the application in the master (it does so before any hook runs).
    warmup.before_fork()


def pre_fork(server: Any, worker: Any) -> None:
    if preload_app:
        from django.db import connections

        connections.close_all()  # a connection copied into a worker would be one socket for two processes
        gc.freeze()  # what the master loaded stays out of the collector's passes: its pages stay shared


def post_fork(server: Any, worker: Any) -> None:
    warmup.before_fork(False)


def post_worker_init(worker: Any) -> None:
    # The worker's own steps (and a check that what the master loaded is still current), before it
    # accepts its first connection. Without preload_app, importing the application already warmed it.
    warmup.warm_up()
