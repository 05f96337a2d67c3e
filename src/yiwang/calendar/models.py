"""The administrator-maintained part of the working-day calendar (calendar.md).

The State Council's holidays and 调休 make-up days come from ``chinesecalendar`` for the years it
knows. This table holds local changes for any year, and the whole schedule of years the library
does not know yet; a year whose schedule has been entered completely is marked in ``CalendarYear``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    REST = "rest", _("Day off")
    WORK = "work", _("Working day")


class CalendarDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    reason = models.CharField(_("reason"), max_length=100, blank=True, help_text=_("e.g. 国庆节, 春节调休上班"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose every non-default day is in CalendarDay: its results are no longer provisional."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(_("schedule complete"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
