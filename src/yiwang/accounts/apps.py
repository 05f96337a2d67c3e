from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yiwang.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from yiwang.accounts import authz, tasks  # noqa: F401  (tasks: periodic token purge)
        from yiwang.core.authz import authorisation_install

        authorisation_install(authz)  # the contexts below accounts ask through core.authz
