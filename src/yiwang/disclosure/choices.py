"""The disclosure context's pure values (docs/disclosure.md §1–§3): what an item is, where it went out,
who asks, how, the request's status, the clock's events, and the replies with their legal grounds.
``models`` re-exports them; other contexts read them from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    GENERAL = "general", _("General information")
    REGULATION = "regulation", _("Rules")  # 规章 (§20(1))
    NORMATIVE = "normative", _("Normative document")  # 行政规范性文件 (§20(1))
    LICENSING = "licensing", _("Licensing decision")  # §20(5)
    PENALTY = "penalty", _("Administrative penalty")  # §20(6)
    ENFORCEMENT = "enforcement", _("Administrative enforcement")  # §20(6)
    ANNUAL_REPORT = "annual_report", _("Annual report")  # §49


# Kinds with a validity: issued, repealed, in force (the 2021 report's first table).
DOCUMENT_KINDS = frozenset({ItemKind.REGULATION, ItemKind.NORMATIVE})


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In confidentiality review")
    APPROVED = "approved", _("Passed review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    WEBSITE = "website", _("Government website")
    GAZETTE = "gazette", _("Government gazette")
    WEIBO = "weibo", _("Government Weibo")
    WECHAT = "wechat", _("Government WeChat")
    OTHER = "other", _("Other channel")


class ReviewDecision(models.TextChoices):
    PASSED = "passed", _("May be published")
    RETURNED = "returned", _("Returned")


class RequesterKind(models.TextChoices):
    """The 2021 report's columns (table 三)."""

    NATURAL_PERSON = "natural_person", _("Natural person")  # 自然人
    COMPANY = "company", _("Commercial enterprise")  # 商业企业
    RESEARCH = "research", _("Research institution")  # 科研机构
    PUBLIC_INTEREST = "public_interest", _("Public-interest organisation")  # 社会公益组织
    LEGAL_SERVICE = "legal_service", _("Legal-service organisation")  # 法律服务机构
    OTHER = "other", _("Other organisation")  # 其他


ORGANISATION_KINDS = frozenset(set(RequesterKind) - {RequesterKind.NATURAL_PERSON})


class RequestChannel(models.TextChoices):
    """How the request arrived (§29, §31; the 2016 report counts them)."""

    IN_PERSON = "in_person", _("In person")  # 当面
    FAX = "fax", _("Fax")  # 传真
    ONLINE = "online", _("Online")  # 网络
    LETTER = "letter", _("Letter")  # 信函


class Delivery(models.TextChoices):
    ONLINE = "online", _("Online, on my page")
    POST = "post", _("By post")
    IN_PERSON = "in_person", _("Collected in person")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Being handled")
    CORRECTION = "correction", _("Waiting for the requester's correction")
    CONSULTING = "consulting", _("Consulting a third party")
    FEE_NOTICE = "fee_notice", _("Waiting for the fee")
    REPLIED = "replied", _("Replied")


OPEN_STATUSES = frozenset(set(RequestStatus) - {RequestStatus.REPLIED})


class ClockEventKind(models.TextChoices):
    RECEIVED = "received", _("Request received")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    CORRECTED = "corrected", _("Corrected request received")
    CONSULTATION_STARTED = "consultation_started", _("Consultation sent")
    CONSULTATION_ENDED = "consultation_ended", _("Consultation answered")
    FEE_NOTICE = "fee_notice", _("Fee notice sent")
    FEE_PAID = "fee_paid", _("Fee paid")
    EXTENDED = "extended", _("Extended")
    REPLIED = "replied", _("Replied")


class ConsultedParty(models.TextChoices):
    THIRD_PARTY = "third_party", _("A third party (§32)")
    OTHER_BODY = "other_body", _("Another administrative body (§34)")


class Outcome(models.TextChoices):
    ALREADY_PUBLIC = "already_public", _("Already public")  # §36(1)
    PROVIDED = "provided", _("Provided")  # §36(2)
    PARTLY = "partly", _("Partly provided")  # §37
    REFUSED = "refused", _("Refused")  # §36(3)
    CANNOT = "cannot", _("Cannot be provided")  # §36(4), (5); §38
    NOT_HANDLED = "not_handled", _("Not handled")  # §35, §36(6), §39
    OTHER = "other", _("Other handling")


class Ground(models.TextChoices):
    """Every ground a reply may rest on, each under one outcome (``GROUNDS``)."""

    # 不予公开 (§14–§16; the 2021 report's rows （三）1–8)
    STATE_SECRET = "state_secret", _("A state secret (§14)")
    PROHIBITED_BY_LAW = "prohibited_by_law", _("Disclosure prohibited by law or regulation (§14)")
    THREE_SECURITIES = "three_securities", _("Would endanger national, public or economic security or stability (§14)")
    THIRD_PARTY_TRADE_SECRET = "trade_secret", _("A third party's trade secret (§15)")
    THIRD_PARTY_PRIVACY = "privacy", _("A third party's personal privacy (§15)")
    INTERNAL_AFFAIRS = "internal_affairs", _("Internal affairs of the body (§16)")
    PROCESS_INFORMATION = "process_information", _("Process information (§16)")
    ENFORCEMENT_FILES = "enforcement_files", _("Law-enforcement case files (§16)")
    ADMINISTRATIVE_INQUIRY = "administrative_inquiry", _("A matter of administrative inquiry")
    # 无法提供
    NOT_HELD = "not_held", _("The body does not hold the information (§36(4))")
    NOT_THIS_BODY = "not_this_body", _("Another body is responsible for it (§36(5))")
    NEEDS_PROCESSING = "needs_processing", _("It would have to be newly made or processed (§38)")
    UNCLEAR = "unclear", _("Still unclear after correction (§30)")
    # 不予处理
    PETITION = "petition", _("A petition, complaint or report (§39)")
    REPEAT = "repeat", _("A repeat of a request already answered (§36(6))")
    PUBLICATION = "publication", _("Asks for a publication")
    EXCESSIVE = "excessive", _("Excessive or repeated requests without good reason (§35)")
    CONFIRM_OR_REISSUE = "confirm_or_reissue", _("Asks to confirm or reissue information already obtained")
    # 其他处理
    NOT_CORRECTED = "not_corrected", _("Not corrected in time (§30)")
    FEE_UNPAID = "fee_unpaid", _("The fee was not paid in time")
    SPECIAL_LAW = "special_law", _("A special law governs access (§36(7))")
    OTHER = "other", _("Other")


REFUSAL_GROUNDS = (
    Ground.STATE_SECRET,
    Ground.PROHIBITED_BY_LAW,
    Ground.THREE_SECURITIES,
    Ground.THIRD_PARTY_TRADE_SECRET,
    Ground.THIRD_PARTY_PRIVACY,
    Ground.INTERNAL_AFFAIRS,
    Ground.PROCESS_INFORMATION,
    Ground.ENFORCEMENT_FILES,
    Ground.ADMINISTRATIVE_INQUIRY,
)

# The grounds each outcome takes; an outcome not listed takes none.
GROUNDS: dict[str, tuple[str, ...]] = {
    Outcome.PARTLY: REFUSAL_GROUNDS,  # §37: what is withheld says why
    Outcome.REFUSED: REFUSAL_GROUNDS,
    Outcome.CANNOT: (Ground.NOT_HELD, Ground.NOT_THIS_BODY, Ground.NEEDS_PROCESSING, Ground.UNCLEAR),
    Outcome.NOT_HANDLED: (
        Ground.PETITION,
        Ground.REPEAT,
        Ground.PUBLICATION,
        Ground.EXCESSIVE,
        Ground.CONFIRM_OR_REISSUE,
    ),
    Outcome.OTHER: (Ground.NOT_CORRECTED, Ground.FEE_UNPAID, Ground.SPECIAL_LAW, Ground.OTHER),
}

# Outcomes the officer does not choose: the clock's lapses close a request with them.
LAPSE_GROUNDS = frozenset({Ground.NOT_CORRECTED, Ground.FEE_UNPAID})


class FeeMethod(models.TextChoices):
    """国办函〔2020〕109号: one method per request."""

    NONE = "none", _("No fee")
    BY_COUNT = "by_count", _("By number of requests in the month")  # 按件计收
    BY_PAGES = "by_pages", _("By pages provided")  # 按量计收


class AppealKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")  # 行政复议
    LITIGATION = "litigation", _("Administrative litigation")  # 行政诉讼


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")  # 维持
    CORRECTED = "corrected", _("Corrected")  # 纠正
    OTHER = "other", _("Other result")  # 其他
    PENDING = "pending", _("Not yet concluded")  # 尚未审结


class DataKind(models.TextChoices):
    """What a redacted area held."""

    ID_NUMBER = "id_number", _("ID number")
    MOBILE = "mobile", _("Mobile number")
    NAME = "name", _("Name")
    ADDRESS = "address", _("Address")
    OTHER = "other", _("Other")


class ResponseKind(models.TextChoices):
    """回应解读 (the 2016 report's second table)."""

    PRESS_CONFERENCE = "press_conference", _("Press conference")
    ONLINE_INTERVIEW = "online_interview", _("Online interview on the government website")
    INTERPRETATION = "interpretation", _("Policy interpretation")
    SOCIAL_MEDIA = "social_media", _("Response on Weibo or WeChat")
    OTHER = "other", _("Other response")


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("Work meeting")
    TRAINING = "training", _("Training")


class AlertColour(models.TextChoices):
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class AlertRule(models.TextChoices):
    ITEM_NEAR_DUE = "item_near_due", _("Item near its publication limit")
    ITEM_OVERDUE = "item_overdue", _("Item not published within 20 working days (§26)")
    REPLY_NEAR_DUE = "reply_near_due", _("Reply near its due date")
    REPLY_OVERDUE = "reply_overdue", _("Reply overdue (§33)")
