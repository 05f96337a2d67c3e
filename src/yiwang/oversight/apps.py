from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "yiwang.oversight"
    label = "oversight"
    verbose_name = _("Oversight and KPIs")

    def ready(self) -> None:
        from yiwang.oversight import signals, workbench  # noqa: F401  (signals: marks the aggregates' days)

        workbench.register()
