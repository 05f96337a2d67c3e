"""The hotline's monitoring tables: call records, the daily KPI aggregates and their dirty marks, and the
weekly bulletins (docs/hotline.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallRecord(models.Model):
    """One call to the hotline as the telephone system recorded it (imported; no telephony is built):
    when it arrived, when an agent answered (never, if the caller hung up first) and when it ended."""

    call_id = models.CharField(_("call identifier"), max_length=64, unique=True)
    arrived_at = models.DateTimeField(_("arrived at"), db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    agent = models.CharField(_("agent"), max_length=40, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("call record")
        verbose_name_plural = _("call records")
        ordering = ["-arrived_at"]

    def __str__(self) -> str:
        return self.call_id


class TicketDaily(models.Model):
    """The hotline's KPI figures per day of receipt, handling unit, top-level category and area,
    kept by recounting a day whenever one of its tickets changes (hotline.aggregates), so that the
    dashboard sums a few thousand rows instead of scanning millions of tickets."""

    day = models.DateField()
    unit = models.ForeignKey("organisation.Department", null=True, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("hotline.Category", null=True, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("organisation.Region", null=True, on_delete=models.CASCADE, related_name="+")
    accepted = models.PositiveIntegerField(default=0)
    direct = models.PositiveIntegerField(default=0)
    concluded = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    replied_dispatched = models.PositiveIntegerField(default=0)
    to_follow_up = models.PositiveIntegerField(default=0)
    handled = models.PositiveIntegerField(default=0)
    handling_seconds = models.BigIntegerField(default=0)
    followed_up = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    extensions_requested = models.PositiveIntegerField(default=0)
    extensions_approved = models.PositiveIntegerField(default=0)
    extensions_refused = models.PositiveIntegerField(default=0)
    returns = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="ticket_daily_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id} {self.category_id} {self.region_id}"


class TicketDayDirty(models.Model):
    """A mark: a day whose figures must be recounted (a ticket of it changed; ``core.dirty_days``). Each
    writing transaction inserts its own, so writers never wait on one another's mark."""

    day = models.DateField(db_index=True)
    version = models.PositiveBigIntegerField(default=0)  # bumped by the transaction's later saves of the day

    def __str__(self) -> str:
        return str(self.day)


class Bulletin(models.Model):
    """热线热点聚焦: the weekly bulletin, made by a periodic task as PDF and Excel and kept."""

    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    tickets = models.PositiveIntegerField(_("tickets"))
    pdf = models.FileField(upload_to="hotline/bulletins/")
    xlsx = models.FileField(upload_to="hotline/bulletins/")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-end", "-pk"]
        constraints = [models.UniqueConstraint(fields=["start", "end"], name="bulletin_once_per_period")]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"
