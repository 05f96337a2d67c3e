from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstantConfig(AppConfig):
    name = "yiwang.instant"
    label = "instant"
    verbose_name = _("Instant approval")

    def ready(self) -> None:
        from yiwang.instant import receivers  # noqa: F401  (connects the receivers)
