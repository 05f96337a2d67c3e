"""The four tables of trading.workflow — the project's, the bid's, the complaint's and the bid security's —
walked completely through the services (tests/workflow_walk.py): one tender taken to its award, then each
step from each status in a transaction rolled back after, at the moment of the tender the step belongs to
(before the deadline, at it, within the decryption window, after it, after the award); a complaint filed
against a published tender, and the winner's security of an awarded one, likewise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from tests.workflow_walk import walk
from yiwang.accounts.models import User
from yiwang.core import crypto
from yiwang.core.errors import Conflict
from yiwang.core.workflow import Workflow
from yiwang.trading import services
from yiwang.trading.models import (
    Bid,
    BidClosing,
    BidSecurity,
    BidStatus,
    Candidate,
    Complaint,
    ComplaintStatus,
    DrawPick,
    KeyShare,
    Lot,
    Objection,
    ObjectionSubject,
    OpeningKey,
    OpeningRecord,
    ProjectKind,
    ProjectStatus,
    QuoteRound,
    SecurityStatus,
    TradingMethod,
    TradingProject,
)
from yiwang.trading.tests.factories import Party, bidder, publish, register, sealed
from yiwang.trading.tests.test_award_notice import awarded  # noqa: F401  (the fixture)
from yiwang.trading.tests.test_draw import pool
from yiwang.trading.tests.test_opening import content_key
from yiwang.trading.workflow import BID, COMPLAINT, PROJECT, SECURITY

pytestmark = pytest.mark.django_db

PRICES = ("18800000.00", "18650000.00", "19010000.00")


@dataclass
class Tender:
    """A tender awarded to its first candidate, with what its parties hold on their own machines, and
    the moments of its life a step is taken at."""

    project: TradingProject
    parties: list[Party]
    bids: list[Bid]
    content_key: str  # the first bid's, as ``yiwang-seal unwrap`` gives it to its bidder
    another: bytes  # a second envelope of the first bidder, for the same lot
    shares: list[tuple[User, str]]  # three custodians with their shares, as ``yiwang-seal share`` gives them
    before: datetime  # open for bids, objections still taken (more than 10 days before the deadline)
    closing: datetime  # just past the deadline
    in_window: datetime  # within the opening's decryption window
    after_window: datetime
    late: datetime  # after the publicity and the award


def tender(centre: dict[str, Any], make_user: Any) -> Tender:
    officer, tenderer = centre["officer"], centre["custodians"][1].user
    project = publish(centre, register(centre))
    parties = [bidder(n) for n in (1, 2, 3)]
    envelopes = [sealed(project, p, price) for p, price in zip(parties, PRICES, strict=True)]
    bids = [
        services.bid_submit(actor=p.user, project=project, lot_number=1, data=e).bid
        for p, e in zip(parties, envelopes, strict=True)
    ]
    assert project.bid_deadline is not None
    deadline = project.bid_deadline
    with time_machine.travel(deadline + timedelta(seconds=1), tick=True):
        services.project_close(actor=officer, project=project)
        opening = services.opening_start(actor=officer, project=project)
        assert opening is not None
        for party, bid, envelope in zip(parties, bids, envelopes, strict=True):
            services.bid_decrypt(actor=party.user, bid=bid, content_key=content_key(party, envelope))
    with time_machine.travel(opening.window_ends + timedelta(seconds=1), tick=True):
        services.opening_conclude(actor=officer, project=project)
        pool(centre, make_user, 7)
        _draw, tokens = services.draw_make(actor=officer, project=project, specialty="building", count=5)
        for token in tokens:
            services.pick_respond(token=token, accept=True)
        services.evaluation_start(actor=officer, project=project)
        services.evaluation_report(actor=officer, project=project)
        for pick in DrawPick.objects.filter(draw__project=project).select_related("expert__user"):
            services.report_sign(actor=pick.expert.user, project=project)
        project = services.candidates_publish(actor=officer, project=project)
    assert project.publicity_until is not None
    with time_machine.travel(project.publicity_until + timedelta(seconds=1), tick=True):
        services.award(actor=tenderer, candidate=Candidate.objects.get(project=project, rank=1))
    project.refresh_from_db()
    assert project.status == ProjectStatus.AWARDED and project.awarded_at is not None
    held = {s.custodian_id: s for s in KeyShare.objects.filter(opening_key__project=project)}
    shares = [
        (c.user, crypto.sm2_decrypt(c.private_key, bytes.fromhex(held[c.user.pk].encrypted)).hex())
        for c in centre["custodians"][:3]
    ]
    return Tender(
        project=project,
        parties=parties,
        bids=bids,
        content_key=content_key(parties[0], envelopes[0]),
        another=sealed(project, parties[0], "18700000.00"),
        shares=shares,
        before=deadline - timedelta(days=15),
        closing=deadline + timedelta(minutes=1),
        in_window=opening.started_at + timedelta(minutes=1),
        after_window=opening.window_ends + timedelta(minutes=1),
        late=project.awarded_at + timedelta(minutes=1),
    )


def _award_again(tenderer: Any, first: Candidate) -> object:
    """The fixture's tender is awarded already: its lot is awarded afresh from the status walked."""
    Candidate.objects.filter(lot=first.lot_id).update(awarded=False)
    return services.award(actor=tenderer, candidate=first)


def test_every_status_and_step_of_the_project_table_through_the_services(
    centre: dict[str, Any], make_user: Any
) -> None:
    """Each step of the project from each status. The opening concludes only while it is under way
    (its own refusal, ``not_opening``, comes before the table's). Objections are not the steps they
    may cause: an answer resumes a paused tender once none is left open and leaves any other status as
    it is (``resume`` walked as quiet), and a further objection to a paused tender is recorded without
    pausing it again — so ``pause`` is walked by hand below, the rest of the table by ``walk``."""
    t = tender(centre, make_user)
    project, officer, tenderer = t.project, centre["officer"], centre["custodians"][1].user
    objector = t.parties[0].user
    first = Candidate.objects.select_related("bid").get(project=project, rank=1)
    assert first.awarded and first.bid.price is not None
    steps: dict[str, Callable[[TradingProject, str | None], object]] = {
        "publish": lambda p, aim: publish(centre, p),
        "amend": lambda p, aim: services.document_amend(
            actor=officer, project=p, kind="clarification", title="澄清一", body="工期见第三章", affects_bids=False
        ),
        "pause": lambda p, aim: services.objection_raise(actor=objector, project=p, text="评分标准排斥潜在投标人。"),
        "resume": lambda p, aim: services.objection_answer(
            actor=tenderer, objection=Objection.objects.get(project=p, answered_at=None), answer="不予修改。"
        ),
        "close": lambda p, aim: services.project_close(actor=officer, project=p),
        "opening_start": lambda p, aim: services.opening_start(actor=officer, project=p),
        "opening_conclude": lambda p, aim: services.opening_conclude(actor=officer, project=p),
        "evaluate": lambda p, aim: services.evaluation_start(actor=officer, project=p),
        "report": lambda p, aim: services.evaluation_report(actor=officer, project=p),
        "publicise": lambda p, aim: services.candidates_publish(actor=officer, project=p),
        "deliver": lambda p, aim: services.report_deliver(actor=officer, project=p),
        "quote_call": lambda p, aim: services.quote_round_call(
            actor=officer, project=p, deadline=timezone.now() + timedelta(hours=2), note="最后报价"
        ),
        "quote_conclude": lambda p, aim: services.quote_round_conclude(actor=officer, project=p),
        "award": lambda p, aim: _award_again(tenderer, first),
        "award_void": lambda p, aim: services.award_void(actor=tenderer, candidate=first, reason="中标人放弃中标"),
        "contract": lambda p, aim: services.contract_sign(
            actor=tenderer, project=p, amount=str(first.bid.price), signed_on=timezone.localdate()
        ),
        "cancel": lambda p, aim: services.project_cancel(actor=officer, project=p, reason="立项批复撤销"),
        "terminate": lambda p, aim: services.project_terminate(actor=tenderer, project=p, reason="建设计划调整"),
    }
    when = {
        "publish": t.before,
        "amend": t.before,
        "pause": t.before,
        "resume": t.before,
        "close": t.closing,
        "opening_start": t.closing,
        "opening_conclude": t.after_window,
        "evaluate": t.late,
        "report": t.late,
        "publicise": t.late,
        "deliver": t.late,
        "quote_call": t.late,
        "quote_conclude": t.late,
        "award": t.late,
        "award_void": t.late,
        "contract": t.late,
        "cancel": t.before,
        "terminate": t.before,
    }

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                TradingProject.objects.filter(pk=project.pk).update(status=status)
                if action == "publish":  # the key is made at the publishing
                    OpeningKey.objects.filter(project=project).delete()
                if action == "close":
                    BidClosing.objects.filter(project=project).delete()
                if action == "opening_start":  # three bids to open, or one alone
                    OpeningRecord.objects.filter(project=project).delete()
                    Bid.objects.filter(project=project).update(status=BidStatus.SUBMITTED)
                    if aim == ProjectStatus.FAILED:
                        Bid.objects.filter(pk__in=[b.pk for b in t.bids[1:]]).update(status=BidStatus.WITHDRAWN)
                if action == "resume":
                    Objection.objects.create(
                        project=project, subject=ObjectionSubject.DOCUMENTS, raised_by=objector,
                        text="工期要求不合理。", answer_due=when[action] + timedelta(days=3),
                    )  # fmt: skip
                procurement = action == "deliver" or (action == "award_void" and aim == ProjectStatus.DELIVERED)
                negotiation = action in ("quote_call", "quote_conclude") or (
                    action == "report" and aim == ProjectStatus.FAILED
                )
                if procurement or negotiation:  # the steps of government procurement, on the same project
                    TradingProject.objects.filter(pk=project.pk).update(kind=ProjectKind.PROCUREMENT)
                if procurement:  # … whose report went to the purchaser, no candidates published
                    TradingProject.objects.filter(pk=project.pk).update(publicity_from=None, delivered_at=when[action])
                if negotiation:  # … by negotiation: a round under way to conclude, or one no supplier quoted in
                    TradingProject.objects.filter(pk=project.pk).update(method=TradingMethod.COMPETITIVE_NEGOTIATION)
                    if action != "quote_call":
                        QuoteRound.objects.create(
                            project=project, number=1, deadline=when[action] - timedelta(hours=1), called_by=officer,
                            concluded_at=when[action] - timedelta(minutes=1) if action == "report" else None,
                        )  # fmt: skip
                with time_machine.travel(when[action], tick=True):
                    steps[action](TradingProject.objects.get(pk=project.pk), aim)
                return TradingProject.objects.get(pk=project.pk).status
            finally:
                transaction.set_rollback(True)

    assert set(steps) == set(when) == set(PROJECT.actions)
    without_pause = Workflow(
        PROJECT.statuses, [row for row in PROJECT if row.action != "pause"], refusal=PROJECT.refusal
    )
    walk(
        without_pause,
        ProjectStatus.values,
        run,
        code="project_status",
        codes={"opening_conclude": "not_opening"},
        quiet={"resume"},
    )
    for status in ProjectStatus.values:
        if PROJECT.allows(status, "pause"):
            for aim in PROJECT.transition("pause").lands(status):
                assert run(status, "pause", aim) == aim
        elif status == ProjectStatus.PAUSED:  # not the table's refusal: objection_raise lets a paused tender be
            assert run(status, "pause", None) == status  # objected to again, and leaves it paused
        else:
            with pytest.raises(Conflict) as refused:
                run(status, "pause", None)
            assert refused.value.code == "project_status", (status, refused.value.message)


def test_every_status_and_step_of_the_bid_table_through_the_services(centre: dict[str, Any], make_user: Any) -> None:
    """Each step of the first bid from each status. Replacing and returning pick the bids that are
    live, so from any other status they pass the bid by (quiet: a new bid is taken, the lot fails); the
    custodians open only after a platform fault, so without a bid it struck they are refused
    (``no_platform_fault``). A bidder's failure to decrypt is recorded at the conclusion of the
    opening, a platform fault by the supervisor within the window."""
    t = tender(centre, make_user)
    project, officer, supervisor = t.project, centre["officer"], centre["supervisor"]
    bid, others, owner = t.bids[0], t.bids[1:], t.parties[0].user

    def recover() -> None:
        for custodian, share in t.shares:
            services.share_submit(actor=custodian, project=project, share=share)

    steps: dict[str, Callable[[Bid, str | None], object]] = {
        "replace": lambda b, aim: services.bid_submit(actor=owner, project=b.project, lot_number=1, data=t.another),
        "withdraw": lambda b, aim: services.bid_withdraw(actor=owner, bid=b),
        "decrypt": lambda b, aim: services.bid_decrypt(actor=owner, bid=b, content_key=t.content_key),
        "decrypt_fail": lambda b, aim: (
            services.opening_conclude(actor=officer, project=b.project)
            if aim == BidStatus.FAILED_BIDDER
            else services.opening_platform_fault(actor=supervisor, project=b.project, bids=[b], note="开标系统中断")
        ),
        "recover": lambda b, aim: recover(),
        "return": lambda b, aim: services.opening_start(actor=officer, project=b.project),
    }
    stage = {  # the project's status for the step, and the moment it is taken at
        "replace": (ProjectStatus.BIDDING, t.before),
        "withdraw": (ProjectStatus.BIDDING, t.before),
        "decrypt": (ProjectStatus.OPENING, t.in_window),
        "decrypt_fail": (ProjectStatus.OPENING, t.in_window),
        "recover": (ProjectStatus.OPENING, t.in_window),
        "return": (ProjectStatus.CLOSED, t.closing),
    }

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                project_status, moment = stage[action]
                if aim == BidStatus.FAILED_BIDDER:  # the window over without the bidder's key
                    moment = t.after_window
                TradingProject.objects.filter(pk=project.pk).update(status=project_status)
                Bid.objects.filter(pk=bid.pk).update(status=status)
                # The other two opened — or, for the opening to fail the lot, withdrawn.
                withdrawn = action == "return"
                Bid.objects.filter(pk__in=[b.pk for b in others]).update(
                    status=BidStatus.WITHDRAWN if withdrawn else BidStatus.OPENED
                )
                if action == "return":
                    OpeningRecord.objects.filter(project=project).delete()
                with time_machine.travel(moment, tick=True):
                    steps[action](Bid.objects.get(pk=bid.pk), aim)
                return Bid.objects.get(pk=bid.pk).status
            finally:
                transaction.set_rollback(True)

    assert set(steps) == set(stage) == set(BID.actions)
    walk(
        BID,
        BidStatus.values,
        run,
        code="bid_status",
        codes={"recover": "no_platform_fault"},
        quiet={"replace", "return"},
    )


def test_every_status_and_step_of_the_complaint_table_through_the_services(centre: dict[str, Any]) -> None:
    """Each step of one complaint from each status: the supervisor of the project's supervising department
    accepts, refuses and decides it, the complainant withdraws it. Every service asks the table before
    anything else that could refuse a well-formed step, so no step has a code of its own."""
    project = publish(centre, register(centre))
    supervisor, complainant = centre["supervisor"], bidder(1).user
    complaint = services.complaint_file(
        actor=complainant, project=project, subject="other", request="确认开标程序违法。",
        grounds="开标时间与招标公告不符。", known_on=timezone.localdate(),
    )  # fmt: skip
    assert complaint.status == ComplaintStatus.FILED
    steps: dict[str, Callable[[Complaint], object]] = {
        "accept": lambda c: services.complaint_accept(actor=supervisor, complaint=c),
        "refuse": lambda c: services.complaint_refuse(actor=supervisor, complaint=c, reason="投诉事项尚未发生。"),
        "decide": lambda c: services.complaint_decide(
            actor=supervisor, complaint=c, outcome="dismissed", decision="投诉缺乏事实根据，予以驳回。"
        ),
        "withdraw": lambda c: services.complaint_withdraw(actor=complainant, complaint=c),
    }
    assert set(steps) == set(COMPLAINT.actions)

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                Complaint.objects.filter(pk=complaint.pk).update(status=status)
                steps[action](Complaint.objects.get(pk=complaint.pk))
                return Complaint.objects.get(pk=complaint.pk).status
            finally:
                transaction.set_rollback(True)

    walk(COMPLAINT, ComplaintStatus.values, run, code="complaint_status")


def test_every_status_and_step_of_the_security_table_through_the_services(
    awarded: dict[str, Any],  # noqa: F811
) -> None:
    """Each step of the awarded winner's security from each status, its project AWARDED. A refund needs
    the security released first (else ``security_held``, asked after the table): the contract is signed
    in the same transaction to release it. Forfeiting is for the winner of an awarded project only (else
    ``forfeit_not_allowed``, also asked after the table): the security walked is the winner's."""
    project, officer, tenderer = awarded["project"], awarded["officer"], awarded["tenderer"]
    assert project.status == ProjectStatus.AWARDED and project.bid_deadline is not None
    first = Candidate.objects.select_related("bid").get(project=project, awarded=True)
    assert first.bid.bidder_id == awarded["winner"].pk and first.bid.price is not None
    # Recorded before the deadline (written here directly, as test_securities does: the tender is past it).
    security = BidSecurity.objects.create(
        lot=Lot.objects.get(project=project), bidder=awarded["winner"], amount="390000.00", form="guarantee",
        reference="BH-2026-0001", received_at=project.bid_deadline - timedelta(days=1), recorded_by=officer,
    )  # fmt: skip

    def refund(s: BidSecurity) -> object:
        services.contract_sign(
            actor=tenderer, project=project, amount=str(first.bid.price), signed_on=timezone.localdate()
        )
        s.refresh_from_db()
        assert (s.refund_due is not None) == (s.status == SecurityStatus.HELD)  # the contract released it
        return services.security_refund(actor=officer, security=s, interest="312.50")

    steps: dict[str, Callable[[BidSecurity], object]] = {
        "refund": refund,
        "forfeit": lambda s: services.award_void(actor=tenderer, candidate=first, reason="中标人拒绝签订合同"),
    }
    assert set(steps) == set(SECURITY.actions)

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                BidSecurity.objects.filter(pk=security.pk).update(status=status)
                steps[action](BidSecurity.objects.get(pk=security.pk))
                return BidSecurity.objects.get(pk=security.pk).status
            finally:
                transaction.set_rollback(True)

    # Voiding the award forfeits the winner's security if it is still held, and leaves any other as it is.
    walk(SECURITY, SecurityStatus.values, run, code="security_status", quiet={"forfeit"})
