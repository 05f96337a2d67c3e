"""The knowledge base beside the intake form: Chinese search, validity dates, owning departments, and
the count of uses when an agent resolves a call with an article (issue 8)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from yiwang.accounts.roles import Role
from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.demo.city import demo_departments
from yiwang.demo.hotline import demo_hotline_load
from yiwang.hotline import services
from yiwang.hotline.knowledge import article_save, articles_search, query_words
from yiwang.hotline.models import Article
from yiwang.organisation.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb(demo_city) -> None:  # type: ignore[no-untyped-def]
    demo_hotline_load(demo_departments())


def test_a_question_in_plain_chinese_finds_the_article(kb) -> None:  # type: ignore[no-untyped-def]
    assert "怎么" not in query_words("老年人优待证怎么办？")
    assert articles_search("请问老人优待证在哪里办")[0].title == "老年人优待证怎么办理"
    assert articles_search("办居住证要带什么材料")[0].title == "居住证办理需要哪些材料"
    assert articles_search("家里突然停水了")[0].title == "计划停水停电信息在哪里查"
    assert articles_search("的 了 吗") == []


def test_expired_articles_are_not_offered_and_departments_keep_their_own(kb, make_user) -> None:  # type: ignore[no-untyped-def]
    police = Department.objects.get(short_name="公安局")
    old = Article.objects.get(title="居住证办理需要哪些材料")
    old.valid_until = timezone.localdate() - timedelta(days=1)
    old.save()
    assert all(a.pk != old.pk for a in articles_search("居住证材料"))
    market_admin = make_user(Role.DEPT_ADMIN, department=Department.objects.get(short_name="市场监管局"))
    with pytest.raises(PermissionDenied):
        article_save(actor=market_admin, department=police, title="户口迁移", body="到派出所办理户口迁移手续。",
                     valid_from=date(2026, 1, 1))  # fmt: skip
    with pytest.raises(ValidationFailed):
        article_save(actor=None, department=police, title="", body="短", valid_from=date(2026, 2, 1),
                     valid_until=date(2026, 1, 1))  # fmt: skip


def test_resolving_with_an_article_counts_its_use(client, kb, make_user, city) -> None:  # type: ignore[no-untyped-def]
    agent = make_user(Role.HOTLINE_AGENT, region=city)
    client.force_login(agent)
    found = client.get("/api/v1/hotline/knowledge", {"q": "社保缴费记录怎么查"}).json()
    article = found[0]
    assert article["title"] == "个人社保缴费记录查询" and article["department"] == "示范市人力资源和社会保障局"
    ticket = services.ticket_create(
        actor=agent,
        intake=services.Intake(
            channel="phone",
            kind="consult",
            category_code="LD0201",
            description="想查自己的社保缴费记录",
            caller_phone="13800138000",
        ),
    )
    done = client.post(
        f"/api/v1/hotline/tickets/{ticket.number}/actions/resolve",
        {"answer": article["body"], "article": article["id"]},
        content_type="application/json",
    )
    assert done.json()["status"] == "resolved"
    assert Article.objects.get(pk=article["id"]).uses == 1
