"""The portal's and the office's pages, driven as their users would: search in Chinese, a request in the
account's own name, the due date's computation, another account's request not found; the office's queue,
a correction, a reply, an item from draft to publication under its index number."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.disclosure import services
from yiwang.disclosure.choices import Delivery, Ground, ItemStatus, Outcome, RequestStatus, ReviewDecision
from yiwang.disclosure.models import DisclosureRequest, ProactiveItem

pytestmark = pytest.mark.django_db


def published(office: dict[str, Any], title: str = "示范市老旧小区改造项目清单") -> ProactiveItem:
    item = services.item_create(
        actor=office["officer"],
        body=office["body"],
        category=office["category"],
        title=title,
        text="涉及12个小区。",
        formed_on=timezone.localdate(),
    )
    services.item_review_submit(actor=office["officer"], item=item)
    services.item_review(actor=office["colleague"], item=item, decision=ReviewDecision.PASSED)
    return services.item_publish(actor=office["officer"], item=item)


def test_the_public_catalogue_is_searchable_in_chinese(client: Client, office: dict[str, Any]) -> None:
    item = published(office)
    published(office, "关于调整公共租赁住房租金的通知")
    draft = services.item_create(
        actor=office["officer"],
        body=office["body"],
        category=office["category"],
        title="尚未公开的老旧小区草稿",
        formed_on=timezone.localdate(),
    )
    page = client.get("/disclosure/items/", {"q": "老旧小区改造清单"})
    assert page.status_code == 200
    text = page.content.decode()
    assert item.title in text and "公共租赁住房" not in text and draft.title not in text
    assert item.index_number in text
    detail = client.get(f"/disclosure/items/{item.pk}/").content.decode()
    assert item.index_number in detail and office["body"].name in detail
    assert client.get(f"/disclosure/items/{draft.pk}/").status_code == 404
    body = client.get(f"/disclosure/bodies/{office['body'].pk}/").content.decode()
    assert "政策文件" in body
    assert client.get("/disclosure/").status_code == 200


def test_a_request_on_the_portal_and_its_due_dates_computation(client: Client, office: dict[str, Any]) -> None:
    assert "identity_document" in client.get("/disclosure/apply/").content.decode()  # or with identity documents
    client.force_login(office["citizen"])
    form = client.get("/disclosure/apply/").content.decode()
    assert "110105********002X" not in form or "张三" in form
    answer = client.post("/disclosure/apply/", {"body": office["body"].pk, "description": "", "delivery": "online"})
    assert answer.status_code == 422 and not DisclosureRequest.objects.exists()
    answer = client.post(
        "/disclosure/apply/",
        {
            "body": office["body"].pk,
            "description": "2025年老旧小区改造资金使用情况",
            "delivery": "online",
            "requester_name": "冒名者",
            "identity_number": "110101199003077777",
        },
    )
    made = DisclosureRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/disclosure/mine/{made.pk}/"
    assert made.requester_name == "张三" and made.identity_number == office["citizen"].id_number
    page = client.get(answer["Location"]).content.decode()
    assert made.number in page and 'data-testid="computation"' in page
    assert made.due_on.strftime("%Y-%m-%d") in page
    assert client.get("/disclosure/mine/").status_code == 200
    other = Client()
    other.force_login(office["company"])
    assert other.get(f"/disclosure/mine/{made.pk}/").status_code == 404


def test_the_requester_corrects_on_the_portal(client: Client, office: dict[str, Any]) -> None:
    made = services.request_submit(
        actor=office["citizen"], body=office["body"], description="某文件", delivery=Delivery.ONLINE
    )
    services.correction_request(actor=office["officer"], request=made, what="请写明文件名称和年份")
    client.force_login(office["citizen"])
    page = client.get(f"/disclosure/mine/{made.pk}/").content.decode()
    assert "请写明文件名称和年份" in page
    answer = client.post(f"/disclosure/mine/{made.pk}/", {"text": "《示范市2025年老旧小区改造实施方案》"})
    assert answer.status_code == 302
    made.refresh_from_db()
    assert made.status == RequestStatus.RECEIVED and "实施方案" in made.description


def test_the_office_handles_a_request_from_its_page(client: Client, office: dict[str, Any]) -> None:
    made = services.request_submit(
        actor=office["citizen"],
        body=office["body"],
        description="某文件",
        delivery=Delivery.POST,
        address="示范市幸福路1号",
    )
    client.force_login(office["officer"])
    queue = client.get("/workbench/disclosure/").content.decode()
    assert made.number in queue
    page = client.get(f"/workbench/disclosure/requests/{made.pk}/?outcome=refused").content.decode()
    assert 'name="ground"' in page and "商业秘密" in page
    text = client.get(
        f"/workbench/disclosure/requests/{made.pk}/reply-text/", {"outcome": "refused", "ground": "trade_secret"}
    ).content.decode()
    assert "商业秘密" in text
    refused = client.post(
        f"/workbench/disclosure/requests/{made.pk}/reply/",
        {"outcome": "refused", "ground": "", "text": "不予公开", "delivery": "post"},
        follow=True,
    )
    assert "法律依据" in refused.content.decode() or "legal ground" in refused.content.decode()
    made.refresh_from_db()
    assert made.status == RequestStatus.RECEIVED
    client.post(
        f"/workbench/disclosure/requests/{made.pk}/reply/",
        {"outcome": "refused", "ground": "trade_secret", "text": "不予公开。", "delivery": "post"},
    )
    made.refresh_from_db()
    assert made.status == RequestStatus.REPLIED and made.reply.ground == Ground.THIRD_PARTY_TRADE_SECRET
    assert client.get(f"/workbench/disclosure/requests/{made.pk}/reply.pdf").content.startswith(b"%PDF")
    stranger = Client()
    stranger.force_login(office["supervisor"])
    assert stranger.get(f"/workbench/disclosure/requests/{made.pk}/").status_code == 200  # reads the region
    denied = stranger.post(
        f"/workbench/disclosure/requests/{made.pk}/appeal/",
        {"kind": "reconsideration", "authority": "x", "filed_on": "2026-01-01"},
        follow=True,
    )
    assert not made.appeals.exists() and denied.status_code == 200


def test_an_item_from_draft_to_publication(client: Client, office: dict[str, Any]) -> None:
    client.force_login(office["officer"])
    answer = client.post(
        "/workbench/disclosure/items/new/",
        {
            "body": office["body"].pk,
            "category": office["category"].pk,
            "kind": "normative",
            "title": "关于某事的通知",
            "formed_on": timezone.localdate().isoformat(),
            "issued_on": timezone.localdate().isoformat(),
            "channels": ["website", "wechat"],
            "text": "正文",
        },
    )
    item = ProactiveItem.objects.get()
    assert answer.status_code == 302
    client.post(f"/workbench/disclosure/items/{item.pk}/submit/")
    client.post(f"/workbench/disclosure/items/{item.pk}/review/", {"decision": "passed"})
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW  # the drafter cannot review their own item
    reviewer = Client()
    reviewer.force_login(office["colleague"])
    reviewer.post(f"/workbench/disclosure/items/{item.pk}/review/", {"decision": "passed"})
    client.post(f"/workbench/disclosure/items/{item.pk}/publish/")
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert re.fullmatch(rf"{office['body'].credit_code[8:17]}/\d{{4}}-00001", item.index_number)
    assert item.index_number in client.get(f"/workbench/disclosure/items/{item.pk}/").content.decode()
    assert sorted(item.channels.values_list("channel", flat=True)) == ["website", "wechat"]


def test_staff_pages_render(client: Client, office: dict[str, Any]) -> None:
    client.force_login(office["officer"])
    for url in (
        "/workbench/disclosure/",
        "/workbench/disclosure/items/",
        "/workbench/disclosure/items/new/",
        "/workbench/disclosure/requests/new/",
        "/workbench/disclosure/catalogue/",
        "/workbench/disclosure/activity/",
    ):
        assert client.get(url).status_code == 200, url
    answer = client.post(
        "/workbench/disclosure/catalogue/",
        {
            "body": office["body"].pk,
            "what": "guide",
            "office": "示范市政务服务中心政府信息公开办公室",
            "address": "示范市人民路1号",
            "hours": "工作日 9:00-17:00",
            "phone": "0990-12345678",
            "text": "申请方式：当面、信函、传真、网上。",
        },
    )
    assert answer.status_code == 302
    assert "人民路1号" in Client().get(f"/disclosure/bodies/{office['body'].pk}/").content.decode()
    _ = Outcome
