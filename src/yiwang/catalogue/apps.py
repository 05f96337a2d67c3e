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

        from yiwang.catalogue.search import search_warm_up
        from yiwang.core.warmup import warm_up_register

        warm_up_register("catalogue.search", search_warm_up, tasks=False)  # pages search, tasks do not
