"""电子监察 and the KPIs (docs/hall.md §4–§6): card rules kept as settings, cards on cases, and the
aggregates every dashboard reads — daily rows recounted when a day's records change, monthly roll-ups
of them — so a dashboard costs the same at one million cases as at eleven."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CardColour(models.TextChoices):
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class CardRuleCode(models.TextChoices):
    NEAR_DEADLINE = "near_deadline", _("Near the deadline")
    STEP_OVERRUN = "step_overrun", _("A review step overran")
    OVERDUE = "overdue", _("Overdue")
    REFUSAL_WITHOUT_REASON = "refusal_without_reason", _("Refused without a stated reason")


class CardRule(models.Model):
    """A rule of 电子监察 as a setting: whether it is on, its colour and its threshold (what the number
    means depends on the rule: working days before the deadline, working days a step may take, the
    shortest acceptable reason). Rules without a row use the defaults in ``oversight.rules``."""

    code = models.CharField(_("rule"), max_length=32, choices=CardRuleCode.choices, unique=True)
    active = models.BooleanField(_("active"), default=True)
    colour = models.CharField(_("colour"), max_length=6, choices=CardColour.choices)
    threshold = models.PositiveSmallIntegerField(_("threshold"))

    class Meta:
        verbose_name = _("card rule")
        verbose_name_plural = _("card rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class Card(models.Model):
    """A yellow or red card on a case, issued once per rule and basis (the deadline it was measured
    against, or the step), so the sweep can run again safely."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("rule"), max_length=32, choices=CardRuleCode.choices)
    colour = models.CharField(_("colour"), max_length=6, choices=CardColour.choices)
    basis = models.CharField(max_length=40)
    department = models.ForeignKey(
        "organisation.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("organisation.Region", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(
        "organisation.Window", verbose_name=_("window"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case", "rule", "basis"], name="oversight_card_once")]
        indexes = [
            models.Index(fields=["department", "issued_at"], name="oversight_card_department"),
            models.Index(fields=["issued_at"], name="oversight_card_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.rule}"


# --- aggregates -------------------------------------------------------------------------------------------

CASE_COUNTERS = (
    "received", "accepted", "refused", "same_day", "concluded", "on_time", "early", "online", "one_visit",
    "zero_visit", "corrected",
)  # fmt: skip


class CaseFigures(models.Model):
    received = models.PositiveIntegerField(default=0)  # 办件量: cases submitted
    accepted = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)  # 不予受理
    same_day = models.PositiveIntegerField(default=0)  # concluded on the day of acceptance (即办)
    concluded = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)  # concluded by the due date
    early = models.PositiveIntegerField(default=0)  # concluded before the due date
    online = models.PositiveIntegerField(default=0)  # submitted online or on the mobile app
    one_visit = models.PositiveIntegerField(default=0)  # concluded with at most one visit to the hall
    zero_visit = models.PositiveIntegerField(default=0)  # concluded without any visit
    corrected = models.PositiveIntegerField(default=0)  # asked for 补正 at least once

    class Meta:
        abstract = True


class CaseKeys(CaseFigures):
    department = models.ForeignKey("organisation.Department", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("organisation.Region", on_delete=models.CASCADE, related_name="+")
    implementation = models.ForeignKey("catalogue.ItemImplementation", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=12)
    window = models.ForeignKey("organisation.Window", null=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class CaseDaily(CaseKeys):
    """Per day of submission, department, region, item, channel and window: the counts behind the case
    KPIs, for the cases submitted that day (a cohort: a case's later steps count on its submission day)."""

    day = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["day"], name="case_daily_day"),
            models.Index(fields=["department", "day"], name="case_daily_department"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.received}"


class CaseMonthly(CaseKeys):
    """The daily rows of a month summed, for trends and long periods; rebuilt with its days."""

    month = models.DateField()  # the first of the month

    class Meta:
        indexes = [
            models.Index(fields=["month"], name="case_monthly_month"),
            models.Index(fields=["department", "month"], name="case_monthly_department"),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.department_id} {self.received}"


class QueueDaily(models.Model):
    """Per day, hall, category and window: numbers taken, served, no-shows, waiting and service time."""

    day = models.DateField()
    hall = models.ForeignKey("organisation.Hall", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("hall.QueueCategory", on_delete=models.CASCADE, related_name="+")
    window = models.ForeignKey("organisation.Window", null=True, on_delete=models.CASCADE, related_name="+")
    taken = models.PositiveIntegerField(default=0)
    served = models.PositiveIntegerField(default=0)
    no_show = models.PositiveIntegerField(default=0)
    called = models.PositiveIntegerField(default=0)
    wait_seconds = models.PositiveBigIntegerField(default=0)  # taken → called, of the called
    service_seconds = models.PositiveBigIntegerField(default=0)  # started → finished, of the served

    class Meta:
        indexes = [models.Index(fields=["day"], name="queue_daily_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.category_id} {self.taken}"


class RatingDaily(models.Model):
    """Per day, department, window, channel and level: valid ratings, and the real-name 差评 closed."""

    day = models.DateField()
    department = models.ForeignKey("organisation.Department", null=True, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("organisation.Region", null=True, on_delete=models.CASCADE, related_name="+")
    window = models.ForeignKey("organisation.Window", null=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8)
    level = models.PositiveSmallIntegerField()
    ratings = models.PositiveIntegerField(default=0)
    defaulted = models.PositiveIntegerField(default=0)
    real_name_bad = models.PositiveIntegerField(default=0)
    real_name_bad_closed = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="rating_daily_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.level} {self.ratings}"


class AggregateKind(models.TextChoices):
    CASES = "cases", _("Cases")
    QUEUE = "queue", _("Queue")
    RATINGS = "ratings", _("Ratings")


class AggregateDirty(models.Model):
    """A mark: a day of an aggregate to recount (``core.dirty_days``). Each writing transaction inserts its
    own, so writers never wait on one another's mark; the recount deletes those it read."""

    kind = models.CharField(max_length=8, choices=AggregateKind.choices)
    day = models.DateField()
    version = models.PositiveBigIntegerField(default=0)  # bumped by the transaction's later saves of the day

    class Meta:
        indexes = [models.Index(fields=["kind", "day"], name="aggregate_dirty_day")]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"


class AssessmentWeights(models.Model):
    """窗口绩效考核: the weights of the monthly window score (percentages; they need not sum to 100 —
    the score is normalised by their sum). One row; the defaults until the centre saves its own."""

    volume = models.PositiveSmallIntegerField(_("numbers served"), default=25)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction rate"), default=30)
    waiting = models.PositiveSmallIntegerField(_("short waiting"), default=15)
    on_time = models.PositiveSmallIntegerField(_("cases on time"), default=20)
    cards = models.PositiveSmallIntegerField(_("no cards"), default=10)

    class Meta:
        verbose_name = _("assessment weights")
        verbose_name_plural = _("assessment weights")

    def __str__(self) -> str:
        return "weights"
