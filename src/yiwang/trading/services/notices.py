"""The notice with the tender documents, and the clarifications and amendments after it (TBL §16, §23,
§24; TBL-R §16, §21): periods checked against the law, the deadline moved where the law moves it, every
version kept with its SM3 digest. Publishing makes the project's opening key and shares it out."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import can
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.crypto import shares_split, sm2_encrypt, sm2_key_fingerprint, sm2_key_pair, sm3_hex
from yiwang.core.errors import Conflict, ValidationFailed, raise_problems
from yiwang.core.fields import Problem, text_problems
from yiwang.core.uploads import upload_checked, upload_problem
from yiwang.trading import rules
from yiwang.trading.models import (
    DocumentKind,
    EvaluationMethod,
    KeyPurpose,
    KeyShare,
    OpeningKey,
    PartyKey,
    ProjectKind,
    TenderDocument,
    TradingMethod,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of
from yiwang.trading.selectors import supervises
from yiwang.trading.services._common import event_record, is_tenderer, operator_authorize, project_locked
from yiwang.trading.services.single_source import single_source_problems
from yiwang.trading.workflow import PROJECT

if TYPE_CHECKING:
    from yiwang.accounts.models import User

MIN_CUSTODIANS, MAX_CUSTODIANS, MIN_THRESHOLD = 3, 9, 3


def _document_problems(title: str, body: str, upload: UploadedFile[bytes] | None) -> list[Problem]:
    problems = text_problems(title, "title", max_length=200, required=True)
    problems += text_problems(body, "body", max_length=50_000, required=True, multiline=True)
    if upload is not None and (problem := upload_problem(upload)):
        problems.append(("file", problem))
    return problems


def _document_add(
    project: TradingProject,
    *,
    actor: User,
    kind: str,
    title: str,
    body: str,
    upload: UploadedFile[bytes] | None,
    affects_bids: bool = False,
    deadline_before: datetime | None = None,
) -> TenderDocument:
    """The next version; its digest covers the text and the file, as published."""
    last = project.documents.order_by("-version").values_list("version", flat=True).first() or 0
    checked = upload_checked(upload) if upload is not None else None
    digest = sm3_hex(body.strip().encode() + b"\x00" + (checked.digest if checked else "").encode())
    document = TenderDocument(
        project=project,
        version=last + 1,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        sm3=digest,
        affects_bids=affects_bids,
        deadline_before=deadline_before,
        deadline_after=project.bid_deadline,
        published_by=actor,
        file_name=checked.name if checked else "",
    )
    if upload is not None and checked is not None:
        document.file.save(checked.name, upload, save=False)
    document.save()
    return document


def _custodian_side(user: User, project: TradingProject) -> str:
    """Which party a custodian stands for: the centre, the supervisor, the tenderer — or an outside
    arbiter (a notary, an expert): all arbiters count as one side, the cautious reading."""
    if can(user, {Role.TRADING_OFFICER}, region=project.region):
        return "centre"
    if supervises(user, project):
        return "supervisor"
    if is_tenderer(user, project):
        return "tenderer"
    return "arbiter"


def _custodian_keys(
    project: TradingProject, custodians: list[User], threshold: int
) -> tuple[list[Problem], list[PartyKey]]:
    """Each custodian's live key, under the rules that keep any one party from opening the bids
    (docs/trading.md §5): 3 to 9 distinct accounts, 3 ≤ k ≤ n, the supervisor and the tenderer each
    among them, and no side — the centre, the supervisor, the tenderer, the arbiters — holding k shares."""
    if not MIN_CUSTODIANS <= len(custodians) <= MAX_CUSTODIANS:
        return [("custodians", _("Name between 3 and 9 custodians of the opening key."))], []
    if len({c.pk for c in custodians}) != len(custodians):
        return [("custodians", _("Each custodian holds one share: name each account once."))], []
    if not MIN_THRESHOLD <= threshold <= len(custodians):
        return [("threshold", _("The shares needed must be at least 3 and at most the number of custodians."))], []
    sides = Counter(_custodian_side(c, project) for c in custodians)
    if not sides["supervisor"] or not sides["tenderer"]:
        return [("custodians", _("The supervising department and the tenderer each keep a share."))], []
    if max(sides.values()) >= threshold:
        return [
            (
                "custodians",
                _("One side holds %(n)d shares, enough to open the bids alone: fewer, or raise the shares needed.")
                % {"n": max(sides.values())},
            )
        ], []
    keys = {
        k.owner_id: k
        for k in PartyKey.objects.filter(owner__in=custodians, purpose=KeyPurpose.CUSTODIAN, revoked_at__isnull=True)
    }
    missing = [c for c in custodians if c.pk not in keys]
    if missing:
        names = "、".join(c.get_full_name() for c in missing)
        return [("custodians", _("These custodians have no registered key yet: %(names)s.") % {"names": names})], []
    return [], [keys[c.pk] for c in custodians]


def share_commitment(index: int, share: bytes) -> str:
    """What a given share is checked against: SM3 of its index (one byte) and its 32 bytes."""
    return sm3_hex(bytes([index]) + share)


def _opening_key_make(project: TradingProject, keys: list[PartyKey], threshold: int) -> OpeningKey:
    """The project's opening key pair; the private half is split at once, each share encrypted to its
    custodian's key, and only the public half and the encrypted shares are kept (docs/trading.md §5)."""
    private, public = sm2_key_pair()
    shares = shares_split(bytes.fromhex(private), threshold=threshold, count=len(keys))
    del private
    opening_key = OpeningKey.objects.create(
        project=project, public_key=public, fingerprint=sm2_key_fingerprint(public), threshold=threshold
    )
    KeyShare.objects.bulk_create(
        KeyShare(
            opening_key=opening_key,
            index=index,
            custodian_id=key.owner_id,
            custodian_key=key,
            encrypted=sm2_encrypt(key.public_key, share).hex(),
            commitment=share_commitment(index, share),
        )
        for (index, share), key in zip(shares, keys, strict=True)
    )
    return opening_key


def _period_problems(
    project: TradingProject, documents_from: date, documents_until: date, deadline: datetime
) -> list[Problem]:
    """The periods the law sets (docs/trading.md §4), each refusal naming its article."""
    problems: list[Problem] = []
    procedure = procedure_of(project.method)
    today = timezone.localdate()
    if documents_from < today:
        problems.append(("documents_from", _("The documents cannot be issued from a day already past.")))
    if documents_until < documents_from or timezone.localdate(deadline) < documents_until:
        problems.append(
            ("documents_until", _("The documents are issued from the first day to the last, before the deadline."))
        )
    elif (procedure.sale_working_days or (procedure.tender and project.kind == ProjectKind.PROCUREMENT)) and (
        short := rules.procurement_sale_shortfall(documents_from, documents_until)
    ):
        problems.append(
            (
                "documents_until",
                _("The documents must be available for at least 5 working days (政府采购法实施条例 §31); %(n)d short.")
                % {"n": short},
            )
        )
    elif procedure.tender and (short := rules.document_sale_shortfall(documents_from, documents_until)):
        problems.append(
            (
                "documents_until",
                _("The documents must be available for at least 5 days (招标投标法实施条例 §16); %(n)d short.")
                % {"n": short},
            )
        )
    if not procedure.tender:
        if short := rules.response_period_shortfall(procedure, documents_from, deadline):
            message = (
                _(
                    "At least %(days)d working days must pass from the first day the documents are issued to the "
                    "deadline (%(article)s); %(n)d short."
                )
                if procedure.response_working
                else _(
                    "At least %(days)d days must pass from the first day the documents are issued to the deadline "
                    "(%(article)s); %(n)d short."
                )
            )
            problems.append(
                (
                    "bid_deadline",
                    message % {"days": procedure.response_days, "article": procedure.response_article, "n": short},
                )
            )
    elif short := rules.bidding_period_shortfall(documents_from, deadline):
        problems.append(
            (
                "bid_deadline",
                _(
                    "At least 20 days must pass from the first day the documents are issued to the deadline "
                    "(招标投标法 §24); %(n)d short."
                )
                % {"n": short},
            )
        )
    return problems


def _invitation_problems(project: TradingProject) -> list[Problem]:
    """The invited suppliers a method needs before its notice: three or more for an invited tender and
    the non-tender methods (招标投标法 §17; 政府采购法 §34, §38, §40), the one supplier for a single source,
    published for five working days with no objection unanswered (政府采购法实施条例 §38)."""
    procedure = procedure_of(project.method)
    if not procedure.invited_min:
        return []
    if project.method == TradingMethod.SINGLE_SOURCE:
        return single_source_problems(project)
    if project.invitations.count() < procedure.invited_min:
        return [
            ("invitations", _("Invite at least three (招标投标法 §17; 政府采购法 §34, §38, §40) before the notice."))
        ]
    return []


@transaction.atomic
def notice_publish(
    *,
    actor: User,
    project: TradingProject,
    title: str,
    body: str,
    documents_from: date,
    documents_until: date,
    bid_deadline: datetime,
    custodians: list[User],
    threshold: int,
    upload: UploadedFile[bytes] | None = None,
) -> TenderDocument:
    """招标公告 with the documents (version 1): the bidding period starts; the opening key is made and
    shared k of n among the custodians."""
    operator_authorize(actor, project)
    project = project_locked(project)
    before = project.status
    project.status = PROJECT.target(project.status, "publish")
    if timezone.is_naive(bid_deadline):
        raise ValidationFailed(_("The deadline needs its time zone."), code="invalid")
    problems = _document_problems(title, body, upload)
    problems += _period_problems(project, documents_from, documents_until, bid_deadline)
    key_problems, keys = _custodian_keys(project, custodians, threshold)
    if project.evaluation_method == EvaluationMethod.SCORING and not project.criteria.exists():
        problems.append(
            ("criteria", _("Comprehensive scoring publishes its criteria with the documents: set them first."))
        )
    problems += _invitation_problems(project)
    raise_problems(problems + key_problems)
    project.documents_from, project.documents_until = documents_from, documents_until
    project.bid_deadline = bid_deadline.replace(microsecond=0)
    project.published_at = timezone.now()
    project.save(update_fields=["status", "documents_from", "documents_until", "bid_deadline", "published_at"])
    opening_key = _opening_key_make(project, keys, threshold)
    document = _document_add(project, actor=actor, kind=DocumentKind.DOCUMENT, title=title, body=body, upload=upload)
    event_record(project, "publish", actor=actor, before=before, note=title)
    audit_record(
        actor=actor,
        action="trading.notice_publish",
        target=project,
        changes={
            "deadline": project.bid_deadline.isoformat(),
            "document_sm3": document.sm3,
            "opening_key": opening_key.fingerprint,
            "shares": f"{threshold}/{len(keys)}",
        },
    )
    return document


@transaction.atomic
def document_amend(
    *,
    actor: User,
    project: TradingProject,
    kind: str,
    title: str,
    body: str,
    affects_bids: bool,
    upload: UploadedFile[bytes] | None = None,
) -> TenderDocument:
    """澄清或者修改 (TBL §23; TBL-R §21): a new version for every bidder; one that may affect the bids and
    comes fewer than 15 days before the deadline moves the deadline to 15 days after it."""
    operator_authorize(actor, project)
    project = project_locked(project, while_suspended=True)
    PROJECT.require(project.status, "amend")
    if kind not in (DocumentKind.CLARIFICATION, DocumentKind.AMENDMENT):
        raise ValidationFailed(_("Choose clarification or amendment."), code="invalid")
    raise_problems(_document_problems(title, body, upload))
    now = timezone.now()
    assert project.bid_deadline is not None  # a published project has its deadline
    if now >= project.bid_deadline:
        raise Conflict(_("The deadline has passed; the documents can no longer change."), code="deadline_passed")
    before = project.bid_deadline
    moved = before
    if affects_bids:
        moved = rules.clarification_deadline(procedure_of(project.method), now, before).replace(microsecond=0)
    if moved != before:
        moved = max(moved, before)
        project.bid_deadline = moved
        project.save(update_fields=["bid_deadline"])
    document = _document_add(
        project,
        actor=actor,
        kind=kind,
        title=title,
        body=body,
        upload=upload,
        affects_bids=affects_bids,
        deadline_before=before,
    )
    note = title if moved == before else f"{title}（{_('deadline moved')}：{timezone.localtime(moved):%Y-%m-%d %H:%M}）"
    event_record(project, "amend", actor=actor, before=project.status, note=note)
    audit_record(
        actor=actor,
        action="trading.document_amend",
        target=project,
        changes={"version": document.version, "kind": kind, "deadline": moved.isoformat(), "sm3": document.sm3},
    )
    return document
