"""The physical hall: business categories and their queue tickets (排队叫号), who is on duty at which
window, and appointments (预约) by time slot (docs/hall.md)."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.core.personal_data import EncryptedCharField
from yiwang.hall.choices import AT_WINDOW as AT_WINDOW
from yiwang.hall.choices import OPEN_STATUSES as OPEN_STATUSES
from yiwang.hall.choices import QueueStatus as QueueStatus


class HallPolicy(models.Model):
    """The settings of one hall, kept by the centre's administrator; defaults in docs/hall.md."""

    hall = models.OneToOneField(
        "organisation.Hall", verbose_name=_("hall"), on_delete=models.CASCADE, related_name="policy"
    )
    qr_rotate_seconds = models.PositiveIntegerField(
        _("QR code period (seconds)"),
        default=300,
        help_text=_("The display's QR code for taking a number by phone changes this often; 0: a fixed code."),
    )
    phone_daily_limit = models.PositiveSmallIntegerField(
        _("numbers a day per phone"), default=3, validators=[MinValueValidator(1)]
    )
    call_ahead = models.PositiveSmallIntegerField(
        _("SMS when this many people are ahead"), default=3, help_text=_("0: no SMS.")
    )
    booking_days_ahead = models.PositiveSmallIntegerField(
        _("days ahead slots are released"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    release_time = models.TimeField(_("release time"), default=time(8, 0))
    max_active_bookings = models.PositiveSmallIntegerField(
        _("future appointments a person may hold"), default=3, validators=[MinValueValidator(1)]
    )
    no_show_limit = models.PositiveSmallIntegerField(_("missed appointments before suspension"), default=3)
    no_show_window_days = models.PositiveSmallIntegerField(_("counted over days"), default=90)
    suspension_days = models.PositiveSmallIntegerField(_("suspension (days)"), default=30)
    check_in_early_minutes = models.PositiveSmallIntegerField(_("check-in opens (minutes before)"), default=30)
    check_in_late_minutes = models.PositiveSmallIntegerField(_("check-in closes (minutes after)"), default=15)

    class Meta:
        verbose_name = _("hall settings")
        verbose_name_plural = _("hall settings")

    def __str__(self) -> str:
        return str(self.hall)


class QueueCategory(models.Model):
    """A business category (业务类别) of a hall, served by the windows of one window group."""

    hall = models.ForeignKey(
        "organisation.Hall", verbose_name=_("hall"), on_delete=models.PROTECT, related_name="queue_categories"
    )
    group = models.ForeignKey(
        "organisation.WindowGroup", verbose_name=_("window group"), on_delete=models.PROTECT, related_name="+"
    )
    prefix = models.CharField(
        _("number prefix"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{1,2}$", _("One or two capital letters."))],
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    opens_at = models.TimeField(_("numbers from"), default=time(9, 0))
    closes_at = models.TimeField(_("numbers until"), default=time(17, 0))
    daily_quota = models.PositiveIntegerField(_("numbers a day"), default=0, help_text=_("0: no limit."))
    service_minutes = models.PositiveSmallIntegerField(
        _("minutes per person (estimate)"), default=10, validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("business category")
        verbose_name_plural = _("business categories")
        ordering = ["hall", "order", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "prefix"], name="queue_category_prefix_unique_in_hall"),
            models.CheckConstraint(condition=Q(opens_at__lt=models.F("closes_at")), name="queue_category_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"


class QueueCounter(models.Model):
    """The last serial drawn for a category on a day; its row lock serialises taking numbers."""

    category = models.ForeignKey(QueueCategory, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "day"], name="queue_counter_once_a_day")]

    def __str__(self) -> str:
        return f"{self.category_id} {self.day} {self.last}"


class QueueChannel(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    PHONE = "phone", _("Phone (QR code)")
    APPOINTMENT = "appointment", _("Appointment")


class QueueTicket(models.Model):
    """排队号: one person's turn in a category on a day."""

    hall = models.ForeignKey("organisation.Hall", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        QueueCategory, verbose_name=_("business category"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("day"))
    serial = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=QueueStatus.choices, default=QueueStatus.WAITING)
    channel = models.CharField(_("channel"), max_length=12, choices=QueueChannel.choices)
    priority = models.PositiveSmallIntegerField(default=0)  # 1: appointments and transfers go first
    taken_at = models.DateTimeField(_("taken at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    window = models.ForeignKey(
        "organisation.Window", verbose_name=_("window"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("clerk"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    transfers = models.PositiveSmallIntegerField(_("transfers"), default=0)
    phone = EncryptedCharField(_("phone"), blank=True)
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    device_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    holder_token_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="queue_tickets"
    )
    alerted = models.BooleanField(default=False)  # the call-ahead SMS went out
    cases = models.ManyToManyField("cases.Case", verbose_name=_("cases"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["-day", "priority", "taken_at"]
        constraints = [
            # The number keeps its prefix when the person is transferred, so it is unique in the hall's day.
            models.UniqueConstraint(fields=["hall", "day", "number"], name="queue_ticket_number_unique"),
            # At most one number at a window at a time: the clerk finishes before calling again.
            models.UniqueConstraint(
                fields=["window"], condition=Q(status__in=["called", "serving"]), name="queue_one_at_a_window"
            ),
        ]
        indexes = [
            models.Index(fields=["category", "day", "status", "priority", "taken_at"], name="queue_next"),
            models.Index(fields=["hall", "day", "called_at"], name="queue_hall_calls"),
        ]

    def __str__(self) -> str:
        return self.number


class QueueEvent(models.Model):
    """Every step of a queue ticket: taken, called, recalled, started, finished, no-show, transferred."""

    ticket = models.ForeignKey(QueueTicket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    window = models.ForeignKey("organisation.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"


class WindowDuty(models.Model):
    """在岗: a clerk signed on at a window; the basis of waiting estimates and attendance."""

    window = models.ForeignKey(
        "organisation.Window", verbose_name=_("window"), on_delete=models.PROTECT, related_name="duties"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("clerk"), on_delete=models.PROTECT, related_name="window_duties"
    )
    started_at = models.DateTimeField(_("signed on"))
    ended_at = models.DateTimeField(_("signed off"), null=True, blank=True)

    class Meta:
        verbose_name = _("window duty")
        verbose_name_plural = _("window duties")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["window"], condition=Q(ended_at__isnull=True), name="duty_one_per_window"),
            models.UniqueConstraint(fields=["clerk"], condition=Q(ended_at__isnull=True), name="duty_one_per_clerk"),
        ]

    def __str__(self) -> str:
        return f"{self.window} · {self.clerk}"


class SlotPlan(models.Model):
    """The centre's plan of appointment slots for a category: on these weekdays, from start to end,
    this many people."""

    category = models.ForeignKey(
        QueueCategory, verbose_name=_("business category"), on_delete=models.CASCADE, related_name="slot_plans"
    )
    weekdays = models.CharField(
        _("weekdays"),
        max_length=7,
        default="12345",
        validators=[RegexValidator(r"^[1-7]{1,7}$", _("Digits 1 (Monday) to 7 (Sunday)."))],
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("slot plan")
        verbose_name_plural = _("slot plans")
        ordering = ["category", "start"]
        constraints = [models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="slot_plan_hours")]

    def __str__(self) -> str:
        return f"{self.category} {self.start:%H:%M}-{self.end:%H:%M}"


class AppointmentSlot(models.Model):
    category = models.ForeignKey(
        QueueCategory, verbose_name=_("business category"), on_delete=models.PROTECT, related_name="slots"
    )
    day = models.DateField(_("day"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    released_at = models.DateTimeField(_("bookable from"))

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["day", "start", "category"]
        constraints = [
            models.UniqueConstraint(fields=["category", "day", "start"], name="slot_unique"),
            models.CheckConstraint(condition=Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.day} {self.start:%H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    CHECKED_IN = "checked_in", _("Checked in")
    MISSED = "missed", _("Missed")


class Appointment(models.Model):
    slot = models.ForeignKey(
        AppointmentSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="appointments"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="appointments"
    )
    code = models.CharField(_("appointment code"), max_length=8, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    queue_ticket = models.OneToOneField(
        QueueTicket, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment"
    )

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-booked_at"]
        indexes = [models.Index(fields=["account", "status"], name="appointment_person")]

    def __str__(self) -> str:
        return self.code
