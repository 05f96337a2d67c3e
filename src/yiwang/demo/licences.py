"""The demo's e-licences, shared data and instant-approval rules (docs/licences.md).

- e-licences the demo people and companies already hold (居民身份证, 居民户口簿, 营业执照), so their
  applications are not asked for those papers;
- three registered data resources — 人社 social-insurance record, 不动产 property registration,
  公安 household registration — each replacing a material of a demo item, with records of the demo
  people (fictional);
- the rules of 老年人优待证 as data: 60 or older by the ID number, household registered in the
  city, no valid 老年人优待证 yet — so the demo senior gets hers in seconds with no staff action.
Idempotent like the rest of the demo: a second load adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from yiwang.catalogue.models import ItemImplementation, LicenceType
from yiwang.demo.city import CITY
from yiwang.instant.models import InstantRule, RuleKind
from yiwang.instant.services import instant_rules_set
from yiwang.licences.models import Licence
from yiwang.licences.services import licence_issue
from yiwang.organisation.models import Department
from yiwang.sharing.models import DataResource, SubjectKind
from yiwang.sharing.services import data_record_put, data_resource_register

CITIZEN = ("张三", "110101198001011232")
SENIOR = ("王桂兰", "11010219580312002X")
# Another senior of the city who already holds the licence: her application goes to people.
OTHER_SENIOR = ("刘秀英", "11010219600105001X")
COMPANY = ("示范科技有限公司", "91110101MA00000018")

# fmt: off
# (licence type code, holder, number, data)
LICENCES: list[tuple[str, tuple[str, str], str, dict[str, Any]]] = [
    ("99001", CITIZEN, "110101198001011232", {"性别": "男", "民族": "汉", "出生日期": "1980-01-01", "住址": "示范市城东区东湖街道幸福路 8 号"}),
    ("99002", CITIZEN, "990102001-0008", {"户主姓名": "张三", "户号": "990102001-0008", "住址": "示范市城东区东湖街道幸福路 8 号"}),
    ("99001", SENIOR, "11010219580312002X", {"性别": "女", "民族": "汉", "出生日期": "1958-03-12", "住址": "示范市城东区朝阳街道康宁里 3 号"}),
    ("99001", OTHER_SENIOR, "11010219600105001X", {"性别": "女", "民族": "汉", "出生日期": "1960-01-05", "住址": "示范市城西区和平街道长寿路 21 号"}),
    ("99012", OTHER_SENIOR, "YD-990103-000001", {"出生日期": "1960-01-05", "户籍地": "示范市城西区"}),
    ("99004", COMPANY, "91110101MA00000018", {"类型": "有限责任公司", "法定代表人": "张三", "经营范围": "软件开发；信息技术咨询服务", "住所": "示范市高新区创业大道 100 号"}),
]

RESOURCES: list[dict[str, Any]] = [
    {
        "code": "social-insurance",
        "name": "社会保险参保缴费记录",
        "provider": "hrss",
        "fields": [
            {"key": "参保状态", "label": "参保状态"},
            {"key": "险种", "label": "参保险种"},
            {"key": "累计缴费月数", "label": "累计缴费月数"},
            {"key": "参保单位", "label": "参保单位"},
        ],
        "subject_kind": SubjectKind.PERSON,
        "legal_basis": "《中华人民共和国社会保险法》第七十四条；《国务院关于在线政务服务的若干规定》第十二条",
        "conditions": "仅用于社会保险待遇核定和政务服务事项办理，不得向第三方提供",
        "replaces": "社会保险参保缴费记录",
        "records": [
            (CITIZEN[1], {"参保状态": "正常参保", "险种": "养老、医疗、失业、工伤", "累计缴费月数": "236", "参保单位": "示范科技有限公司"}),
            (SENIOR[1], {"参保状态": "退休", "险种": "养老、医疗", "累计缴费月数": "372", "参保单位": "示范市纺织厂"}),
        ],
    },
    {
        "code": "property",
        "name": "不动产登记信息",
        "provider": "resources",
        "fields": [
            {"key": "权利人", "label": "权利人"},
            {"key": "不动产权证号", "label": "不动产权证号"},
            {"key": "坐落", "label": "坐落"},
            {"key": "面积", "label": "建筑面积（平方米）"},
            {"key": "套数", "label": "名下住房套数"},
        ],
        "subject_kind": SubjectKind.PERSON,
        "legal_basis": "《不动产登记暂行条例》第二十四条、第二十七条",
        "conditions": "用于住房保障资格审核、不动产交易等政务服务事项",
        "replaces": "不动产登记信息",
        "records": [
            (CITIZEN[1], {"权利人": "张三", "不动产权证号": "示(2021)示范市不动产权第0012345号", "坐落": "示范市城东区东湖街道幸福路 8 号 2 单元 301", "面积": "89.5", "套数": "1"}),
        ],
    },
    {
        "code": "household",
        "name": "户籍信息",
        "provider": "police",
        "fields": [
            {"key": "姓名", "label": "姓名"},
            {"key": "户籍地区划", "label": "户籍地区划代码"},
            {"key": "户籍地址", "label": "户籍地址"},
            {"key": "户号", "label": "户号"},
        ],
        "subject_kind": SubjectKind.PERSON,
        "legal_basis": "《中华人民共和国户口登记条例》；《国务院关于在线政务服务的若干规定》第十二条",
        "conditions": "仅核验户籍所在地，用于政务服务事项办理",
        "replaces": "户籍信息",
        "records": [
            (CITIZEN[1], {"姓名": "张三", "户籍地区划": "990102001", "户籍地址": "示范市城东区东湖街道幸福路 8 号", "户号": "990102001-0008"}),
            (SENIOR[1], {"姓名": "王桂兰", "户籍地区划": "990102002", "户籍地址": "示范市城东区朝阳街道康宁里 3 号", "户号": "990102002-0311"}),
            (OTHER_SENIOR[1], {"姓名": "刘秀英", "户籍地区划": "990103002", "户籍地址": "示范市城西区和平街道长寿路 21 号", "户号": "990103002-0107"}),
        ],
    },
]

# fmt: on

SENIOR_CARD_ITEM = "990000000033"  # 老年人优待证办理
SENIOR_CARD_RULES: list[tuple[str, dict[str, Any], str]] = [
    (RuleKind.AGE_AT_LEAST, {"years": 60}, "年满60周岁（按身份证号码出生日期）"),
    (
        RuleKind.SHARED_DATA,
        {"resource": "household", "field": "户籍地区划", "prefix": CITY[0][:4], "show": "户籍地址"},
        "户籍在本市（公安户籍信息）",
    ),
    (RuleKind.NO_LICENCE, {"licence_type": "99012"}, "未持有有效的老年人优待证"),
]


@transaction.atomic
def demo_licences_load(departments: dict[str, Department]) -> None:
    for code, (holder, holder_code), number, data in LICENCES:
        licence_type = LicenceType.objects.select_related("issuing_department").get(code=code)
        if Licence.objects.filter(licence_type=licence_type, number=number).exists():
            continue
        assert licence_type.issuing_department is not None
        licence_issue(
            actor=None,
            licence_type=licence_type,
            issuer=licence_type.issuing_department,
            holder_name=holder,
            holder_code=holder_code,
            number=number,
            data=data,
        )
    for spec in RESOURCES:
        resource = DataResource.objects.filter(code=spec["code"]).first()
        if resource is None:
            resource = data_resource_register(
                actor=None,
                provider=departments[spec["provider"]],
                **{k: v for k, v in spec.items() if k not in ("provider", "records")},
            )
        for subject, record in spec["records"]:
            data_record_put(resource=resource, subject_code=subject, data=record)
    implementation = ItemImplementation.objects.filter(base_item__base_code=SENIOR_CARD_ITEM).first()
    if implementation is not None and not InstantRule.objects.filter(implementation=implementation).exists():
        instant_rules_set(implementation_id=implementation.pk, rules=SENIOR_CARD_RULES)
