"""Theme classifications (主题分类) of the catalogue: the life events of a person and of a company.

The portal's 个人办事 and 法人办事 pages are built from these lists; an implementation names the themes
it belongs to by these names (catalogue.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Audience:
    key: str  # personal | business: the portal's URL
    themes: tuple[str, ...]


PERSONAL = Audience(
    "personal",
    (
        "生育收养",
        "户籍办理",
        "证件办理",
        "教育",
        "就业",
        "社会保障",
        "婚姻",
        "住房",
        "交通出行",
        "医疗卫生",
        "残疾人服务",
        "退休养老",
        "身后事",
    ),
)
BUSINESS = Audience(
    "business",
    (
        "设立变更",
        "准营准办",
        "投资审批",
        "工程建设",
        "年检年审",
        "税收财务",
        "人力资源",
        "注销",
    ),
)
AUDIENCES = {a.key: a for a in (PERSONAL, BUSINESS)}
ALL_THEMES = frozenset(PERSONAL.themes + BUSINESS.themes)
