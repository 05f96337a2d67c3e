"""The catalogue's pure values that other contexts read (levels, version status, case kind, online depth,
special procedures, material necessity, form field types), apart from the tables so that reading them
imports no model; ``models`` re-exports them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """行使层级 codes (organisation.md)."""

    NATIONAL = "1", _("National")
    PROVINCE = "2", _("Province")
    CITY = "3", _("City")
    COUNTY = "4", _("County")
    TOWNSHIP = "5", _("Township or street")
    GRADED = "6", _("Graded management")
    VILLAGE = "7", _("Village or community")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    SUSPENDED = "suspended", _("Suspended")
    SUPERSEDED = "superseded", _("Superseded")
    CANCELLED = "cancelled", _("Cancelled")


class CaseKind(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("On-the-spot item")
    PROMISED = "promised", _("Promised-time item")


class OnlineDepth(models.IntegerChoices):
    """网上办理深度 (multi-select)."""

    CONSULTATION = 1, _("Online enquiry")
    RECEIPT = 2, _("Online receipt")
    PRE_REVIEW = 3, _("Online pre-review")
    ACCEPTANCE = 4, _("Online acceptance")
    HANDLING = 5, _("Online handling")
    RESULT_FEEDBACK = 6, _("Result information online")
    E_LICENCE = 7, _("Electronic licence online")


class SpecialProcedure(models.TextChoices):
    """特别程序: their time is not counted in the time limit (行政许可法 §45)."""

    HEARING = "hearing", _("Hearing")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    SITE_INSPECTION = "site_inspection", _("Site inspection")
    TESTING = "testing", _("Inspection and testing")
    PUBLICITY = "publicity", _("Public notice")
    TENDERING = "tendering", _("Tendering or auction")


class Necessity(models.TextChoices):
    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")
    DEFERRABLE = "deferrable", _("May follow later (容缺)")


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    BOOLEAN = "boolean", _("Yes or no")
    ID_NUMBER = "id_number", _("Resident ID number")
    PHONE = "phone", _("Mobile phone")
    CREDIT_CODE = "credit_code", _("Unified social credit code")
