"""Registering a project (宁波市公共资源交易管理条例 §16) under 管办分离 (§28), and the parties' keys."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.parallel import at_once, require_postgresql
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services import role_grant, user_create
from yiwang.audit.models import AuditRecord
from yiwang.core import crypto
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.trading import services
from yiwang.trading.models import Lot, PartyKey, ProjectKind, TradingProject
from yiwang.trading.tests.factories import company, register

pytestmark = pytest.mark.django_db


def test_the_centre_registers_a_project_with_its_lots_and_supervisor(centre) -> None:  # type: ignore[no-untyped-def]
    project = register(centre)
    assert project.code.startswith(f"{centre['region'].code}-")  # type: ignore[attr-defined]
    assert project.code.endswith("-0001")
    assert register(centre).code.endswith("-0002")
    assert project.supervising_department == centre["supervisor_department"]
    assert project.status == "draft"
    lot = Lot.objects.get(project=project)
    assert (lot.number, lot.estimate, lot.bid_security) == (1, Decimal("19500000.00"), Decimal("390000.00"))
    assert AuditRecord.objects.filter(action="trading.project_register", object_id=str(project.pk)).exists()


def test_the_supervisor_neither_operates_nor_tenders(centre) -> None:  # type: ignore[no-untyped-def]
    """管办分离 (宁波市公共资源交易管理条例 §28)."""
    supervisor = centre["supervisor"]
    role_grant(actor=None, user=supervisor, role=Role.TRADING_OFFICER, region=centre["region"])  # type: ignore[arg-type]
    supervisor = User.objects.get(pk=supervisor.pk)  # its grants as read afresh (they are cached per object)
    with pytest.raises(PermissionDenied) as refused:
        register(centre, actor=supervisor)
    assert refused.value.code == "supervisor_operates"
    with pytest.raises(Conflict) as refused_tender:
        register(centre, tenderer_department=centre["supervisor_department"])
    assert refused_tender.value.code == "supervisor_tenders"
    with pytest.raises(Conflict) as unsupervised:
        register(centre, kind=ProjectKind.PROCUREMENT)
    assert unsupervised.value.code == "no_supervisor"
    assert not TradingProject.objects.exists()


def test_bad_input_is_refused_whole_and_nothing_is_written(centre) -> None:  # type: ignore[no-untyped-def]
    """招标投标法实施条例 §26: the bid security is at most 2% of the estimate."""
    cases = [
        ({"lots": [services.LotIn("施工", "1000000.00", "20000.01")]}, "lots[1].bid_security"),
        ({"budget": "12.345"}, "budget"),
        ({"budget": "-1"}, "budget"),
        ({"budget": "NaN"}, "budget"),
        ({"title": "教学楼\x00工程"}, "title"),
        ({"title": "楼" * 201}, "title"),
        ({"kind": "lottery"}, "kind"),
        ({"lots": []}, "lots"),
        ({"tenderer_company": company(1)}, "tenderer"),  # two tenderers
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            register(centre, **overrides)
        assert field in [error["field"] for error in refused.value.details["errors"]], overrides
    assert not TradingProject.objects.exists()
    assert not Lot.objects.exists()
    with pytest.raises(PermissionDenied):
        register(centre, actor=company(2))


@pytest.mark.django_db(transaction=True)
def test_codes_stay_distinct_under_parallel_registrations(centre) -> None:  # type: ignore[no-untyped-def]
    require_postgresql()
    results = at_once([lambda: register(centre) for _ in range(6)])
    codes = sorted(r.code for r in results if isinstance(r, TradingProject))
    assert len(codes) == 6, results
    assert [code[-4:] for code in codes] == [f"{n:04d}" for n in range(1, 7)]


def test_a_company_registers_its_own_bidder_key() -> None:
    bidder = company(3)
    _, public = crypto.sm2_key_pair()
    key = services.party_key_register(actor=bidder, purpose="bidder", public_key="04" + public.upper())
    assert key.public_key == public and key.owner == bidder
    _, newer = crypto.sm2_key_pair()
    services.party_key_register(actor=bidder, purpose="bidder", public_key=newer)
    assert PartyKey.objects.filter(owner=bidder, revoked_at__isnull=True).get().public_key == newer
    with pytest.raises(Conflict):
        services.party_key_register(actor=bidder, purpose="bidder", public_key=public)
    off_curve = newer[:-1] + ("0" if newer[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as refused:
        services.party_key_register(actor=bidder, purpose="bidder", public_key=off_curve)
    assert refused.value.code == "bad_public_key"
    person = user_create(username="someone", password=None)
    with pytest.raises(PermissionDenied) as not_company:
        services.party_key_register(actor=person, purpose="bidder", public_key=crypto.sm2_key_pair()[1])
    assert not_company.value.code == "not_a_company"
