import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
application = get_wsgi_application()

# The server imports this module before it takes a request: what is slow on first use is loaded now
# (core.warmup). In gunicorn's master with preload_app, only what its forked workers may share.
from yiwang.core.warmup import warm_up  # noqa: E402 (Django must be set up first)

warm_up()
