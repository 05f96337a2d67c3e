import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
application = get_wsgi_application()

# Each app server worker imports this module before it takes a request: it loads what is slow on
# first use now (core.warmup).
from yiwang.core.warmup import warm_up  # noqa: E402 (Django must be set up first)

warm_up()
