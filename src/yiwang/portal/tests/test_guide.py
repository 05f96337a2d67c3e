"""The guide (办事指南) on the portal, in print and in the API; theme navigation (issue 4, items 3-4, 6)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from yiwang.catalogue import selectors, services
from yiwang.catalogue.models import CaseKind, ItemImplementation, Necessity, VersionStatus

pytestmark = pytest.mark.django_db


def _code(name: str) -> str:
    return ItemImplementation.objects.get(current__name=name).code


def test_the_demo_catalogue_has_what_the_issue_names(demo_catalogue: None) -> None:
    published = ItemImplementation.objects.filter(current__status=VersionStatus.PUBLISHED)
    assert published.count() >= 30
    assert published.values("department").distinct().count() >= 10
    assert published.filter(current__case_kind=CaseKind.ON_THE_SPOT).count() >= 5
    assert published.filter(current__materials__necessity=Necessity.DEFERRABLE).distinct().count() >= 3
    assert published.filter(current__joint_departments__isnull=False).distinct().count() >= 1
    assert published.filter(current__materials__replaced_by__isnull=False).distinct().count() >= 10


def test_a_second_load_adds_nothing(demo_catalogue: None) -> None:
    from yiwang.demo.catalogue import demo_catalogue_load
    from yiwang.demo.city import CENTRE_ADDRESS, demo_departments

    assert demo_catalogue_load(demo_departments(), CENTRE_ADDRESS) == 0


def test_the_guide_page_has_everything_a_citizen_needs(client: Client, demo_catalogue: None) -> None:
    response = client.get(f"/items/{_code('食品经营许可（新办）')}/")
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        "食品经营许可（新办）",
        "示范市市场监督管理局",
        "受理条件",  # conditions
        "办理地点",  # where
        "办理时间",  # when
        "法定办结时限",
        "10 个工作日",
        "承诺办结时限",
        "最多 1 次",  # visits
        "不收费",  # fees
        "设定依据",
        "《中华人民共和国食品安全法》第三十五条",
        "网上受理",  # online options
        "现场勘查",  # a special procedure
        "空白表格下载",
        "可容缺后补",
        "办理流程",
    ):
        assert expected in page, expected
    # 营业执照 is replaced by the licence: marked 免提交 and told where it comes from.
    assert "免提交" in page
    assert "通过营业执照获取，无需提交。" in page


def test_the_guide_reads_a_fixed_number_of_queries(client, demo_catalogue, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    code = _code("建设工程竣工联合验收")
    with django_assert_max_num_queries(8):  # session, implementation + version, materials, steps, joint departments
        assert client.get(f"/items/{code}/").status_code == 200


def test_the_printed_guide_is_the_same_data(client: Client, demo_catalogue: None) -> None:
    code = _code("建设工程竣工联合验收")
    response = client.get(f"/items/{code}/guide.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    guide = selectors.guide_get(code)
    assert "建设工程竣工联合验收办事指南" in text.replace(" ", "")
    compact = text.replace(" ", "").replace("\n", "")
    for material in guide.materials:
        assert material.name.replace(" ", "") in compact
    for step in guide.steps:
        assert step.name in compact
    assert "示范市自然资源局" in compact  # a joint-approval department
    assert "免提交：通过建设工程规划许可证获取" in compact  # replaced materials are marked in print too


def test_a_blank_form_downloads_and_a_missing_one_is_404(client: Client, demo_catalogue: None) -> None:
    code = _code("食品经营许可（新办）")
    response = client.get(f"/items/{code}/materials/1/form/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    sample = client.get(f"/items/{code}/materials/1/sample/")
    assert b"".join(sample.streaming_content).startswith(b"%PDF")
    assert client.get(f"/items/{code}/materials/2/form/").status_code == 404
    result = client.get(f"/items/{code}/result-sample/")  # 食品经营许可证: a licence, so a sample of it
    assert b"".join(result.streaming_content).startswith(b"%PDF")
    assert client.get(f"/items/{_code('发票领用')}/result-sample/").status_code == 404
    assert client.get(f"/items/{code}/materials/99/form/").status_code == 404


def test_drafts_and_unknown_codes_have_no_guide(client: Client, demo_catalogue: None) -> None:
    implementation = ItemImplementation.objects.get(current__name="工伤认定")
    draft = services.implementation_change(actor=None, implementation=implementation)
    services.version_update(actor=None, version=draft, name="工伤认定（草稿）")
    page = client.get(f"/items/{implementation.code}/").content.decode()
    assert "工伤认定（草稿）" not in page  # the public sees the published version only
    response = client.get("/items/NO-SUCH-CODE/")
    assert response.status_code == 404
    assert "该事项不在已发布的事项目录中。" in response.content.decode()


def test_personal_themes_lead_to_their_items(client: Client, demo_catalogue: None) -> None:
    page = client.get("/personal/").content.decode()
    assert "户籍办理" in page
    assert "身后事" in page
    listing = client.get("/personal/?theme=户籍办理").content.decode()
    assert "户口迁入（投靠类）" in listing
    assert "食品经营许可（新办）" not in listing


def test_business_items_by_department_and_level(client: Client, demo_catalogue: None) -> None:
    market = ItemImplementation.objects.filter(current__name="食品经营许可（新办）").get().department
    listing = client.get(f"/business/?department={market.pk}&level=3").content.decode()
    assert "食品经营许可（新办）" in listing
    assert "示范市公安局" not in listing.split('aria-live="polite"')[1]
    assert "没有符合条件的事项。" in client.get(f"/business/?department={market.pk}&level=5").content.decode()


def test_search_lists_ranked_items_and_answers_htmx_with_results_only(client: Client, demo_catalogue: None) -> None:
    page = client.get("/search/?q=sfz").content.decode()
    assert "居民身份证换领" in page
    partial = client.get("/search/?q=sfz", headers={"HX-Request": "true"}).content.decode()
    assert "居民身份证换领" in partial
    assert "<html" not in partial


@pytest.mark.parametrize("params", ["department=abc", "level=9", "theme=<script>", "page=-1", "page=999"])
def test_odd_filters_are_ignored_not_errors(client: Client, demo_catalogue: None, params: str) -> None:
    assert client.get(f"/business/?{params}").status_code == 200


def test_the_api_has_the_same_guide_data(client: Client, demo_catalogue: None) -> None:
    code = _code("建设工程竣工联合验收")
    body = client.get(f"/api/v1/catalogue/implementations/{code}").json()
    guide = selectors.guide_get(code)
    assert [m["name"] for m in body["materials"]] == [m.name for m in guide.materials]
    assert [m["exempt"] for m in body["materials"]] == [bool(m.exempt_by) for m in guide.materials]
    assert body["materials"][0]["blank_form_url"].endswith(f"/items/{code}/materials/1/form/")
    assert body["joint_departments"] == guide.joint_departments
    assert body["special_procedures"] == ["site_inspection"]
    assert body["item_type"] == "other_power"


def test_the_statistics_api_states_its_formulas(client: Client, demo_catalogue: None) -> None:
    body = client.get("/api/v1/catalogue/statistics?by=department").json()
    assert set(body["formulas"]) == {"online_available", "fully_online", "at_most_one_visit", "on_the_spot"}
    assert body["overall"]["total"] == 39
    assert 0 < body["overall"]["rates"]["at_most_one_visit"] <= 1
