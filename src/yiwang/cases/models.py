"""办件: one application and everything done with it (docs/cases.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.cases.choices import AWAITING_RESULT_STATUSES as AWAITING_RESULT_STATUSES
from yiwang.cases.choices import OPEN_STATUSES as OPEN_STATUSES
from yiwang.cases.choices import ApplicantKind as ApplicantKind
from yiwang.cases.choices import CaseChannel as CaseChannel
from yiwang.cases.choices import CaseStatus as CaseStatus
from yiwang.cases.choices import Decision as Decision
from yiwang.cases.choices import DeliveryMethod as DeliveryMethod
from yiwang.cases.choices import IdType as IdType
from yiwang.cases.choices import MaterialState as MaterialState
from yiwang.core.personal_data import EncryptedCharField


class CaseNumberCounter(models.Model):
    """The last serial handed out for a region on a day; incremented under the row lock."""

    region_code = models.CharField(max_length=12)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "day"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day} {self.last}"


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=40, unique=True)
    version = models.ForeignKey(
        "catalogue.ImplementationVersion",
        verbose_name=_("implementation version"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    implementation = models.ForeignKey("catalogue.ItemImplementation", on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey(
        "organisation.Department", verbose_name=_("competent department"), on_delete=models.PROTECT
    )
    region = models.ForeignKey("organisation.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED)
    channel = models.CharField(_("channel"), max_length=12, choices=CaseChannel.choices)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    window = models.ForeignKey("organisation.Window", null=True, blank=True, on_delete=models.SET_NULL)

    applicant_kind = models.CharField(_("applicant type"), max_length=16, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant"), max_length=200, db_index=True)
    applicant_id_type = models.CharField(_("document type"), max_length=16, choices=IdType.choices)
    applicant_id_number = EncryptedCharField(_("document number"))
    applicant_id_digest = models.CharField(max_length=64, db_index=True, editable=False)
    applicant_phone = EncryptedCharField(_("phone"), blank=True, default="")
    applicant_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    agent_name = models.CharField(_("agent"), max_length=100, blank=True)
    agent_id_number = EncryptedCharField(_("agent's document number"), blank=True, default="")
    agent_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    form_data = models.JSONField(_("application form"), default=dict, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_on = models.DateField(_("counted from"), null=True, blank=True)  # day 0 of the clock
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    due_on = models.DateField(_("due"), null=True, blank=True, db_index=True)
    statutory_due_on = models.DateField(_("statutory due"), null=True, blank=True)
    due_provisional = models.BooleanField(_("provisional deadline"), default=False)
    paused_days = models.PositiveIntegerField(_("paused working days"), default=0)
    extension_days = models.PositiveIntegerField(_("extension working days"), default=0)
    pending_until = models.DateField(_("pending materials due"), null=True, blank=True)
    # Set while a special procedure runs (§45): the remaining days stand still from that day.
    clock_stopped_on = models.DateField(_("clock stopped on"), null=True, blank=True)

    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    decision_basis = models.TextField(_("basis of the decision"), blank=True)
    result_name = models.CharField(_("result"), max_length=200, blank=True)
    result_number = models.CharField(_("result number"), max_length=100, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    competent_authority = models.CharField(_("competent authority"), max_length=200, blank=True)
    visits = models.PositiveSmallIntegerField(_("visits"), default=0)
    # How the applicant wants the result (online hall); the hand-out window starts from it.
    delivery_choice = models.CharField(_("delivery chosen"), max_length=12, choices=DeliveryMethod.choices, blank=True)
    delivery_address = EncryptedCharField(_("delivery address"), blank=True, default="")
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["department", "status", "due_on"], name="case_department_queue"),
            models.Index(fields=["status", "due_on"], name="case_status_due"),
            # Lists: open cases most urgent first (a few percent of the table), the rest newest first.
            models.Index(fields=["due_on", "id"], name="case_open_due", condition=models.Q(status__in=OPEN_STATUSES)),
            models.Index(fields=["-submitted_at", "id"], name="case_newest"),
        ]

    def __str__(self) -> str:
        return self.number


class SubmittedMaterial(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    requirement = models.ForeignKey("catalogue.MaterialRequirement", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=MaterialState.choices)
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/", blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    digest = models.CharField(_("SM3 digest"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "requirement"], name="one_material_per_requirement")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.requirement_id} {self.state}"


class CaseEvent(models.Model):
    """The case history: one row per transition, with who, when and the opinion."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    opinion = models.TextField(_("opinion"), blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"

    @property
    def label(self) -> str:
        from yiwang.cases.workflow import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))


class TaskState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ReviewTask(models.Model):
    """One step of the implementation for one department (joint approval: departments in parallel)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey("organisation.Department", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("step"), max_length=100)
    performer = models.CharField(_("performed by"), max_length=32)
    state = models.CharField(_("state"), max_length=8, choices=TaskState.choices, default=TaskState.WAITING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        ordering = ["case", "order", "department"]
        indexes = [models.Index(fields=["department", "state"], name="task_department_state")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.order} {self.name}"


class PauseKind(models.TextChoices):
    CORRECTION = "correction", _("Correction (补正)")
    SPECIAL = "special", _("Special procedure")


class CasePause(models.Model):
    """A period in which the clock does not run: a correction request or a special procedure."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=12, choices=PauseKind.choices)
    procedure = models.CharField(_("special procedure"), max_length=20, blank=True)
    reason = models.TextField(_("reason"))
    expected_days = models.PositiveSmallIntegerField(_("expected working days"), null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(default=0)
    result = models.TextField(_("result"), blank=True)
    items = models.JSONField(default=list, blank=True)  # correction: every missing or defective material

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class DeadlineChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadline_changes")
    old_due = models.DateField(null=True, blank=True)
    new_due = models.DateField(null=True, blank=True)
    provisional = models.BooleanField(default=False)
    reason = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.old_due} → {self.new_due}"


class Visit(models.Model):
    """Each time the applicant came to the hall for this case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visit_records")
    at = models.DateTimeField(auto_now_add=True)
    window = models.ForeignKey("organisation.Window", null=True, blank=True, on_delete=models.SET_NULL)
    purpose = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.case_id} {self.purpose}"


class Delivery(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="delivery")
    method = models.CharField(max_length=12, choices=DeliveryMethod.choices)
    recipient = models.CharField(max_length=100, blank=True)
    address = EncryptedCharField(blank=True, default="")
    carrier = models.CharField(max_length=50, blank=True)
    waybill = models.CharField(max_length=50, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.case_id} {self.method}"


class ExtensionRequest(models.Model):
    """延期 (行政许可法 §42): an approver asks for more working days; the department head decides."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    approved = models.BooleanField(null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"
