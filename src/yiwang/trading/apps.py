from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradingConfig(AppConfig):
    name = "yiwang.trading"
    label = "trading"
    verbose_name = _("Public resource trading")

    def ready(self) -> None:
        from yiwang.trading import workbench

        workbench.register()
