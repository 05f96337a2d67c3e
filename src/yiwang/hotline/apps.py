from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "yiwang.hotline"
    label = "hotline"
    verbose_name = _("12345 hotline")

    def ready(self) -> None:
        from yiwang.accounts.api_keys import api_scope_register

        api_scope_register("hotline:submit", _("Submit and follow hotline tickets (web, app, WeChat channels)"))
        api_scope_register("hotline:calls", _("Send the telephone system's call records"))

        from yiwang.hotline import signals, workbench  # noqa: F401  (signals: connects the aggregates' receivers)
        from yiwang.hotline.jobs import register

        register()
        workbench.register()

        from yiwang.core.warmup import warm_up_register
        from yiwang.hotline.learning import models_warm_up

        warm_up_register("hotline.models", models_warm_up)
