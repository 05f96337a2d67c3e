"""Fills the configured database with a large published catalogue for bench/catalogue.py.

    DJANGO_SETTINGS_MODULE=yiwang.settings .venv/bin/python bench/catalogue_fill.py --count 20000

Rows are bulk-inserted (the services would take minutes for 20,000 items and are not what is being
measured); the derived search columns are computed by the same code the model's save() uses. Names
combine subjects and actions of real items, spread over synthetic departments of the demo districts,
so searches match hundreds or thousands of items as they would in a real catalogue. Idempotent.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402
from django.utils import timezone  # noqa: E402

from yiwang.accounts.roles import Role  # noqa: E402
from yiwang.catalogue.models import (  # noqa: E402
    BaseItem,
    CaseKind,
    CatalogueRevision,
    ImplementationVersion,
    ItemImplementation,
    ItemType,
    Level,
    MaterialRequirement,
    Necessity,
    ProcessStep,
    VersionStatus,
)
from yiwang.catalogue.rules import implementation_code_for  # noqa: E402
from yiwang.catalogue.search import pinyin_text  # noqa: E402
from yiwang.catalogue.themes import BUSINESS, PERSONAL  # noqa: E402
from yiwang.core.identifiers import credit_code_with_check  # noqa: E402
from yiwang.organisation.models import Department, Region  # noqa: E402

SUBJECTS = [
    "食品经营",
    "药品零售",
    "建筑工程施工",
    "道路货物运输",
    "危险化学品经营",
    "烟草专卖零售",
    "排污",
    "取水",
    "林木采伐",
    "户外广告设置",
    "城市道路占用",
    "餐饮服务",
    "娱乐场所经营",
    "出版物零售",
    "互联网上网服务",
    "旅馆业特种行业",
    "公章刻制",
    "养犬",
    "房屋租赁",
    "二手车交易",
    "医疗机构执业",
    "放射诊疗",
    "母婴保健技术服务",
    "民办学校办学",
    "校车使用",
    "职业介绍",
    "劳务派遣经营",
    "人力资源服务",
    "建设用地规划",
    "乡村建设规划",
    "不动产首次登记",
    "不动产变更登记",
    "居民身份证",
    "居住证",
    "户口登记",
    "机动车登记",
    "驾驶证",
    "出入境证件",
    "社会保障卡",
    "医疗保险",
    "养老保险",
    "失业保险",
    "工伤保险",
    "生育保险",
    "住房公积金",
    "最低生活保障",
    "特困人员供养",
    "临时救助",
    "残疾人两项补贴",
]
ACTIONS = [
    "许可",
    "许可证核发",
    "许可变更",
    "许可延续",
    "许可注销",
    "登记",
    "备案",
    "审批",
    "核准",
    "证明开具",
    "资格认定",
    "补贴申领",
    "年度检验",
    "证件补领",
    "信息变更",
]
VARIANTS = ("", "（新办）", "（变更）", "（延续）", "（注销）")


def _departments(count: int) -> list[Department]:
    districts = list(Region.objects.filter(code__in=["990102", "990103", "990104"]))
    departments = []
    for index in range(count):
        region = districts[index % len(districts)]
        credit_code = credit_code_with_check(f"11{region.code}8{index:08d}")
        department, _created = Department.objects.get_or_create(
            credit_code=credit_code,
            defaults={"name": f"{region.name}第{index + 1}业务局", "region": region},
        )
        departments.append(department)
    return departments


@transaction.atomic
def fill(count: int) -> int:
    existing = ItemImplementation.objects.count()
    if existing >= count:
        return 0
    names = [f"{s}{a}{v}" for s, a, v in itertools.product(SUBJECTS, ACTIONS, VARIANTS)]
    departments = _departments(max(1, count // len(names) + 1) * 3)
    themes = PERSONAL.themes + BUSINESS.themes
    bases = []
    for index, name in enumerate(names):
        code = f"98{index:010d}"
        bases.append(BaseItem(base_code=code, name=name, item_type=ItemType.LICENSING))
    BaseItem.objects.bulk_create(bases, ignore_conflicts=True)
    bases = list(BaseItem.objects.filter(base_code__startswith="98").order_by("base_code"))
    now = timezone.now()
    implementations, versions = [], []
    pairs = itertools.product(departments, bases)
    made = 0
    while existing + made < count:
        department, base = next(pairs)
        code = implementation_code_for(credit_code=department.credit_code, level=Level.COUNTY, base_code=base.base_code)
        implementations.append(ItemImplementation(code=code, base_item=base, department=department, level=Level.COUNTY))
        made += 1
    ItemImplementation.objects.bulk_create(implementations, batch_size=2000)
    implementations = list(
        ItemImplementation.objects.filter(current__isnull=True, versions__isnull=True).select_related("base_item")
    )
    for index, implementation in enumerate(implementations):
        name = implementation.base_item.name
        on_the_spot = index % 4 == 0
        theme = themes[index % len(themes)]
        aliases = [name.replace("许可", "证")] if "许可" in name else []
        versions.append(
            ImplementationVersion(
                implementation=implementation,
                number=1,
                status=VersionStatus.PUBLISHED,
                published_at=now,
                name=name,
                aliases=aliases,
                keywords=[theme],
                themes=[theme],
                conditions="符合法定条件的申请人",
                legal_basis="相关法律法规",
                service_objects=["自然人"] if theme in PERSONAL.themes else ["企业法人"],
                statutory_limit=20,
                promised_limit=0 if on_the_spot else 5 + index % 10,
                case_kind=CaseKind.ON_THE_SPOT if on_the_spot else CaseKind.PROMISED,
                channels=["window", "online"],
                online_depth=[1, 2, 3, 4] if index % 3 else [1, 2, 3],
                visits=index % 3,
                result_type="licence",
                handling_place="区政务服务中心",
                search_text=" ".join([name, *aliases, theme]),
                pinyin_text=pinyin_text([name, *aliases]),
                theme_text=f"|{theme}|",
            )
        )
    ImplementationVersion.objects.bulk_create(versions, batch_size=2000)
    steps, materials = [], []
    for version in ImplementationVersion.objects.filter(implementation__in=implementations).only("pk"):
        steps += [
            ProcessStep(version=version, order=1, name="受理", performer=Role.CLERK, working_days=1),
            ProcessStep(version=version, order=2, name="审查", performer=Role.APPROVER, working_days=3),
            ProcessStep(version=version, order=3, name="决定", performer=Role.APPROVER, working_days=1),
        ]
        materials += [
            MaterialRequirement(version=version, order=1, name="申请表"),
            MaterialRequirement(version=version, order=2, name="申请人身份证明"),
            MaterialRequirement(version=version, order=3, name="场所证明", necessity=Necessity.DEFERRABLE),
        ]
    ProcessStep.objects.bulk_create(steps, batch_size=5000)
    MaterialRequirement.objects.bulk_create(materials, batch_size=5000)
    first_version = ImplementationVersion.objects.filter(implementation=OuterRef("pk"), number=1).values("pk")[:1]
    ItemImplementation.objects.filter(current__isnull=True).update(current=Subquery(first_version))
    CatalogueRevision.bump()
    return made


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    made = fill(parser.parse_args().count)
    if connection.vendor == "postgresql":
        # Bulk inserts leave the planner's statistics stale until autovacuum runs; refresh them now
        # so the first requests are planned as a database in service would plan them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"catalogue: {ItemImplementation.objects.count()} implementations ({made} added now)")
