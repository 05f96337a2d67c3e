from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "yiwang.oversight"
    label = "oversight"
    verbose_name = _("Oversight and KPIs")

    def ready(self) -> None:
        from yiwang.oversight import signals  # noqa: F401  (marks the aggregates' days)
