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
    DELIVERED = "delivered", _("Report with the purchaser")  # 政府采购: 报送采购人 (政府采购法实施条例 §43)
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
    "invite": _("Invitations made"),
    "publish": _("Notice published"),
    "amend": _("Documents clarified or amended"),
    "close": _("Bids closed"),
    "fail": _("Failed: too few bids"),
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
    "draw": _("Experts drawn"),
    "draw_replace": _("A declining expert replaced"),
    "draw_short": _("No expert left to replace a decline"),
    "evaluate": _("Evaluation started"),
    "report": _("Evaluation report made"),
    "publicise": _("Candidates published"),
    "award": _("Award decided"),
    "award_lot": _("A lot awarded"),
    "award_void": _("The winner declined: the award is void"),
    "contract": _("Contract recorded"),
    "contract_lot": _("A lot's contract recorded"),
    "complaint": _("Complaint filed with the supervisor"),
    "complaint_accept": _("Complaint accepted"),
    "complaint_refuse": _("Complaint not accepted"),
    "complaint_withdraw": _("Complaint withdrawn"),
    "complaint_decide": _("Complaint decided"),
    "suspend": _("Suspended by the supervisor"),
    "lift": _("Suspension lifted"),
    "security_forfeit": _("The winner's bid security forfeited"),
    "deliver": _("Evaluation report delivered to the purchaser"),
    "single_source": _("Single-source procurement published"),
    "negotiate": _("Negotiation with a supplier recorded"),
    "quote_call": _("Final quotes called"),
    "quote_conclude": _("Final quotes opened"),
}


class ObjectionSubject(models.TextChoices):
    DOCUMENTS = "documents", _("The tender documents")  # 招标文件 (招标投标法实施条例 §22)
    CANDIDATES = "candidates", _("The candidates")  # 评标结果 (招标投标法实施条例 §54)
    OPENING = "opening", _("The opening")  # raised at the opening, answered there (招标投标法实施条例 §44)
    SINGLE_SOURCE = "single_source", _("The single-source publicity")  # 财政部令第74号 §39


class Specialty(models.TextChoices):
    """评标专业 of the expert pool (a short list; a real pool follows the province's classification)."""

    BUILDING = "building", _("Building construction")  # 房屋建筑
    CIVIL = "civil", _("Municipal and civil engineering")  # 市政公用
    INSTALLATION = "installation", _("Mechanical and electrical installation")  # 机电安装
    COST = "cost", _("Construction cost")  # 工程造价
    IT = "it", _("Information technology")  # 信息技术
    GOODS = "goods", _("General goods")  # 通用货物
    SERVICES = "services", _("Services")  # 服务
    LAW = "law", _("Law")  # 法律
    FINANCE = "finance", _("Finance and accounting")  # 财务


class RelationKind(models.TextChoices):
    """What an expert declares that may require recusal (招标投标法实施条例 §46; 政府采购法实施条例 §9)."""

    FORMER_EMPLOYER = "former_employer", _("Former employer")  # the relation ends at ``until``
    RELATIVE = "relative", _("Close relative among a company's key staff")
    INTEREST = "interest", _("Economic interest in a company")


class ExclusionReason(models.TextChoices):
    SANCTIONED = "sanctioned", _("Under sanction for bidding offences")
    UNAVAILABLE = "unavailable", _("Not available")
    UNREACHABLE = "unreachable", _("No mobile number to be told")
    BIDDER_EMPLOYEE = "bidder_employee", _("Works for a bidder")
    FORMER_EMPLOYEE = "former_employee", _("Worked for a bidder within 3 years")
    RELATIVE = "relative", _("Close relative of a bidder's key staff")
    INTEREST = "interest", _("Economic interest in a bidder")
    SUPERVISOR_STAFF = "supervisor_staff", _("Staff of the supervising department")
    TENDERER_STAFF = "tenderer_staff", _("Staff of the tenderer")
    ALREADY_DRAWN = "already_drawn", _("Already drawn for this project")


class PickStatus(models.TextChoices):
    NOTIFIED = "notified", _("Notified")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class CriterionKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    COMMERCIAL = "commercial", _("Commercial")
    PRICE = "price", _("Price")  # computed from the prices, never typed by an expert


class SingleSourceGround(models.TextChoices):
    """Why one supplier (政府采购法 §31)."""

    SOLE_SUPPLIER = "sole_supplier", _("Only one supplier can supply")  # (一): published first (实施条例 §38)
    EMERGENCY = "emergency", _("An unforeseeable emergency")  # (二)
    CONTINUATION = "continuation", _("Additions to an earlier contract, at most 10% of it")  # (三)


class QuoteStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Sealed")
    OPENED = "opened", _("Opened")
    LAPSED = "lapsed", _("Not opened in time (withdrawn from the round)")


class ComplaintStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Not accepted")  # 不予受理
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ComplaintSubject(models.TextChoices):
    """What a complaint is about; the first two need an objection to the tenderer first (招标投标法实施条例
    §60 ¶2, for the matters of §22 and §54)."""

    DOCUMENTS = "documents", _("The tender documents")
    CANDIDATES = "candidates", _("The evaluation result")
    OPENING = "opening", _("The opening")
    AWARD = "award", _("The award or the contract")
    OTHER = "other", _("Other breaches of the law")


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")  # 投诉成立
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    DISMISSED = "dismissed", _("Dismissed")  # 投诉不成立, 驳回


class SecurityForm(models.TextChoices):
    """How a bid security was given (招标投标法实施条例 §26: cash or cheque from the basic account;
    政府采购法实施条例 §33: procurement takes no cash)."""

    TRANSFER = "transfer", _("Transfer from the basic account")
    CHEQUE = "cheque", _("Cheque or draft")
    GUARANTEE = "guarantee", _("Bank or guarantor's letter of guarantee")
    INSURANCE = "insurance", _("Surety insurance")


class SecurityStatus(models.TextChoices):
    HELD = "held", _("Held")
    REFUNDED = "refunded", _("Refunded")
    FORFEITED = "forfeited", _("Forfeited")


class AlertRule(models.TextChoices):
    """What the e-supervision sweep looks for (docs/trading.md §9)."""

    SAME_DIGEST = "same_digest", _("Sealed files of different bidders are identical")
    SAME_ADDRESS = "same_address", _("Bids of different bidders from one address")
    SAME_DEVICE = "same_device", _("Bids of different bidders from one device")
    SAME_PRICE = "same_price", _("Identical prices from different bidders")
    PRICE_PATTERN = "price_pattern", _("Prices in a fixed ratio or step")
    REPEATED_EXPERT = "repeated_expert", _("An expert drawn repeatedly for one tenderer")
    LATE_STEP = "late_step", _("A step later than the law allows")


class AlertColour(models.TextChoices):
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")
