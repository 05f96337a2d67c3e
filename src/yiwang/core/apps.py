from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yiwang.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        import logging

        import jieba

        from yiwang.core import tasks  # noqa: F401  (connects the Huey failure signals)

        # jieba announces loading its dictionary at DEBUG, with a handler of its own, in every process.
        jieba.setLogLevel(logging.WARNING)
