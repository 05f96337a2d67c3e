from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "yiwang.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from yiwang.audit import signals  # noqa: F401  (logins, logouts, failed logins, refusals, platform writes)
