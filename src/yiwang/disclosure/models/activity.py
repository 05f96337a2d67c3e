"""What the older (2016) annual report also counts, entered as it happens so that the report is computed
rather than typed: responses to public concern (回应解读), meetings and training, complaints about the
body's disclosure work (§51), and the office's staff and budget for the year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.disclosure.choices import MeetingKind, ResponseKind


class PublicResponse(models.Model):
    body = models.ForeignKey(
        "organisation.Department", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResponseKind.choices)
    topic = models.CharField(_("topic of public concern"), max_length=200)
    on = models.DateField(_("day"))
    principal_attended = models.BooleanField(_("the principal attended"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return self.topic


class WorkMeeting(models.Model):
    body = models.ForeignKey(
        "organisation.Department", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    on = models.DateField(_("day"))
    attendees = models.PositiveIntegerField(_("attendees"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return self.title


class DisclosureComplaint(models.Model):
    """A complaint or report about the body's disclosure work (§51), not a request (§39)."""

    body = models.ForeignKey(
        "organisation.Department", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    summary = models.CharField(_("summary"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.summary[:40]


class OfficeYear(models.Model):
    """The body's disclosure office in a year: the 2016 report's eighth table."""

    body = models.ForeignKey(
        "organisation.Department", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    offices = models.PositiveSmallIntegerField(_("specialised offices"), default=1)
    reading_points = models.PositiveSmallIntegerField(_("reading points"), default=0)
    full_time_staff = models.PositiveSmallIntegerField(_("full-time staff"), default=0)
    part_time_staff = models.PositiveSmallIntegerField(_("part-time staff"), default=0)
    budget = models.DecimalField(_("budget (10,000 yuan)"), max_digits=10, decimal_places=2, default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="disclosure_office_year")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}"
