from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "yiwang.licences"
    label = "licences"
    verbose_name = _("E-licences")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from yiwang.licences import receivers  # noqa: F401  (connects the receivers)
        from yiwang.licences.selectors import wallet_rows
        from yiwang.online.registry import Section, register_section

        register_section(
            Section(
                "licences",
                gettext_lazy("My licences"),
                wallet_rows,
                gettext_lazy("Your electronic licences will appear here."),
                order=0,
                item_template="licences/_wallet_item.html",
            )
        )
