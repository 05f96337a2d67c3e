"""The non-tender methods of government procurement (docs/trading.md §4a): who may use them, their
periods, their panels, the sealed final quotes of 竞争性谈判 (政府采购法 §38), the single source published
first (政府采购法实施条例 §38), the request for quotation's one price (§40), and the procurement's own path
after the report (实施条例 §43, §50) — through the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests.workflow_walk import walk
from yiwang.accounts.models import User
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.trading import rules, services
from yiwang.trading.models import (
    Alert,
    Candidate,
    DrawPick,
    FinalQuote,
    Lot,
    ProjectEvent,
    ProjectKind,
    ProjectStatus,
    QuoteRound,
    QuoteStatus,
    TradingProject,
)
from yiwang.trading.selectors import final_prices
from yiwang.trading.services.supervision import supervise
from yiwang.trading.tests.factories import Party, bidder, publish, register, sealed, sealed_quote
from yiwang.trading.tests.ocds_check import ocds_review
from yiwang.trading.tests.test_draw import pool
from yiwang.trading.tests.test_opening import content_key
from yiwang.trading.workflow import QUOTE

pytestmark = pytest.mark.django_db

FIRST = ("1200000.00", "1180000.00", "1250000.00")


def _register(centre: dict[str, Any], method: str, evaluation: str = "lowest_price") -> TradingProject:
    return register(
        centre,
        kind=ProjectKind.PROCUREMENT,
        method=method,
        evaluation_method=evaluation,
        title="示范市政务云服务采购",
        budget="1300000.00",
        lots=[services.LotIn("云服务", "1300000.00", "0")],
    )


def _deadline_after(working_days: int) -> datetime:
    day = rules.working_day_due(timezone.localdate(), working_days)
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _invite(centre: dict[str, Any], project: TradingProject, parties: list[Party]) -> None:
    services.invitations_make(actor=centre["officer"], project=project, companies=[p.user for p in parties])


def _publish(centre: dict[str, Any], project: TradingProject, working_days: int = 3) -> TradingProject:
    deadline = _deadline_after(working_days)
    return publish(
        centre,
        project,
        title="竞争性谈判公告",
        documents_from=timezone.localdate(),
        documents_until=timezone.localdate(deadline),
        bid_deadline=deadline,
    )


def test_the_non_tender_methods_are_procurement_s_own_and_evaluate_their_own_way(procurement: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as construction:
        register(procurement, method="negotiation")
    assert construction.value.details["errors"][0]["field"] == "method"
    assert "§26" in str(construction.value.details) or "第二十六条" in str(construction.value.details)
    with pytest.raises(ValidationFailed) as scored:
        _register(procurement, "negotiation", "scoring")
    assert scored.value.details["errors"][0]["field"] == "evaluation_method"
    with pytest.raises(ValidationFailed):
        _register(procurement, "consultation", "lowest_price")
    assert _register(procurement, "consultation", "scoring").method == "consultation"


def test_a_negotiation_invites_three_and_gives_three_working_days(procurement: dict[str, Any]) -> None:
    """政府采购法 §38(3): three or more suppliers; 财政部令第74号 §29: three working days from the documents
    to the first responses, counted on the working-day calendar — not the tender's twenty days."""
    project = _register(procurement, "negotiation")
    parties = [bidder(n) for n in (1, 2, 3)]
    with pytest.raises(ValidationFailed) as uninvited:
        _publish(procurement, project)
    assert "invitations" in {e["field"] for e in uninvited.value.details["errors"]}
    _invite(procurement, project, parties)
    with pytest.raises(ValidationFailed) as short:
        _publish(procurement, project, working_days=2)
    errors = {e["field"]: e["message"] for e in short.value.details["errors"]}
    assert "74" in errors["bid_deadline"] and ("3" in errors["bid_deadline"] or "三" in errors["bid_deadline"])
    project = _publish(procurement, project, working_days=3)
    assert project.status == ProjectStatus.BIDDING
    outsider = bidder(4)
    with pytest.raises(PermissionDenied) as refused:
        services.bid_submit(actor=outsider.user, project=project, lot_number=1, data=sealed(project, outsider, "1.00"))
    assert refused.value.code == "not_invited"


@dataclass
class Negotiation:
    project: TradingProject
    parties: list[Party]
    bids: list[Any]
    clock: Any  # a running time_machine travel past the opening; stopped by the test


def negotiating(
    procurement: dict[str, Any], make_user: Callable[..., User], method: str = "negotiation"
) -> Negotiation:
    """A negotiation with three opened responses and a confirmed panel of three, under evaluation."""
    officer = procurement["officer"]
    project = _register(procurement, method)
    parties = [bidder(n) for n in (1, 2, 3)]
    _invite(procurement, project, parties)
    project = _publish(procurement, project)
    envelopes = [sealed(project, p, price) for p, price in zip(parties, FIRST, strict=True)]
    bids = [
        services.bid_submit(actor=p.user, project=project, lot_number=1, data=e).bid
        for p, e in zip(parties, envelopes, strict=True)
    ]
    assert project.bid_deadline is not None
    clock = time_machine.travel(project.bid_deadline + timedelta(seconds=1), tick=True)
    clock.start()
    services.projects_close_due()
    opening = services.opening_start(actor=officer, project=project)
    assert opening is not None
    for party, bid, envelope in zip(parties, bids, envelopes, strict=True):
        services.bid_decrypt(actor=party.user, bid=bid, content_key=content_key(party, envelope))
    clock.stop()
    clock = time_machine.travel(opening.window_ends + timedelta(seconds=1), tick=True)
    clock.start()
    services.opening_conclude(actor=officer, project=project)
    pool(procurement, make_user, 5)
    with pytest.raises(ValidationFailed):  # a panel is odd: three, not four
        services.draw_make(actor=officer, project=project, specialty="building", count=4)
    _draw, tokens = services.draw_make(actor=officer, project=project, specialty="building", count=3)
    for token in tokens:
        services.pick_respond(token=token, accept=True)
    services.evaluation_start(actor=officer, project=project)
    project.refresh_from_db()
    for bid in bids:
        bid.refresh_from_db()
    return Negotiation(project, parties, bids, clock)


def _quote(n: Negotiation, index: int, price: str) -> tuple[FinalQuote, str]:
    party = n.parties[index]
    quote_round = QuoteRound.objects.get(project=n.project, concluded_at=None)
    envelope = sealed_quote(quote_round, party, price)
    quote = services.final_quote_submit(actor=party.user, bid=n.bids[index], data=envelope)
    return quote, content_key(party, envelope)


def test_a_negotiation_ranks_the_sealed_final_quotes_and_the_purchaser_awards_at_once(
    procurement: dict[str, Any], make_user: Callable[..., User]
) -> None:
    """The panel negotiates with each supplier apart, calls for final quotes; each quote is sealed like a
    bid — the platform holds no price until the supplier opens its own after the deadline — and the
    report ranks them, lowest first (政府采购法 §38(5)). The report goes to the purchaser (实施条例 §43),
    who awards without a candidates' publicity; the contract follows the final quote."""
    n = negotiating(procurement, make_user)
    officer, purchaser = procurement["officer"], procurement["custodians"][1].user
    try:
        services.negotiation_record(actor=officer, bid=n.bids[0], minutes="供应商一同意将驻场人数增至4人。")
        with pytest.raises(Conflict) as early:
            services.evaluation_report(actor=officer, project=n.project)
        assert early.value.code == "final_quotes_missing"
        quote_round = services.quote_round_call(
            actor=officer, project=n.project, deadline=timezone.now() + timedelta(hours=1), note="驻场人数改为4人。"
        )
        with pytest.raises(Conflict) as twice:
            services.quote_round_call(
                actor=officer, project=n.project, deadline=timezone.now() + timedelta(hours=2), note=""
            )
        assert twice.value.code == "round_open"
        with pytest.raises(ValidationFailed) as wrong_key:  # sealed for the opening key, not the round's
            services.final_quote_submit(
                actor=n.parties[0].user, bid=n.bids[0], data=sealed(n.project, n.parties[0], "1.00")
            )
        assert wrong_key.value.code == "envelope_wrong_opening_key"
        _stale, _key = _quote(n, 0, "1190000.00")
        quotes = [_quote(n, 0, "1090000.00"), _quote(n, 1, "1150000.00"), _quote(n, 2, "1100000.00")]
        assert FinalQuote.objects.filter(round=quote_round).count() == 3  # the first supplier's second replaced
        for quote, _k in quotes:
            quote.refresh_from_db()
            assert quote.price is None
            with quote.envelope.open("rb") as stored:
                held = stored.read()
            assert not any(price.encode() in held for price in ("1090000", "1150000", "1100000"))
        with pytest.raises(Conflict) as running:
            services.final_quote_decrypt(actor=n.parties[0].user, quote=quotes[0][0], content_key=quotes[0][1])
        assert running.value.code == "round_running"
        with pytest.raises(PermissionDenied):  # another supplier's quote
            services.final_quote_decrypt(actor=n.parties[1].user, quote=quotes[0][0], content_key=quotes[0][1])
        with time_machine.travel(quote_round.deadline + timedelta(seconds=1), tick=True):
            with pytest.raises(Conflict):  # too late to quote
                _quote(n, 1, "1.00")
            for party, (quote, key) in zip(n.parties, quotes, strict=True):
                services.final_quote_decrypt(actor=party.user, quote=quote, content_key=key)
            services.quote_round_conclude(actor=officer, project=n.project)
            assert final_prices(n.project) == {
                n.bids[0].pk: Decimal("1090000.00"),
                n.bids[1].pk: Decimal("1150000.00"),
                n.bids[2].pk: Decimal("1100000.00"),
            }
            candidates = services.evaluation_report(actor=officer, project=n.project)
            assert [(c.bid_id, c.price) for c in sorted(candidates, key=lambda c: c.rank)] == [
                (n.bids[0].pk, Decimal("1090000.00")),
                (n.bids[2].pk, Decimal("1100000.00")),
                (n.bids[1].pk, Decimal("1150000.00")),
            ]
            n.bids[1].refresh_from_db()
            assert n.bids[1].price == Decimal(FIRST[1])  # the response keeps its first price
            for pick in DrawPick.objects.filter(draw__project=n.project).select_related("expert__user"):
                services.report_sign(actor=pick.expert.user, project=n.project)
            with pytest.raises(Conflict) as publicise:
                services.candidates_publish(actor=officer, project=n.project)
            assert publicise.value.code == "procurement_delivers"
            project = services.report_deliver(actor=officer, project=n.project)
            assert project.status == ProjectStatus.DELIVERED
            services.award(actor=purchaser, candidate=Candidate.objects.get(project=project, rank=1))
            project.refresh_from_db()
            assert project.status == ProjectStatus.AWARDED
            with pytest.raises(ValidationFailed):  # the first response's price is not the deal
                services.contract_sign(
                    actor=purchaser, project=project, amount=FIRST[0], signed_on=timezone.localdate()
                )
            # A supplier not chosen challenges the result within 7 working days (政府采购法 §52); once the
            # purchaser has answered it may complain to the supervisor (§55).
            loser = n.parties[1].user
            challenge = services.objection_raise(
                actor=loser, project=project, text="成交供应商驻场人数不满足。", subject="candidates"
            )
            assert challenge.subject == "candidates" and challenge.answer_due > timezone.now() + timedelta(days=5)
            services.objection_answer(actor=purchaser, objection=challenge, answer="经核查，驻场人数满足要求。")
            complaint = services.complaint_file(
                actor=loser, project=project, subject="candidates", request="撤销成交结果", grounds="驻场人数不满足。",
                known_on=timezone.localdate(), objection=challenge,
            )  # fmt: skip
            assert complaint.status == "filed"
            services.contract_sign(
                actor=purchaser, project=project, amount="1090000.00", signed_on=timezone.localdate()
            )
        late = ProjectEvent.objects.filter(project=n.project, note="late")
        assert not late.exists()
    finally:
        n.clock.stop()


def test_a_quote_not_opened_lapses_and_too_few_final_quotes_fail_the_procurement(
    procurement: dict[str, Any], make_user: Callable[..., User]
) -> None:
    """A supplier that does not open its quote in the window, or gives none, has left the round; with
    fewer than three final quotes the lot fails and so does the procurement, its securities released."""
    n = negotiating(procurement, make_user)
    officer = procurement["officer"]
    try:
        quote_round = services.quote_round_call(
            actor=officer, project=n.project, deadline=timezone.now() + timedelta(hours=1), note=""
        )
        (opened, key), (lapsing, _key) = _quote(n, 0, "1000000.00"), _quote(n, 1, "990000.00")
        with time_machine.travel(quote_round.deadline + timedelta(minutes=1), tick=True):
            services.final_quote_decrypt(actor=n.parties[0].user, quote=opened, content_key=key)
            with pytest.raises(Conflict) as waiting:
                services.quote_round_conclude(actor=officer, project=n.project)
            assert waiting.value.code == "round_running"
        with time_machine.travel(quote_round.deadline + rules.DECRYPTION_WINDOW + timedelta(minutes=1), tick=True):
            with pytest.raises(Conflict) as closed:
                services.final_quote_decrypt(actor=n.parties[1].user, quote=lapsing, content_key=_key)
            assert closed.value.code == "window_ended"
            services.quote_round_conclude(actor=officer, project=n.project)
            lapsing.refresh_from_db()
            assert lapsing.status == QuoteStatus.LAPSED and lapsing.price is None
            assert services.evaluation_report(actor=officer, project=n.project) == []
        project = TradingProject.objects.get(pk=n.project.pk)
        assert project.status == ProjectStatus.FAILED and Lot.objects.get(project=project).failed
    finally:
        n.clock.stop()


def test_a_request_for_quotation_takes_one_price_and_calls_no_round(
    procurement: dict[str, Any], make_user: Callable[..., User]
) -> None:
    """询价 (政府采购法 §40(3)): each supplier quotes once a price it may not change — the sealed response's
    — and the report ranks those."""
    n = negotiating(procurement, make_user, method="quotation")
    officer = procurement["officer"]
    try:
        with pytest.raises(Conflict) as no_round:
            services.quote_round_call(
                actor=officer, project=n.project, deadline=timezone.now() + timedelta(hours=1), note=""
            )
        assert no_round.value.code == "no_final_quotes"
        candidates = services.evaluation_report(actor=officer, project=n.project)
        assert [c.price for c in sorted(candidates, key=lambda c: c.rank)] == sorted(Decimal(p) for p in FIRST)
    finally:
        n.clock.stop()


def test_a_single_source_is_published_five_working_days_and_objections_hold_the_notice(
    procurement: dict[str, Any], make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """政府采购法实施条例 §38: the project and the one supplier's name published at least five working days;
    an objection in that time is answered before the notice (财政部令第74号 §39, §40). Then only that
    supplier responds, one response opens, and the agreed price is its sealed final quote."""
    officer, purchaser = procurement["officer"], procurement["custodians"][1].user
    project = _register(procurement, "single_source")
    supplier, other = bidder(1), bidder(2)
    with pytest.raises(ValidationFailed) as unnamed:
        _publish(procurement, project, working_days=1)
    assert "invitations" in {e["field"] for e in unnamed.value.details["errors"]}
    with pytest.raises(Conflict):  # a single source names its supplier; it does not invite
        _invite(procurement, project, [supplier, other, bidder(3)])
    publicity = services.single_source_publish(
        actor=officer, project=project, supplier=supplier.user, ground="sole_supplier", reason="专利产品，仅此一家。"
    )
    last = rules.working_day_due(timezone.localdate(publicity.published_at), 5)
    assert timezone.localdate(publicity.ends_at) == last + timedelta(days=1)
    with pytest.raises(ValidationFailed) as running:
        _publish(procurement, project, working_days=1)
    assert "invitations" in {e["field"] for e in running.value.details["errors"]}
    objection = services.objection_raise(
        actor=other.user, project=project, text="我公司亦可供货。", subject="single_source"
    )
    with time_machine.travel(publicity.ends_at + timedelta(hours=1), tick=True):
        with pytest.raises(ValidationFailed):  # the objection is unanswered
            _publish(procurement, project, working_days=1)
        with pytest.raises(Conflict):  # the publicity is over
            services.objection_raise(actor=other.user, project=project, text="补充意见", subject="single_source")
        services.objection_answer(actor=purchaser, objection=objection, answer="经专家论证，维持单一来源。")
        project = _publish(procurement, project, working_days=1)
        with pytest.raises(PermissionDenied):
            services.bid_submit(actor=other.user, project=project, lot_number=1, data=sealed(project, other, "1.00"))
        envelope = sealed(project, supplier, "1280000.00")
        bid = services.bid_submit(actor=supplier.user, project=project, lot_number=1, data=envelope).bid
    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline + timedelta(seconds=1), tick=True):
        services.projects_close_due()
        opening = services.opening_start(actor=officer, project=project)
        assert opening is not None  # one response opens a single source
        services.bid_decrypt(actor=supplier.user, bid=bid, content_key=content_key(supplier, envelope))
    with time_machine.travel(opening.window_ends + timedelta(seconds=1), tick=True):
        services.opening_conclude(actor=officer, project=project)
        pool(procurement, make_user, 4)
        _draw, tokens = services.draw_make(actor=officer, project=project, specialty="building", count=3)
        for token in tokens:
            services.pick_respond(token=token, accept=True)
        services.evaluation_start(actor=officer, project=project)
        quote_round = services.quote_round_call(
            actor=officer, project=project, deadline=timezone.now() + timedelta(minutes=30), note="协商后最终价格"
        )
        final = sealed_quote(quote_round, supplier, "1230000.00")
        quote = services.final_quote_submit(actor=supplier.user, bid=bid, data=final)
    with time_machine.travel(quote_round.deadline + timedelta(seconds=1), tick=True):
        services.final_quote_decrypt(actor=supplier.user, quote=quote, content_key=content_key(supplier, final))
        services.quote_round_conclude(actor=officer, project=project)
        (candidate,) = services.evaluation_report(actor=officer, project=project)
        assert candidate.price == Decimal("1230000.00")
        for pick in DrawPick.objects.filter(draw__project=project).select_related("expert__user"):
            services.report_sign(actor=pick.expert.user, project=project)
        services.report_deliver(actor=officer, project=project)
        services.award(actor=purchaser, candidate=candidate)
        services.contract_sign(actor=purchaser, project=project, amount="1230000.00", signed_on=timezone.localdate())
    # Published as OCDS: the publicity first, as a planning release with the supplier and the grounds.
    for kind in ("releases", "records"):
        package = Client().get(f"/api/v1/trading/ocds/{kind}/{project.code}").json()
        review = ocds_review(package, monkeypatch)
        assert review["validation_errors"] == [], review["validation_errors"]
    releases = Client().get(f"/api/v1/trading/ocds/releases/{project.code}").json()["releases"]
    assert [r["tag"][0] for r in releases] == ["planning", "tender", "tenderUpdate", "award", "contract"]
    assert releases[0]["tender"]["procurementMethod"] == "direct"
    assert supplier.user.get_full_name() in releases[0]["tender"]["procurementMethodRationale"]
    assert releases[-1]["contracts"][0]["value"]["amount"] == 1230000.0


def test_the_purchaser_s_periods_are_working_days_and_lateness_is_carded(
    procurement: dict[str, Any], make_user: Callable[..., User]
) -> None:
    """实施条例 §43: the report to the purchaser within 2 working days of the evaluation's end, the decision
    within 5 working days of receipt; §50: the contract published within 2 working days of signing.
    Later, each step is recorded late, which the supervision sweep cards."""
    n = negotiating(procurement, make_user, method="quotation")
    officer, purchaser = procurement["officer"], procurement["custodians"][1].user
    try:
        services.evaluation_report(actor=officer, project=n.project)
        for pick in DrawPick.objects.filter(draw__project=n.project).select_related("expert__user"):
            services.report_sign(actor=pick.expert.user, project=n.project)
        project = TradingProject.objects.get(pk=n.project.pk)
        assert project.reported_at is not None
        deliver_by = rules.working_days_after(project.reported_at, 2)
        with time_machine.travel(deliver_by + timedelta(minutes=1), tick=True):
            project = services.report_deliver(actor=officer, project=project)
            assert project.delivered_at is not None
            decide_by = rules.working_days_after(project.delivered_at, 5)
        with time_machine.travel(decide_by + timedelta(minutes=1), tick=True):
            services.award(actor=purchaser, candidate=Candidate.objects.get(project=project, rank=1))
            signed = timezone.localdate()
        published_by = rules.working_days_after_day(signed, 2)
        with time_machine.travel(published_by + timedelta(minutes=1), tick=True):
            winner = Candidate.objects.get(project=project, awarded=True)
            services.contract_sign(actor=purchaser, project=project, amount=str(winner.price), signed_on=signed)
        late = set(
            ProjectEvent.objects.filter(project=project, note__startswith="late").values_list("action", flat=True)
        )
        assert late == {"deliver", "award", "contract"}
        with time_machine.travel(published_by + timedelta(minutes=2), tick=True):
            supervise()
        cards = set(Alert.objects.filter(project=project, rule="late_step").values_list("basis", flat=True))
        assert {"deliver", "award", "contract"} <= cards
        assert "period" not in cards  # three working days is this method's period, not the tender's twenty
    finally:
        n.clock.stop()


def test_every_status_and_step_of_the_final_quote_table_through_the_services(
    procurement: dict[str, Any], make_user: Callable[..., User]
) -> None:
    """Each step of a final quote from each status: given again before the deadline (``replace``),
    opened by its supplier in the window (``decrypt``), lapsed when the round concludes — which takes
    only the sealed ones, so from any other status it passes the quote by (quiet)."""
    n = negotiating(procurement, make_user)
    officer = procurement["officer"]
    try:
        quote_round = services.quote_round_call(
            actor=officer, project=n.project, deadline=timezone.now() + timedelta(hours=1), note=""
        )
        envelope = sealed_quote(quote_round, n.parties[0], "1000000.00")
        quote = services.final_quote_submit(actor=n.parties[0].user, bid=n.bids[0], data=envelope)
        key = content_key(n.parties[0], envelope)
        when = {
            "replace": timezone.now(),
            "decrypt": quote_round.deadline + timedelta(minutes=1),
            "lapse": quote_round.deadline + rules.DECRYPTION_WINDOW + timedelta(minutes=1),
        }
        steps = {
            "replace": lambda: services.final_quote_submit(actor=n.parties[0].user, bid=n.bids[0], data=envelope),
            "decrypt": lambda: services.final_quote_decrypt(actor=n.parties[0].user, quote=quote, content_key=key),
            "lapse": lambda: services.quote_round_conclude(actor=officer, project=n.project),
        }

        def run(status: str, action: str, aim: str | None) -> str:
            with transaction.atomic():
                try:
                    FinalQuote.objects.filter(pk=quote.pk).update(status=status)
                    with time_machine.travel(when[action], tick=True):
                        steps[action]()
                    return FinalQuote.objects.get(pk=quote.pk).status
                finally:
                    transaction.set_rollback(True)

        assert set(steps) == set(QUOTE.actions)
        walk(QUOTE, QuoteStatus.values, run, code="quote_status", quiet={"lapse"})
        assert QuoteRound.objects.get(pk=quote_round.pk).concluded_at is None  # every step rolled back
    finally:
        n.clock.stop()


def test_the_sweep_cards_a_purchaser_who_has_not_decided_in_five_working_days(
    procurement: dict[str, Any], make_user: Callable[..., User]
) -> None:
    n = negotiating(procurement, make_user, method="quotation")
    officer = procurement["officer"]
    try:
        services.evaluation_report(actor=officer, project=n.project)
        for pick in DrawPick.objects.filter(draw__project=n.project).select_related("expert__user"):
            services.report_sign(actor=pick.expert.user, project=n.project)
        project = services.report_deliver(actor=officer, project=n.project)
        assert project.delivered_at is not None
        decide_by = rules.working_days_after(project.delivered_at, rules.DECISION_WORKING_DAYS)
        with time_machine.travel(decide_by - timedelta(minutes=5), tick=True):
            supervise()
            assert not Alert.objects.filter(project=project, basis="award").exists()
        with time_machine.travel(decide_by + timedelta(minutes=5), tick=True):
            supervise()
            assert Alert.objects.filter(project=project, rule="late_step", basis="award").exists()
    finally:
        n.clock.stop()


def test_a_suspension_gives_a_round_of_final_quotes_its_time_back(
    procurement: dict[str, Any], make_user: Callable[..., User]
) -> None:
    """Nothing moves while the supervisor has suspended the project (政府采购法 §57): quotes cannot be given
    then, so lifting the suspension moves the round's deadline by the time lost."""
    n = negotiating(procurement, make_user)
    officer, supervisor = procurement["officer"], procurement["supervisor"]
    try:
        quote_round = services.quote_round_call(
            actor=officer, project=n.project, deadline=timezone.now() + timedelta(hours=1), note=""
        )
        TradingProject.objects.filter(pk=n.project.pk).update(suspended_at=timezone.now())
        with pytest.raises(Conflict) as held:
            _quote(n, 0, "1.00")
        assert held.value.code == "project_suspended"
        with time_machine.travel(timezone.now() + timedelta(hours=3), tick=True):
            services.suspension_lift(actor=supervisor, project=TradingProject.objects.get(pk=n.project.pk))
            moved = QuoteRound.objects.get(pk=quote_round.pk).deadline
            assert moved - quote_round.deadline >= timedelta(hours=3)
            _quote(n, 0, "1000000.00")  # in time again
    finally:
        n.clock.stop()


def test_a_negotiation_s_documents_may_be_challenged_until_its_deadline(procurement: dict[str, Any]) -> None:
    """The tender's cutoff of 10 days before the deadline (招标投标法实施条例 §22) would shut a
    three-working-day negotiation's window before it opened; a challenge is taken until the deadline."""
    project = _register(procurement, "negotiation")
    parties = [bidder(n) for n in (1, 2, 3)]
    _invite(procurement, project, parties)
    project = _publish(procurement, project)
    objection = services.objection_raise(actor=parties[0].user, project=project, text="技术参数指向特定品牌。")
    assert objection.subject == "documents"


def test_a_procurement_s_result_is_challenged_within_seven_working_days(
    procurement: dict[str, Any], make_user: Callable[..., User]
) -> None:
    n = negotiating(procurement, make_user, method="quotation")
    officer, purchaser = procurement["officer"], procurement["custodians"][1].user
    try:
        services.evaluation_report(actor=officer, project=n.project)
        for pick in DrawPick.objects.filter(draw__project=n.project).select_related("expert__user"):
            services.report_sign(actor=pick.expert.user, project=n.project)
        with pytest.raises(Conflict):  # nothing announced yet: nothing to challenge
            services.objection_raise(actor=n.parties[2].user, project=n.project, text="异议", subject="candidates")
        services.report_deliver(actor=officer, project=n.project)
        services.award(actor=purchaser, candidate=Candidate.objects.get(project=n.project, rank=1))
        project = TradingProject.objects.get(pk=n.project.pk)
        assert project.awarded_at is not None
        last = rules.working_days_after(project.awarded_at, rules.CHALLENGE_WORKING_DAYS)
        with time_machine.travel(last + timedelta(minutes=1), tick=True):
            with pytest.raises(Conflict) as late:
                services.objection_raise(actor=n.parties[2].user, project=project, text="异议", subject="candidates")
            assert late.value.code == "objection_late"
    finally:
        n.clock.stop()
