"""The knowledge base: articles kept by their departments and searched in Chinese beside the intake
form. A query is cut into words with jieba (search mode, so 居民身份证 also finds 身份证); an article
matching more words ranks higher, a word in the title counts three times, then the most used."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import jieba
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import raise_problems
from yiwang.core.fields import text_problems
from yiwang.hotline.models import Article, Category

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "啊",
        "怎么",
        "怎样",
        "如何",
        "什么",
        "哪里",
        "需要",
        "可以",
        "是否",
        "我",
        "你",
        "要",
        "在",
        "和",
        "有",
        "请问",
        "一下",
        "办理",
    ]
)
CANDIDATES = 200


def query_words(query: str) -> list[str]:
    words = []
    for word in jieba.cut_for_search(query.strip()[:100]):
        word = word.strip()
        if len(word) >= 2 and word not in STOP_WORDS and word not in words:
            words.append(word)
    return words[:8]


def articles_search(query: str, *, on: date | None = None, limit: int = 10) -> list[Article]:
    """Valid articles matching the query's words, best first."""
    words = query_words(query)
    if not words:
        return []
    on = on or timezone.localdate()
    matches = Q()
    for word in words:
        matches |= Q(title__icontains=word) | Q(body__icontains=word)
    candidates = list(
        Article.objects.filter(matches, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("department", "category")[:CANDIDATES]
    )

    def score(article: Article) -> tuple[int, int]:
        points = sum(3 * (w in article.title) + (w in article.body) for w in words)
        return (-points, -article.uses)

    return sorted(candidates, key=score)[:limit]


@transaction.atomic
def article_save(
    *,
    actor: User | None,
    department: Department,
    title: str,
    body: str,
    valid_from: date,
    valid_until: date | None = None,
    category: Category | None = None,
    article: Article | None = None,
    public: bool = False,
) -> Article:
    """A department keeps its own articles; the centre's administrators keep any. A public article is
    shown on the portal beside the published replies."""
    if actor is not None:
        authorize(actor, {Role.DEPT_ADMIN, Role.CENTRE_ADMIN}, department=department)
    problems = text_problems(title, "title", max_length=120, required=True)
    problems += text_problems(body, "body", max_length=20000, multiline=True)
    if len(body.strip()) < 5:
        problems.append(("body", _("Write the answer the agent gives.")))
    if valid_until and valid_until < valid_from:
        problems.append(("valid_until", _("The end of validity is before its start.")))
    raise_problems(problems)
    article = article or Article()
    article.title, article.body, article.department = title.strip(), body.strip(), department
    article.valid_from, article.valid_until, article.category = valid_from, valid_until, category
    article.public = public
    article.save()
    audit_record(actor=actor, action="hotline.article_save", target=article, changes={"title": [None, article.title]})
    return article


def article_used(article_id: int) -> None:
    Article.objects.filter(pk=article_id).update(uses=F("uses") + 1)
