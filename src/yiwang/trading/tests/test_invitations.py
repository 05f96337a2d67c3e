"""邀请招标: at least three invited companies (招标投标法 §17), in procurement drawn at random from the
qualified suppliers (政府采购法 §34) by a draw the supervisor recomputes; only the invited bid."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.audit.models import AuditRecord
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.trading import services
from yiwang.trading.models import Invitation, ProjectKind, TradingProject
from yiwang.trading.tests.factories import bidder, publish, register, sealed

pytestmark = pytest.mark.django_db


def test_only_the_invited_bid_and_the_notice_waits_for_three(centre: dict[str, Any], make_user: Any) -> None:
    project = register(centre, method="invited_tender")
    officer = centre["officer"]
    parties = [bidder(n) for n in (1, 2, 3, 4)]
    with pytest.raises(ValidationFailed) as none:
        publish(centre, project)
    assert none.value.details["errors"][0]["field"] == "invitations"
    with pytest.raises(ValidationFailed):
        services.invitations_make(actor=officer, project=project, companies=[p.user for p in parties[:2]])
    with pytest.raises(ValidationFailed):
        services.invitations_make(
            actor=officer, project=project, companies=[p.user for p in parties[:2]] + [make_user()]
        )
    with pytest.raises(PermissionDenied):
        services.invitations_make(actor=centre["supervisor"], project=project, companies=[p.user for p in parties])
    invited = services.invitations_make(actor=officer, project=project, companies=[p.user for p in parties[:3]])
    assert [i.company for i in invited] == [p.user for p in parties[:3]] and not invited[0].drawn
    with pytest.raises(Conflict) as twice:
        services.invitations_make(actor=officer, project=project, companies=[p.user for p in parties])
    assert twice.value.code == "invitations_made"
    project = publish(centre, project)
    with pytest.raises(Conflict):
        services.invitations_make(actor=officer, project=project, companies=[p.user for p in parties])
    outsider = parties[3]
    with pytest.raises(PermissionDenied) as refused:
        services.bid_submit(actor=outsider.user, project=project, lot_number=1, data=sealed(project, outsider, "1.00"))
    assert refused.value.code == "not_invited"
    services.bid_submit(actor=parties[0].user, project=project, lot_number=1, data=sealed(project, parties[0], "1.00"))


def test_a_procurement_draws_its_invited_suppliers_and_the_draw_recomputes(centre: dict[str, Any]) -> None:
    project = register(centre, method="invited_tender")
    TradingProject.objects.filter(pk=project.pk).update(kind=ProjectKind.PROCUREMENT)
    project.refresh_from_db()
    officer = centre["officer"]
    pool = [bidder(n).user for n in range(1, 8)]
    with pytest.raises(ValidationFailed):  # 政府采购法 §34: at random, not named
        services.invitations_make(actor=officer, project=project, companies=pool)
    with pytest.raises(ValidationFailed):
        services.invitations_make(actor=officer, project=project, companies=pool, count=8)
    invited = services.invitations_make(actor=officer, project=project, companies=pool, count=3)
    assert len(invited) == 3 and all(i.drawn for i in invited)
    # The supervisor recomputes: the journal fixed the pool and the seed's digest, the audit trail holds the seed.
    codes = [str(u.credit_code) for u in pool]
    note = project.events.get(action="invite").note
    record = AuditRecord.objects.filter(action="trading.invitations_make").latest("pk")
    seed = record.changes["seed"]
    assert note == f"pool={services.pool_digest(codes)} seed_sm3={sm3_hex(seed.encode())}"
    assert services.invitation_ranking(codes, seed)[:3] == [
        str(i.company.credit_code) for i in Invitation.objects.filter(project=project).order_by("rank")
    ]


def test_invitations_on_the_page_and_through_the_api(centre: dict[str, Any], bearer: Any) -> None:
    from django.test import Client

    project = register(centre, method="invited_tender")
    parties = [bidder(n) for n in (1, 2, 3)]
    officer = Client()
    officer.force_login(centre["officer"])
    page = f"/workbench/trading/{project.code}/"
    assert "inv-codes" in officer.get(page).content.decode()
    unknown = officer.post(f"{page}invitations/", {"credit_codes": "91990100MA0000999X"}, follow=True)
    assert "统一社会信用代码" in unknown.content.decode() and not Invitation.objects.exists()
    codes = "\n".join(str(p.user.credit_code) for p in parties[:2])
    assert "至少" in officer.post(f"{page}invitations/", {"credit_codes": codes}, follow=True).content.decode()
    body = {"credit_codes": [str(p.user.credit_code) for p in parties]}
    by_bidder = Client().post(
        f"/api/v1/trading/projects/{project.code}/invitations", body, content_type="application/json",
        headers=bearer(parties[0].user),
    )  # fmt: skip
    assert by_bidder.status_code == 404
    made = Client().post(
        f"/api/v1/trading/projects/{project.code}/invitations", body, content_type="application/json",
        headers=bearer(centre["officer"]),
    )  # fmt: skip
    assert made.status_code == 201 and [i["rank"] for i in made.json()] == [1, 2, 3]
    assert 'data-testid="invitations"' in officer.get(page).content.decode()
    # Who was invited is not told to the public (招标投标法 §22).
    project = publish(centre, project)
    public = Client().get(f"/trading/{project.code}/").content.decode()
    assert str(parties[1].user.credit_code) not in public
