from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "yiwang.calendar"
    label = "workcalendar"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from yiwang.calendar import jobs

        jobs.register()
