from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "yiwang.sharing"
    label = "sharing"
    verbose_name = _("Data sharing")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from yiwang.accounts.api_keys import api_scope_register
        from yiwang.cases.exemptions import exemption_finder_register
        from yiwang.online.registry import Section, register_section
        from yiwang.sharing import workbench
        from yiwang.sharing.selectors import queries_about
        from yiwang.sharing.services import shared_data_exemption

        api_scope_register("sharing:*", gettext_lazy("Query every shared data resource"))
        exemption_finder_register(shared_data_exemption)
        workbench.register()
        register_section(
            Section(
                "data_queries",
                gettext_lazy("Who looked up my data"),
                queries_about,
                gettext_lazy("No department has looked up your data yet."),
                order=5,
                item_template="sharing/_query_item.html",
            )
        )
