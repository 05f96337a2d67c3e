from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "yiwang.workbench"
    label = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        from yiwang.workbench import entries  # noqa: F401  (the shell's own navigation and task sources)
