"""Both status tables walked through the services: every status × every action (tests/workflow_walk.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.workflow_walk import walk
from yiwang.disclosure import services
from yiwang.disclosure.choices import (
    ClockEventKind,
    Delivery,
    FeeMethod,
    Ground,
    ItemStatus,
    Outcome,
    RequestStatus,
    ReviewDecision,
)
from yiwang.disclosure.models import ClockEvent, DisclosureRequest, ProactiveItem, ReleasedDocument
from yiwang.disclosure.workflow import ITEM, REQUEST

pytestmark = pytest.mark.django_db


def test_every_item_step(office: dict[str, Any]) -> None:
    officer, colleague = office["officer"], office["colleague"]

    def run(status: str, action: str, aim: str | None) -> str:
        item = services.item_create(
            actor=officer,
            body=office["body"],
            category=office["category"],
            kind="normative",
            title="关于某事的通知",
            formed_on=timezone.localdate(),
            issued_on=timezone.localdate(),
        )
        if status in (ItemStatus.APPROVED, ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN):
            services.item_review_submit(actor=officer, item=item)
            services.item_review(actor=colleague, item=item, decision=ReviewDecision.PASSED)
        if status in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN):
            services.item_publish(actor=officer, item=item)
        if status == ItemStatus.WITHDRAWN:
            services.item_withdraw(actor=officer, item=item, reason="有误")
        if status == ItemStatus.IN_REVIEW:
            services.item_review_submit(actor=officer, item=item)
        item.refresh_from_db()
        assert item.status == status
        if action == "edit":
            services.item_update(
                actor=officer,
                item=item,
                category=office["category"],
                kind="normative",
                title="改",
                text="",
                document_number="",
                formed_on=item.formed_on,
                issued_on=item.issued_on,
                channels=["website"],
            )
        elif action == "review_submit":
            services.item_review_submit(actor=officer, item=item)
        elif action == "review":
            decision = ReviewDecision.RETURNED if aim == ItemStatus.DRAFT else ReviewDecision.PASSED
            services.item_review(actor=colleague, item=item, decision=decision, note="涉密内容需删除")
        elif action == "publish":
            services.item_publish(actor=officer, item=item)
        elif action == "repeal":
            services.item_repeal(actor=officer, item=item, repealed_on=timezone.localdate())
        elif action == "withdraw":
            services.item_withdraw(actor=officer, item=item, reason="有误")
        return ProactiveItem.objects.get(pk=item.pk).status

    walk(ITEM, ItemStatus.values, run, code="item_status", codes={"publish": "review_required"})


def test_every_request_step(office: dict[str, Any]) -> None:
    officer, head, citizen = office["officer"], office["head"], office["citizen"]

    def fresh(status: str) -> DisclosureRequest:
        request = services.request_submit(
            actor=citizen, body=office["body"], description="某信息", delivery="post", address="示范市某路1号"
        )
        DisclosureRequest.objects.filter(pk=request.pk).update(
            status=status, replied_on=timezone.localdate() if status == RequestStatus.REPLIED else None
        )
        if status in (RequestStatus.CORRECTION, RequestStatus.FEE_NOTICE):
            kind = (
                ClockEventKind.CORRECTION_REQUESTED if status == RequestStatus.CORRECTION else ClockEventKind.FEE_NOTICE
            )
            ClockEvent.objects.create(
                request=request,
                kind=kind,
                on=timezone.localdate() - timedelta(days=60),
                at=timezone.now(),
                until=timezone.localdate() - timedelta(days=1),
            )
        request.refresh_from_db()
        return request

    def run(status: str, action: str, aim: str | None) -> str:
        request = fresh(status)
        if action == "correction_request":
            services.correction_request(actor=officer, request=request, what="请补正")
        elif action == "correction_receive":
            ClockEvent.objects.filter(request=request).update(until=None)
            services.correction_receive(actor=citizen, request=request, text="补正内容")
        elif action == "consultation_start":
            services.consultation_start(actor=officer, request=request, party="third_party", party_name="某公司")
        elif action == "consultation_end":
            services.consultation_end(actor=officer, request=request, note="已答复")
        elif action == "fee_notify":
            ReleasedDocument.objects.create(
                request=request,
                name="a.pdf",
                original="x.pdf",
                content_type="application/pdf",
                original_digest="",
                pages=31,
                added_by=officer,
                added_at=timezone.now(),
            )
            services.fee_notify(actor=officer, request=request, method=FeeMethod.BY_PAGES)
        elif action == "fee_pay":
            services.fee_pay(actor=officer, request=request)
        elif action == "extend":
            services.request_extend(actor=head, request=request, days=5, reason="检索量大")
        elif action == "reply":
            services.reply_make(
                actor=officer,
                request=request,
                outcome=Outcome.CANNOT,
                ground=Ground.NOT_HELD,
                text="不存在",
                delivery=Delivery.POST,
            )
        elif action == "lapse":
            services.request_lapse(request=request)
        elif action == "appeal":
            services.appeal_record(
                actor=officer,
                request=request,
                kind="reconsideration",
                authority="示范市人民政府",
                filed_on=timezone.localdate(),
            )
        return DisclosureRequest.objects.get(pk=request.pk).status

    walk(REQUEST, RequestStatus.values, run, code="request_status", quiet=("lapse",))


def test_no_one_who_wrote_any_of_an_item_reviews_it(office: dict[str, Any]) -> None:
    """§17 with four eyes: the colleague who rewrote the drafter's text, or attached a file to it, is an
    author too — the review is a third person's."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.files import pdf_bytes
    from yiwang.core.errors import PermissionDenied

    officer, colleague, head = office["officer"], office["colleague"], office["head"]
    item = services.item_create(
        actor=officer, body=office["body"], category=office["category"], title="通知", text="正文",
        formed_on=timezone.localdate(),
    )  # fmt: skip
    services.item_update(
        actor=colleague, item=item, category=office["category"], kind=item.kind, title="通知", text="改写的正文",
        document_number="", formed_on=item.formed_on, issued_on=None, channels=["website"],
    )  # fmt: skip
    services.item_review_submit(actor=officer, item=item)
    for author in (officer, colleague):
        with pytest.raises(PermissionDenied) as refused:
            services.item_review(actor=author, item=item, decision=ReviewDecision.PASSED)
        assert refused.value.code == "reviewer_is_drafter"
    services.item_review(actor=head, item=item, decision=ReviewDecision.RETURNED, note="请删去第二段")
    services.item_attach(
        actor=officer, item=item, upload=SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")
    )
    item.refresh_from_db()
    assert {u.pk for u in item.authors.all()} == {officer.pk, colleague.pk}
