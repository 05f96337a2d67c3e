from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "yiwang.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from yiwang.cases import workbench
        from yiwang.cases.selectors import most_applied_codes
        from yiwang.portal.registry import register_popular

        workbench.register()
        register_popular(most_applied_codes)
