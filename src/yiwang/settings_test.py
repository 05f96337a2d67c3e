"""Settings for the test suite: the real settings, with test-only defaults from the environment.

Tests run against the configured database engine (SQLite, or PostgreSQL with DATABASE_URL) and,
with REDIS_URL, against Redis for cache and tasks: never a mock of them.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_root = Path(__file__).resolve().parent.parent.parent
# pytest-xdist's workers (gw0, gw1, …) each get their own files and their own Redis database, so one
# worker clearing its cache or queue never touches another's; pytest-django gives each its own test database.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker:  # assigned: the controller's own value is inherited by the workers and must not be shared
    os.environ["YIWANG_VAR_DIR"] = str(_root / "var" / "test" / _worker)
os.environ.setdefault("YIWANG_VAR_DIR", str(_root / "var" / "test" / "main"))
if _worker and os.environ.get("REDIS_URL"):
    _url = urlsplit(os.environ["REDIS_URL"])
    _db = int(_url.path.strip("/") or 0) - int(_worker.removeprefix("gw"))
    os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{_db % 16}"))
os.environ.setdefault("YIWANG_TASKS_IMMEDIATE", "true")
os.environ.setdefault("YIWANG_LOG_LEVEL", "WARNING")
os.environ.setdefault("YIWANG_WARM_UP", "false")  # a consumer a test starts loads nothing it will not use
Path(os.environ["YIWANG_VAR_DIR"]).mkdir(parents=True, exist_ok=True)

from yiwang.settings import *  # noqa: E402, F403

# Fast hashing in tests; production keeps Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
