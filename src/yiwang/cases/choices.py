"""The case's pure values that other contexts read (statuses and their groups, channel, applicant kinds,
decision, delivery, material states), apart from the tables so that reading them imports no model;
``models`` re-exports them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    PRE_REVIEWED = "pre_reviewed", _("Pre-reviewed")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    REFUSED = "refused", _("Refused")
    ACCEPTED_PENDING = "accepted_pending", _("Accepted with pending materials")
    IN_REVIEW = "in_review", _("In review")
    SUSPENDED = "suspended", _("Suspended for a special procedure")
    DECIDED = "decided", _("Decided")
    CONCLUDED = "concluded", _("Concluded")
    DELIVERED = "delivered", _("Result handed out")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED = "terminated", _("Terminated")


# The statuses in which the applicant is waiting on us and the deadline matters (workflow.OPEN).
OPEN_STATUSES = (
    CaseStatus.SUBMITTED,
    CaseStatus.PRE_REVIEWED,
    CaseStatus.CORRECTION_REQUESTED,
    CaseStatus.ACCEPTED_PENDING,
    CaseStatus.IN_REVIEW,
    CaseStatus.SUSPENDED,
)


# The applicant is still waiting for the result: open, or decided and not yet handed out.
AWAITING_RESULT_STATUSES = (*OPEN_STATUSES, CaseStatus.DECIDED, CaseStatus.CONCLUDED)


class CaseChannel(models.TextChoices):
    WINDOW = "window", _("At a window")
    ONLINE = "online", _("Online")
    MOBILE = "mobile", _("Mobile app")
    KIOSK = "kiosk", _("Self-service kiosk")
    PROXY = "proxy", _("Received for another region")


class ApplicantKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("Natural person")
    LEGAL_PERSON = "legal_person", _("Legal person")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    CREDIT_CODE = "credit_code", _("Unified social credit code")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other document")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Not approved")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Window pickup")
    EXPRESS = "express", _("Express delivery")
    ELECTRONIC = "electronic", _("Electronic delivery")


class MaterialState(models.TextChoices):
    RECEIVED = "received", _("Received")
    MISSING = "missing", _("Missing")
    DEFECTIVE = "defective", _("Defective")
    PENDING = "pending", _("To follow (容缺)")
    EXEMPT = "exempt", _("Not needed: obtained from a licence or shared data")
