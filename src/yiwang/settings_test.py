"""Settings for the test suite: the real settings, with test-only defaults from the environment.

Tests run against the configured database engine (SQLite, or PostgreSQL with DATABASE_URL) and,
with REDIS_URL, against Redis for cache and tasks: never a mock of them.
"""

import os
from pathlib import Path

_root = Path(__file__).resolve().parent.parent.parent
os.environ.setdefault("YIWANG_VAR_DIR", str(_root / "var" / "test"))
os.environ.setdefault("YIWANG_TASKS_IMMEDIATE", "true")
os.environ.setdefault("YIWANG_LOG_LEVEL", "WARNING")
Path(os.environ["YIWANG_VAR_DIR"]).mkdir(parents=True, exist_ok=True)

from yiwang.settings import *  # noqa: E402, F403

# Fast hashing in tests; production keeps Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
