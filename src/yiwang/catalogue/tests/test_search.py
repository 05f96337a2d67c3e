"""Finding items: jieba words, pinyin initials and ranking (issue 4, item 4)."""

from __future__ import annotations

import pytest

from yiwang.catalogue import selectors
from yiwang.catalogue.search import parse

pytestmark = pytest.mark.django_db


def _names(q: str, n: int = 5) -> list[str]:
    return [item.current.name for item in selectors.published_list(q=q)[:n]]


def test_a_question_is_cut_into_words_and_noise_is_dropped() -> None:
    parsed = parse("如何办理居民身份证换领")
    assert [w.text for w in parsed.words] == ["居民身份证", "换领"]
    # 居民身份证 also stands for its parts, so "身份证换领" finds "居民身份证换领" and the reverse.
    assert "身份证" in parsed.words[0].parts


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("居民身份证换领", "居民身份证换领"),  # the exact name first
        ("如何办理居民身份证换领", "居民身份证换领"),  # a whole question
        ("换领身份证", "居民身份证换领"),  # words in another order
        ("身份证到期了怎么换", "居民身份证换领"),  # through the alias 身份证到期换证
        ("jmsfzhl", "居民身份证换领"),  # pinyin initials of the name
        ("shenfenzheng", "居民身份证换领"),  # full pinyin
        ("开饭店", "食品经营许可（新办）"),  # a keyword
        ("过户", "不动产转移登记（二手房买卖）"),  # an alias
        ("公租房申请", "公共租赁住房申请"),
        ("失业金", "失业保险金申领"),
    ],
)
def test_search_finds_the_item_people_mean(demo_catalogue: None, query: str, first: str) -> None:
    assert _names(query)[0] == first


def test_a_name_match_ranks_above_a_keyword_match(demo_catalogue: None) -> None:
    names = _names("营业执照", 10)
    assert names[0] == "营业执照遗失补领"  # the name contains the words
    assert "个体工商户设立登记" in names  # found through its keyword, ranked lower


def test_when_not_every_word_matches_any_word_still_finds_something(demo_catalogue: None) -> None:
    assert "内地居民结婚登记" in _names("结婚 离婚 复婚", 10)


def test_nothing_found_is_an_empty_list_not_an_error(demo_catalogue: None) -> None:
    assert _names("量子计算机") == []
    assert _names("%_'\"") == []


def test_search_works_in_a_fixed_number_of_queries(demo_catalogue: None, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    list(selectors.published_list(q="身份证")[:20])  # this process builds its index once
    with django_assert_num_queries(2):  # the catalogue's revision, then the rows of the page shown
        results = selectors.published_list(q="身份证 换领")
        assert results.count() == 1
        list(results[:20])


def test_what_is_published_is_found_at_once_and_what_is_suspended_is_not(demo_catalogue: None) -> None:
    from yiwang.catalogue import services
    from yiwang.catalogue.models import ItemImplementation

    assert _names("工伤") == ["工伤认定"]
    item = ItemImplementation.objects.get(current__name="工伤认定")
    services.version_suspend(actor=None, version=item.current, reason="系统升级")
    assert _names("工伤") == []
    services.version_resume(actor=None, version=item.current)
    draft = services.implementation_change(actor=None, implementation=item)
    services.version_update(actor=None, version=draft, name="工伤认定申请")
    assert _names("工伤") == ["工伤认定"]  # a draft is not public
    services.version_submit(actor=None, version=draft)
    services.version_publish(actor=None, version=draft)
    assert _names("工伤") == ["工伤认定申请"]


def test_filters_combine_with_the_query(demo_catalogue: None) -> None:
    from yiwang.catalogue.models import ItemImplementation

    police = ItemImplementation.objects.get(current__name="居民身份证换领").department_id
    assert _names("身份证", 10)[:2] == ["居民身份证换领", "居民身份证补领"]
    assert all(item.department_id == police for item in selectors.published_list(q="证明", department=police)[:10])
    assert [i.current.name for i in selectors.published_list(q="登记", theme="婚姻")[:5]] == ["内地居民结婚登记"]


def test_theme_counts_come_from_the_index_and_match_the_database(demo_catalogue: None) -> None:
    from yiwang.catalogue.models import ItemImplementation, VersionStatus
    from yiwang.catalogue.themes import PERSONAL

    published = ItemImplementation.objects.filter(current__status=VersionStatus.PUBLISHED)
    expected = [(t, published.filter(current__theme_text__contains=f"|{t}|").count()) for t in PERSONAL.themes]
    assert selectors.theme_counts(PERSONAL) == expected
    assert dict(expected)["户籍办理"] == 3
