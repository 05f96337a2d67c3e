from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "yiwang.hall"
    label = "hall"
    verbose_name = _("Service hall")

    def ready(self) -> None:
        from yiwang.hall import receivers, workbench  # noqa: F401 (receivers: connected on import)
        from yiwang.online.registry import Section, register_section

        workbench.register()
        register_section(
            Section(
                "appointments",
                _("My appointments"),
                _upcoming,
                _("No appointments. Book a time at the service hall to avoid queueing."),
                order=15,
                item_template="hall/_appointment_item.html",
            )
        )


def _upcoming(user: Any) -> list[Any]:
    from yiwang.hall.selectors import appointments_upcoming

    return appointments_upcoming(user)
