from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "yiwang.disclosure"
    label = "disclosure"
    verbose_name = _("Government information disclosure")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from yiwang.disclosure import workbench
        from yiwang.online.registry import Section, register_section

        workbench.register()
        register_section(
            Section(
                "disclosure",
                gettext_lazy("My information requests"),
                workbench.my_requests,
                gettext_lazy("Requests for government information you make will appear here."),
                order=60,
                item_template="disclosure/_my_section_item.html",
            )
        )
