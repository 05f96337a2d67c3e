"""12345 hotline (docs/hotline.md): the subject category tree, the dispatch catalogue, time limits as
settings, and tickets with their history. Handling units are organisation departments (city
departments, district governments, street offices)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.core.personal_data import EncryptedCharField


class Category(models.Model):
    """诉求分类: a node of the subject tree (e.g. 城乡建设 > 施工扰民 > 夜间施工), kept by administrators."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    time_limit_hours = models.PositiveSmallIntegerField(
        _("time limit (hours)"),
        null=True,
        blank=True,
        help_text=_("Overrides the time limit of the kind, e.g. 24 hours for water, power, gas and heating."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # Open311's discovery changeset: the service list changed

    class Meta:
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")
        ordering = ["parent_id", "order", "code"]

    def __str__(self) -> str:
        return self.name


class TicketKind(models.TextChoices):
    CONSULT = "consult", _("Inquiry")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of wrongdoing")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class TicketChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WEB = "web", _("Website")
    APP = "app", _("Mobile app or WeChat")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    OPEN311 = "open311", _("Open311 client")


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")


class TimeLimit(models.Model):
    """How long a handling unit has to reply, per kind and urgency (a setting; defaults in rules.py)."""

    kind = models.CharField(_("kind"), max_length=12, choices=TicketKind.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=14, choices=LimitUnit.choices)
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [models.UniqueConstraint(fields=["kind", "urgency"], name="time_limit_once")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.urgency}: {self.amount} {self.unit}"


class DispatchRule(models.Model):
    """派单目录: a category (and optionally keywords and an area) → the handling unit. The most specific
    matching rule wins: area over none, keywords over none, then the lowest ``priority``."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="dispatch_rules")
    keywords = models.JSONField(_("keywords"), default=list, blank=True, help_text=_("Any of them in the text."))
    region = models.ForeignKey(
        "organisation.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("area")
    )
    unit = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("handling unit")
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")
        ordering = ["category", "priority", "pk"]

    def __str__(self) -> str:
        return f"{self.category_id} → {self.unit_id}"


class TicketStatus(models.TextChoices):
    NEW = "new", _("Waiting for dispatch")
    RESOLVED = "resolved", _("Resolved at first contact")
    DISPATCHED = "dispatched", _("Dispatched")
    SIGNED = "signed", _("Being handled")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", pgettext_lazy("hotline ticket", "Closed")
    MERGED = "merged", _("Merged into another ticket")


class TicketCounter(models.Model):
    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class Ticket(models.Model):
    """工单: one request to 12345, from intake to follow-up."""

    number = models.CharField(_("ticket number"), max_length=24, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=TicketChannel.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=TicketKind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("category"))
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("description"), blank=True)  # optional from Open311 clients
    address = models.CharField(_("address"), max_length=200, blank=True)
    region = models.ForeignKey(
        "organisation.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # A photo or other media kept elsewhere (Open311); a database default too, for bulk loads that name columns.
    media_url = models.URLField(_("media URL"), max_length=500, blank=True, default="", db_default="")
    anonymous = models.BooleanField(_("anonymous"), default=False)
    caller_name = models.CharField(_("caller"), max_length=60, blank=True)
    caller_phone = EncryptedCharField(_("caller's phone"), blank=True)
    caller_phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    caller_account = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    wants_reply = models.BooleanField(_("wants a reply"), default=True)
    status = models.CharField(_("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW)
    unit = models.ForeignKey(
        "organisation.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_tickets",
        verbose_name=_("handling unit"),
    )
    return_reason = models.CharField(_("reason for return"), max_length=300, blank=True)
    unit_designated = models.BooleanField(
        default=False, help_text=_("Designated after reviewing a return: the unit may no longer return it.")
    )
    due_at = models.DateTimeField(_("reply due"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged", verbose_name=_("merged into")
    )
    answer = models.TextField(_("answer"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("agent")
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    open311_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    # The channel's system (its API key) that submitted the ticket: the only one that may add the caller's files.
    api_key = models.ForeignKey(
        "accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # The SHA-256 of the token in the rating link texted to the caller with the reply (never the token).
    rating_token_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # 回复公开: the caller agreed that the request and its reply may be published, without their details,
    # once a reviewer has approved the text (docs/hotline.md, "The citizen's side").
    publish_consent = models.BooleanField(_("reply may be published"), default=False)

    class Meta:
        verbose_name = _("hotline ticket")
        verbose_name_plural = _("hotline tickets")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Sweeps and the live "past due" count: open statuses, by due time, within a period of receipt.
            models.Index(fields=["status", "due_at", "created_at"], name="ticket_status_due_created"),
            models.Index(fields=["unit", "status"], name="ticket_unit_status"),
            models.Index(fields=["category", "region", "created_at"], name="ticket_place_category"),
            models.Index(fields=["created_at"], name="ticket_created"),
        ]

    def __str__(self) -> str:
        return self.number


class TicketEvent(models.Model):
    """Every step of a ticket, with who, when, from which unit and what was said."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=24)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(
        "organisation.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["ticket", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"


class ExtensionRequest(models.Model):
    """延期申请: a handling unit asks for more working days; the supervisor approves or refuses."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.CharField(_("reason"), max_length=300)
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    approved = models.BooleanField(null=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(approved__isnull=True), name="one_open_ticket_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} +{self.days}"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class FollowUp(models.Model):
    """回访: every concluded ticket is followed up — satisfaction and whether the problem was solved."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="follow_ups")
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    solved = models.BooleanField(_("problem solved"), null=True)
    reached = models.BooleanField(_("caller reached"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    via = models.CharField(_("by"), max_length=10, default="phone")  # phone, sms
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["ticket", "at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.satisfaction}"


class Article(models.Model):
    """知识库: an answer agents give at first contact (济南 §34), kept by the department that owns it,
    valid for a period, counted each time it is used."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("answer"))
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", verbose_name=_("topic")
    )
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("owned by")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("times used"), default=0)
    # Shown to the public beside the published replies (回复公开); otherwise for agents only.
    public = models.BooleanField(_("public"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge base")
        ordering = ["-uses", "title"]

    def __str__(self) -> str:
        return self.title


class DispatchModel(models.Model):
    """A trained dispatch classifier: where its file is, what it learned from, how well it did on the
    tickets held out of its training."""

    trained_at = models.DateTimeField(auto_now_add=True)
    path = models.CharField(max_length=200)
    samples = models.PositiveIntegerField()
    units = models.PositiveIntegerField()
    top1 = models.FloatField(_("top-1 accuracy"))
    top3 = models.FloatField(_("top-3 accuracy"))

    class Meta:
        verbose_name = _("dispatch model")
        verbose_name_plural = _("dispatch models")
        ordering = ["-trained_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} top-1 {self.top1:.1%}"


class CardColour(models.TextChoices):
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class Card(models.Model):
    """黄牌 / 红牌 of a handling unit for one ticket (calendar.md, hall.md): yellow when the reply is
    near its due time, red when it is overdue. One card of a colour per due time, so a sweep can run
    again safely and an extended or redone ticket can earn a new one."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="cards")
    unit = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("handling unit")
    )
    colour = models.CharField(_("colour"), max_length=6, choices=CardColour.choices)
    due_at = models.DateTimeField(_("reply due"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["ticket", "colour", "due_at"], name="card_once_per_due")]
        indexes = [models.Index(fields=["unit", "issued_at"], name="card_unit_issued")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.colour}"


class SupervisionReason(models.TextChoices):
    OVERDUE = "overdue", _("Not handled within the time limit")
    REPEATED = "repeated", _("Reported again and again without a solution")
    MANUAL = "manual", _("Ordered by the supervisor")


class SupervisionOrder(models.Model):
    """督办单 (济南 §28, 潍坊 §26): the centre orders a unit to act on an overdue or repeatedly reported
    ticket; the unit answers what it did by the order's due time."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="supervision_orders")
    unit = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("handling unit")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=SupervisionReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    issued_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    answer_due = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "reason"],
                condition=models.Q(answered_at__isnull=True),
                name="one_open_supervision_per_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.reason}"


class TicketAttachment(models.Model):
    """A photo or document that came with a ticket (a caller's picture from the app, a scanned letter)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="hotline/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=60)
    digest = models.CharField(max_length=64, help_text=_("SM3 of the content"))
    uploaded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["ticket", "pk"]

    def __str__(self) -> str:
        return self.name


# Split by capability (the package re-exports every model, as the single module did).
from yiwang.hotline.models.citizen import PhoneChallenge as PhoneChallenge  # noqa: E402
from yiwang.hotline.models.citizen import PublishedReply as PublishedReply  # noqa: E402
from yiwang.hotline.models.citizen import ReplyStatus as ReplyStatus  # noqa: E402
from yiwang.hotline.models.monitoring import Bulletin as Bulletin  # noqa: E402
from yiwang.hotline.models.monitoring import CallRecord as CallRecord  # noqa: E402
from yiwang.hotline.models.monitoring import TicketDaily as TicketDaily  # noqa: E402
from yiwang.hotline.models.monitoring import TicketDayDirty as TicketDayDirty  # noqa: E402
