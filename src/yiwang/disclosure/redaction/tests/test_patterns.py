"""The finders on plain text: what each kind of personal data looks like, and what merely resembles it."""

from __future__ import annotations

import pytest

from yiwang.disclosure.redaction import names, patterns
from yiwang.disclosure.redaction.tests.documents import INVALID_ID, VALID_ID
from yiwang.disclosure.redaction.text import Finder


def found(finder: Finder, text: str) -> list[str]:
    return [text[span.start : span.end] for span in finder(text)]


def test_an_id_number_is_found_only_with_its_check_character_right() -> None:
    assert found(patterns.id_numbers, f"身份证号：{VALID_ID}。") == [VALID_ID]
    assert found(patterns.id_numbers, f"身份证号：{VALID_ID.lower()}") == [VALID_ID.lower()]
    assert found(patterns.id_numbers, "身份证号：110105 19491231 002X") == ["110105 19491231 002X"]
    assert found(patterns.id_numbers, f"号码 {INVALID_ID}") == []
    # Inside a longer run (an account or order number) it is not an ID number.
    assert found(patterns.id_numbers, f"账号 6{VALID_ID}") == []


def test_a_legacy_fifteen_digit_id_number_needs_a_province_and_a_real_birth_date() -> None:
    assert found(patterns.id_numbers, "旧证 110105491231002") == ["110105491231002"]
    assert found(patterns.id_numbers, "订单 990105491231002") == []
    assert found(patterns.id_numbers, "订单 110105491331002") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话：13800138000。", ["13800138000"]),
        ("电话 138 0013 8000", ["138 0013 8000"]),
        ("电话 138-0013-8000", ["138-0013-8000"]),
        ("电话 +86 13800138000", ["13800138000"]),
        ("电话 8613800138000", ["13800138000"]),
        ("流水号 2138001380001", []),
        ("固定电话 12800138000", []),
        ("座机 0571-87654321", []),
    ],
)
def test_mobile_numbers(text: str, expected: list[str]) -> None:
    assert found(patterns.mobiles, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("住址：北京市朝阳区建国路88号3栋2单元501室。", "北京市朝阳区建国路88号3栋2单元501室"),
        ("家住湖南省长沙市岳麓区麓山路12号，", "湖南省长沙市岳麓区麓山路12号"),
        ("住在黑龙江省哈尔滨市南岗区西大直街92号。", "黑龙江省哈尔滨市南岗区西大直街92号"),
        ("户籍在黄河村3组，", "黄河村3组"),
        ("我们在建国门外街道1号办公", "建国门外街道1号"),
        ("送达地址：示范市东城区幸福里小区5幢402室，电话", "示范市东城区幸福里小区5幢402室"),
    ],
)
def test_an_address_reaches_from_a_place_down_to_a_dwelling(text: str, expected: str) -> None:
    assert expected in found(patterns.addresses, text)


@pytest.mark.parametrize(
    "text",
    [
        "北京市朝阳区2023年度政府信息公开工作年度报告",
        "国办函〔2020〕109号",
        "会议在区政府2楼201室召开",
        "北京市人民政府令第3号",
    ],
)
def test_places_and_document_numbers_are_not_addresses(text: str) -> None:
    assert found(patterns.addresses, text) == []


def test_names_after_a_label_and_before_a_title() -> None:
    text = "申请人：张三丰，联系人：王小明电话：13912345678。致李先生、欧阳娜娜女士。"
    assert set(found(names.names, text)) >= {"张三丰", "王小明", "李", "欧阳娜娜"}


def test_a_label_followed_by_an_organisation_is_no_name() -> None:
    assert "示范市某某科技有限公司" not in found(names.names, "申请人：示范市某某科技有限公司")
    assert found(names.names, "申请人：示范市政府") == []


def test_names_jieba_tags_and_common_words_it_tags_the_same() -> None:
    text = "张秀英和王芳到场。北京胡同、行政许可、陈述申辩、宋体、王府井、冯某、谢谢。"
    assert found(names.names, text) == ["张秀英", "王芳"]
