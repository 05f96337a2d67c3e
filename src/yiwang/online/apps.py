from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    name = "yiwang.online"
    label = "online"
    verbose_name = _("Online hall")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from yiwang.online.registry import Section, register_section

        # Filled by the e-licence, queueing and rating modules; until then each says what will be here.
        for order, (key, title, empty) in enumerate(
            (
                ("licences", gettext_lazy("My licences"), gettext_lazy("Your electronic licences will appear here.")),
                ("appointments", gettext_lazy("My appointments"), gettext_lazy("Appointments at a hall appear here.")),
                ("ratings", gettext_lazy("My ratings"), gettext_lazy("Your ratings of services appear here.")),
            )
        ):
            register_section(Section(key, title, lambda user: [], empty, order=order * 10))
