from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "yiwang.licences"
    label = "licences"
    verbose_name = _("E-licences")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from yiwang.accounts.api_keys import api_scope_register
        from yiwang.cases.exemptions import exemptions_finder_register
        from yiwang.licences import jobs, receivers, workbench  # noqa: F401  (registers the import job, connects receivers)
        from yiwang.licences.selectors import licence_exemptions, wallet_rows
        from yiwang.online.registry import Section, register_section

        api_scope_register("licences:use", gettext_lazy("Look up licences for a case (用证)"))
        exemptions_finder_register(licence_exemptions)
        workbench.register()

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
