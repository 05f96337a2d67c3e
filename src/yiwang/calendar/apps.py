from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _table_changed(**_kwargs: Any) -> None:
    from yiwang.calendar.workdays import TABLE

    TABLE.changed()


class CalendarConfig(AppConfig):
    name = "yiwang.calendar"
    label = "workcalendar"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from yiwang.calendar import jobs
        from yiwang.calendar.models import CalendarDay, CalendarYear

        jobs.register()

        from yiwang.calendar.workdays import workdays_warm_up
        from yiwang.core.warmup import warm_up_register

        warm_up_register("calendar.workdays", workdays_warm_up)
        # Every write to the table, whoever makes it (services, admin, imports, a test's ORM call),
        # makes the processes' copies of it stale (workdays.calendar_table).
        for model in (CalendarDay, CalendarYear):
            post_save.connect(_table_changed, sender=model, dispatch_uid=f"calendar-table-{model.__name__}-save")
            post_delete.connect(_table_changed, sender=model, dispatch_uid=f"calendar-table-{model.__name__}-delete")
