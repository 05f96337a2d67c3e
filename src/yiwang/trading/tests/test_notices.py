"""The notice with the documents (招标投标法 §24; 实施条例 §16), the opening key shared k of n, and
clarifications that move the deadline (招标投标法 §23; 实施条例 §21)."""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from yiwang.audit.models import AuditRecord
from yiwang.core import crypto
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.trading import services
from yiwang.trading.models import KeyShare, OpeningKey, ProjectEvent, TenderDocument
from yiwang.trading.tests.factories import deadline_in, publish, register

pytestmark = pytest.mark.django_db


def test_the_notice_opens_bidding_and_shares_the_opening_key_three_of_five(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    assert project.status == "bidding"
    document = TenderDocument.objects.get(project=project)
    assert (document.version, document.kind, len(document.sm3)) == (1, "document", 64)
    opening_key = OpeningKey.objects.get(project=project)
    assert opening_key.threshold == 3
    shares = {}
    for share, party in zip(KeyShare.objects.filter(opening_key=opening_key), centre["custodians"], strict=True):
        assert share.custodian == party.user
        shares[share.index] = crypto.sm2_decrypt(party.private_key, bytes.fromhex(share.encrypted))
    # Any three custodians rebuild the key whose public half seals the bids; two do not.
    for three in combinations(shares.items(), 3):
        assert crypto.sm2_public_key(crypto.shares_combine(list(three)).hex()) == opening_key.public_key
    two = list(shares.items())[:2]
    assert crypto.sm2_public_key(crypto.shares_combine(two).hex()) != opening_key.public_key
    assert ProjectEvent.objects.filter(project=project, action="publish", to_status="bidding").exists()
    assert AuditRecord.objects.filter(action="trading.notice_publish", object_id=str(project.pk)).exists()


def test_periods_shorter_than_the_law_allows_are_refused_with_their_articles(centre: dict[str, Any]) -> None:
    project = register(centre)
    today = timezone.localdate()
    cases: list[tuple[dict[str, object], str, str]] = [
        ({"bid_deadline": deadline_in(19)}, "bid_deadline", "招标投标法第二十四条"),
        ({"documents_until": today + timedelta(days=3)}, "documents_until", "实施条例第十六条"),
        ({"documents_from": today - timedelta(days=1)}, "documents_from", ""),
        ({"custodians": [c.user for c in centre["custodians"][:2]], "threshold": 2}, "custodians", ""),
        ({"threshold": 2}, "threshold", ""),
        ({"threshold": 6}, "threshold", ""),
        ({"title": ""}, "title", ""),
        ({"body": "公告\x07正文"}, "body", ""),
    ]
    for overrides, field, article in cases:
        with pytest.raises(ValidationFailed) as refused:
            publish(centre, project, **overrides)
        errors = {error["field"]: error["message"] for error in refused.value.details["errors"]}
        assert field in errors, overrides
        assert article in errors[field]
    project.refresh_from_db()
    assert project.status == "draft"
    assert not OpeningKey.objects.exists() and not TenderDocument.objects.exists()


def test_only_the_centre_publishes_and_a_custodian_without_a_key_is_named(
    centre: dict[str, Any], make_user: Any
) -> None:
    project = register(centre)
    with pytest.raises(PermissionDenied):
        publish(centre, project, actor=centre["supervisor"])
    keyless = make_user(username="keyless")
    with pytest.raises(ValidationFailed) as refused:
        publish(centre, project, custodians=[*(c.user for c in centre["custodians"][:3]), keyless])
    assert keyless.get_full_name() in refused.value.details["errors"][0]["message"]
    publish(centre, project)
    with pytest.raises(Conflict) as twice:
        publish(centre, project)
    assert twice.value.code == "project_status"


def test_a_clarification_that_affects_bids_moves_a_deadline_closer_than_fifteen_days(
    centre: dict[str, Any],
) -> None:
    """招标投标法实施条例 §21: fewer than 15 days before the deadline, the deadline moves."""
    project = publish(centre, register(centre), bid_deadline=deadline_in(21))
    deadline = project.bid_deadline
    assert deadline is not None
    amend = {"actor": centre["officer"], "project": project, "kind": "clarification", "title": "澄清一"}
    services.document_amend(**amend, body="答疑：工期不变。", affects_bids=True)  # 21 days ahead: stays
    project.refresh_from_db()
    assert project.bid_deadline == deadline
    with time_machine.travel(deadline - timedelta(days=10), tick=False):
        services.document_amend(**amend | {"title": "澄清二"}, body="答疑：措辞更正。", affects_bids=False)
        project.refresh_from_db()
        assert project.bid_deadline == deadline
        document = services.document_amend(
            **amend | {"kind": "amendment", "title": "修改一"},
            body="工程量清单第 3 项改为 1200 立方米。",
            affects_bids=True,
        )
        project.refresh_from_db()
        assert project.bid_deadline == (timezone.now() + timedelta(days=15)).replace(microsecond=0)
        assert (document.version, document.deadline_before, document.deadline_after) == (
            4,
            deadline,
            project.bid_deadline,
        )
    with time_machine.travel(project.bid_deadline + timedelta(seconds=1), tick=False):
        with pytest.raises(Conflict) as late:
            services.document_amend(**amend, body="迟到的澄清", affects_bids=False)
        assert late.value.code == "deadline_passed"


def test_no_one_side_holds_enough_shares_to_open_the_bids(centre: dict[str, Any], make_user: Any) -> None:
    """The opening key's custodians: the supervisor and the tenderer among them, and no side — the
    centre, the supervisor, the tenderer, the arbiters — with k shares (docs/trading.md §5)."""
    from yiwang.accounts.roles import Role
    from yiwang.trading.models import KeyPurpose
    from yiwang.trading.tests.factories import bidder, keyed, sealed

    project = register(centre)
    officer, tenderer, supervisor, *arbiters = (c.user for c in centre["custodians"])
    officers = [
        keyed(make_user(Role.TRADING_OFFICER, region=centre["region"]), KeyPurpose.CUSTODIAN).user for _ in range(2)
    ]
    refusals = [
        [officer, *officers, tenderer, supervisor],  # the centre holds 3 of k = 3
        [officer, tenderer, *arbiters, officers[0]],  # no supervisor
        [officer, supervisor, *arbiters, officers[0]],  # no tenderer
    ]
    for custodians in refusals:
        with pytest.raises(ValidationFailed) as refused:
            publish(centre, project, custodians=custodians, threshold=3)
        assert refused.value.details["errors"][0]["field"] == "custodians"
    publish(centre, project, custodians=[officer, officers[0], tenderer, supervisor, arbiters[0]], threshold=3)
    # A custodian does not bid on the project whose key it keeps.
    other = register(centre)
    company = bidder(5)
    keyed(company.user, KeyPurpose.CUSTODIAN)
    publish(centre, other, custodians=[officer, tenderer, supervisor, arbiters[0], company.user], threshold=3)
    other.refresh_from_db()
    with pytest.raises(PermissionDenied) as refused_bid:
        services.bid_submit(actor=company.user, project=other, lot_number=1, data=sealed(other, company, "1.00"))
    assert refused_bid.value.code == "custodian_bids"
