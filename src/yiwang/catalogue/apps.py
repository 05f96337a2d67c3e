from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "yiwang.catalogue"
    label = "catalogue"
    verbose_name = _("Service item catalogue")

    def ready(self) -> None:
        from yiwang.catalogue import jobs, workbench

        jobs.register()
        workbench.register()
