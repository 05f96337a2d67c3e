"""gunicorn settings for production: ``gunicorn -c python:yiwang.gunicorn_conf yiwang.wsgi``.

Every value can be overridden from the environment (docs/deployment.md). gunicorn's own error and
access logs are JSON lines like the application's.
"""

import os

bind = os.environ.get("YIWANG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("YIWANG_WEB_WORKERS", str((os.cpu_count() or 1) * 2 + 1)))
worker_class = "gthread"
threads = int(os.environ.get("YIWANG_WEB_THREADS", "4"))
timeout = int(os.environ.get("YIWANG_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
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
