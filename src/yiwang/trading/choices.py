"""The trading context's pure values (docs/trading.md §1–§3): kinds, methods, evaluation methods and
the project's status. ``models`` re-exports them; other contexts read them from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction tendering")  # 工程建设
    PROCUREMENT = "procurement", _("Government procurement")  # 政府采购
    LAND_MINING = "land_mining", _("Land and mining rights")  # 土地/矿业权
    STATE_PROPERTY = "state_property", _("State-owned property rights")  # 国有产权
    OTHER = "other", _("Other")


class TradingMethod(models.TextChoices):
    OPEN_TENDER = "open_tender", _("Open tender")  # 公开招标
    INVITED_TENDER = "invited_tender", _("Invited tender")  # 邀请招标
    COMPETITIVE_NEGOTIATION = "negotiation", _("Competitive negotiation")  # 竞争性谈判
    COMPETITIVE_CONSULTATION = "consultation", _("Competitive consultation")  # 竞争性磋商
    SINGLE_SOURCE = "single_source", _("Single source")  # 单一来源
    REQUEST_FOR_QUOTATION = "quotation", _("Request for quotation")  # 询价


class EvaluationMethod(models.TextChoices):
    SCORING = "scoring", _("Comprehensive scoring")  # 综合评分法
    LOWEST_PRICE = "lowest_price", _("Lowest evaluated price")  # 经评审的最低投标价法


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    BIDDING = "bidding", _("Open for bids")
    PAUSED = "paused", _("Paused for an objection")
    CLOSED = "closed", _("Bids closed")
    OPENING = "opening", _("Opening")
    OPENED = "opened", _("Opened")
    FAILED = "failed", _("Failed (too few bids)")
    EVALUATING = "evaluating", _("Under evaluation")
    REPORTED = "reported", _("Evaluation reported")
    PUBLICITY = "publicity", _("Candidates published")
    AWARDED = "awarded", _("Awarded")
    CONTRACTED = "contracted", _("Contract signed")
    CANCELLED = "cancelled", _("Cancelled")
    TERMINATED = "terminated", _("Tender terminated")


class KeyPurpose(models.TextChoices):
    BIDDER = "bidder", _("Bidder's key")
    CUSTODIAN = "custodian", _("Opening-key custodian's key")


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Tender documents")  # 招标文件 (with the notice)
    CLARIFICATION = "clarification", _("Clarification")  # 澄清
    AMENDMENT = "amendment", _("Amendment")  # 修改


class BidStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REPLACED = "replaced", _("Replaced")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OPENED = "opened", _("Opened")
    FAILED_BIDDER = "failed_bidder", _("Not decrypted by the bidder (withdrawn)")
    FAILED_PLATFORM = "failed_platform", _("Not decrypted: platform fault")
    RETURNED = "returned", _("Returned unopened (too few bids)")


class ReceiptAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    REPLACE = "replace", _("Replaced")
    WITHDRAW = "withdraw", _("Withdrawn")


# What each ProjectEvent.action reads as on the pages.
EVENT_LABELS = {
    "publish": _("Notice published"),
    "amend": _("Documents clarified or amended"),
    "close": _("Bids closed"),
    "fail": _("Failed: fewer than three bids"),
    "opening_start": _("Opening started"),
    "decrypt": _("Bid decrypted"),
    "platform_fault": _("Platform fault confirmed"),
    "share": _("Custodian's share given"),
    "recover": _("Bids opened with the rebuilt opening key"),
    "opening_conclude": _("Opening record signed"),
    "cancel": _("Cancelled"),
    "terminate": _("Tender terminated"),
    "objection": _("Objection raised: the tender is paused"),
    "objection_answer": _("Objection answered"),
    "resume": _("The tender resumes"),
}


class ObjectionSubject(models.TextChoices):
    DOCUMENTS = "documents", _("The tender documents")  # 招标文件 (招标投标法实施条例 §22)
