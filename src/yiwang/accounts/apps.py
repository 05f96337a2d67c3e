from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yiwang.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from yiwang.accounts import tasks  # noqa: F401  (periodic token purge)
