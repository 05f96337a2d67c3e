"""The random draw of experts (招标投标法实施条例 §46) with recusal before drawing, verifiable afterwards,
confirmed or declined by SMS link with replacements from the same ranking; the committee's rules
(招标投标法 §37)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from yiwang.accounts.roles import Role
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, ValidationFailed
from yiwang.trading import services
from yiwang.trading.models import Draw, DrawExclusion, DrawPick, Expert, TradingProject
from yiwang.trading.tests.factories import Party, bidder, publish, register, sealed

pytestmark = pytest.mark.django_db


def pool(centre: dict[str, Any], make_user: Any, size: int, **overrides: Any) -> list[Expert]:
    experts = []
    for n in range(size):
        user = make_user(Role.EXPERT, username=f"expert{n}")
        fields = {"name": f"专家{n}", "specialties": ["building"], "employer": f"示范设计院{n}", **overrides}
        experts.append(
            services.expert_register(
                actor=centre["officer"], user=user, region=centre["region"], phone=f"1390000{n:04d}", **fields
            )
        )
    return experts


def closed_with_bids(centre: dict[str, Any]) -> tuple[TradingProject, list[Party]]:
    project = publish(centre, register(centre))
    parties = [bidder(n) for n in (1, 2, 3)]
    for party in parties:
        services.bid_submit(actor=party.user, project=project, lot_number=1, data=sealed(project, party, "1.00"))
    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline + timedelta(seconds=1), tick=True):
        services.projects_close_due()
    project.refresh_from_db()
    return project, parties


def test_recusal_comes_before_the_draw_and_anyone_can_recompute_it(centre: dict[str, Any], make_user: Any) -> None:
    project, parties = closed_with_bids(centre)
    experts = pool(centre, make_user, 13)
    bidder_code = str(parties[0].user.credit_code)
    Expert.objects.filter(pk=experts[0].pk).update(employer_credit_code=bidder_code)  # works for a bidder
    services.expert_relation_declare(
        actor=experts[1].user, expert=experts[1], kind="former_employer", credit_code=bidder_code,
        until=timezone.localdate() - timedelta(days=400),
    )  # fmt: skip
    services.expert_relation_declare(
        actor=experts[2].user,
        expert=experts[2],
        kind="former_employer",
        credit_code=bidder_code,
        until=timezone.localdate() - timedelta(days=365 * 4),
    )  # fmt: skip  (left more than 3 years ago: may sit)
    services.expert_relation_declare(
        actor=experts[3].user, expert=experts[3], kind="relative", credit_code=str(parties[1].user.credit_code)
    )
    Expert.objects.filter(pk=experts[4].pk).update(employer_credit_code=project.supervising_department.credit_code)
    services.expert_sanction(
        actor=centre["supervisor"], expert=experts[5], department=centre["supervisor_department"],
        reason="收受投标人财物", starts_on=timezone.localdate() - timedelta(days=1), ends_on=None,
    )  # fmt: skip
    Expert.objects.filter(pk=experts[6].pk).update(available=False)
    Expert.objects.filter(pk=experts[7].pk).update(phone="")  # could not be told
    draw, tokens = services.draw_make(actor=centre["officer"], project=project, specialty="building", count=5)
    reasons = dict(DrawExclusion.objects.filter(draw=draw).values_list("expert_id", "reason"))
    assert reasons == {
        experts[0].pk: "bidder_employee",
        experts[1].pk: "former_employee",
        experts[3].pk: "relative",
        experts[4].pk: "supervisor_staff",
        experts[5].pk: "sanctioned",
        experts[6].pk: "unavailable",
        experts[7].pk: "unreachable",
    }
    picks = list(DrawPick.objects.filter(draw=draw).order_by("rank"))
    assert len(picks) == len(tokens) == 5
    assert not {p.expert_id for p in picks} & set(reasons)
    assert services.draw_verify(draw)
    with pytest.raises(Conflict) as again:  # no second draw to pick a committee one likes better
        services.draw_make(actor=centre["officer"], project=project, specialty="building", count=5)
    assert again.value.code == "already_drawn"
    # A changed journal no longer verifies: an exclusion dropped, or a pick swapped for another expert.
    DrawExclusion.objects.filter(draw=draw, expert=experts[6]).delete()
    assert not services.draw_verify(Draw.objects.get(pk=draw.pk))


def test_a_decline_is_replaced_by_the_next_in_the_same_ranking(
    centre: dict[str, Any], make_user: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yiwang.core.sms import LocmemSmsBackend

    settings.YIWANG_SMS_BACKEND = "yiwang.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    project, _parties = closed_with_bids(centre)
    pool(centre, make_user, 9)
    with django_capture_on_commit_callbacks(execute=True):
        draw, tokens = services.draw_make(actor=centre["officer"], project=project, specialty="building", count=5)
    texts = [m.text for m in LocmemSmsBackend.outbox]
    assert len(texts) == 5 and all(project.code in t and "/trading/experts/" in t for t in texts)
    assert any(tokens[0] in t for t in texts)
    ranking = services.draw_ranking(draw)
    services.pick_respond(token=tokens[0], accept=True)
    services.pick_respond(token=tokens[1], accept=False)
    with pytest.raises(Conflict) as twice:
        services.pick_respond(token=tokens[1], accept=True)
    assert twice.value.code == "pick_answered"
    picks = list(DrawPick.objects.filter(draw=draw).order_by("rank").values_list("expert_id", "status"))
    assert [pk for pk, _status in picks] == ranking[:6]
    assert [status for _pk, status in picks][:2] == ["confirmed", "declined"]
    assert services.draw_verify(Draw.objects.get(pk=draw.pk))


def test_a_draw_that_recusal_leaves_short_is_refused_whole(centre: dict[str, Any], make_user: Any) -> None:
    project, parties = closed_with_bids(centre)
    pool(centre, make_user, 6, employer_credit_code=str(parties[2].user.credit_code))
    with pytest.raises(Conflict) as short:
        services.draw_make(actor=centre["officer"], project=project, specialty="building", count=5)
    assert short.value.code == "draw_unfillable"
    assert not Draw.objects.exists()


def test_the_committee_is_five_or_more_odd_two_thirds_experts(centre: dict[str, Any], make_user: Any) -> None:
    """招标投标法 §37."""
    project, _parties = closed_with_bids(centre)
    pool(centre, make_user, 9)
    for count, representatives in ((4, 0), (5, 1), (4, 3), (3, 2)):
        with pytest.raises(ValidationFailed) as refused:
            services.draw_make(
                actor=centre["officer"], project=project, specialty="building", count=count,
                representatives=representatives,
            )  # fmt: skip
        assert refused.value.details["errors"][0]["field"] == "count"
    draw, _tokens = services.draw_make(
        actor=centre["officer"], project=project, specialty="building", count=4, representatives=1
    )
    assert draw.count == 4


def test_experts_are_drawn_only_after_the_bids_are_closed(centre: dict[str, Any], make_user: Any) -> None:
    project = publish(centre, register(centre))
    pool(centre, make_user, 6)
    with pytest.raises(Conflict) as early:
        services.draw_make(actor=centre["officer"], project=project, specialty="building", count=5)
    assert early.value.code == "project_status"


def test_the_centre_draws_from_its_page_with_names_sealed_and_the_expert_answers_by_link(
    client: Any, centre: dict[str, Any], make_user: Any, login: Any
) -> None:
    project, _parties = closed_with_bids(centre)
    experts = pool(centre, make_user, 7)
    login(centre["officer"])
    response = client.post(
        f"/workbench/trading/{project.code}/", {"step": "draw", "specialty": "building", "count": "5"}
    )
    assert response.status_code == 302
    page = client.get(f"/workbench/trading/{project.code}/").content.decode()
    assert "第 1 位专家" in page and "已验证" in page
    assert not any(e.name in page for e in experts)  # names sealed from the operator
    draw = Draw.objects.get(project=project)
    assert draw.seed not in page and draw.salt not in page and draw.salt_commitment in page  # nor recomputable
    pick = draw.picks.get(rank=1)
    token = "known-token-for-the-test"
    DrawPick.objects.filter(pk=pick.pk).update(token_digest=sm3_hex(token.encode()))  # as if from the SMS
    client.logout()
    link = client.get(f"/trading/experts/{token}/").content.decode()
    assert project.code in link and "确认参加" in link
    client.post(f"/trading/experts/{token}/", {"answer": "decline"})
    assert DrawPick.objects.get(pk=pick.pk).status == "declined"
    assert draw.picks.count() == 6
    assert client.get("/trading/experts/not-a-token/").status_code == 404
