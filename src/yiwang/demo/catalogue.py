"""The demo catalogue of 示范市: licence types and published implementations across its departments.

Every implementation goes through the same services as a real one (draft → contents → review →
published), so the demo also proves the rules. Time limits follow the laws they cite where those set
one; the promised limits are the demo city's own. Base codes start with 99 like the demo's regions, so
a real catalogue imported later never collides. Loading is idempotent: an implementation that already
exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from yiwang.accounts.roles import Role
from yiwang.catalogue import services
from yiwang.catalogue.models import (
    BaseItem,
    CaseKind,
    Channel,
    CopyType,
    CrossRegion,
    FieldType,
    HolderType,
    ItemImplementation,
    ItemType,
    Level,
    LicenceType,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    Necessity,
    ResultType,
    SpecialProcedure,
)
from yiwang.catalogue.printing import blank_form_pdf
from yiwang.catalogue.rules import implementation_code_for
from yiwang.core.identifiers import credit_code_with_check
from yiwang.organisation.models import Department

# (code, name, issuing department key, holder type)
LICENCE_TYPES = [
    ("99001", "居民身份证", "police", HolderType.NATURAL_PERSON),
    ("99002", "居民户口簿", "police", HolderType.NATURAL_PERSON),
    ("99003", "机动车驾驶证", "police", HolderType.NATURAL_PERSON),
    ("99004", "营业执照", "market", HolderType.LEGAL_PERSON),
    ("99005", "食品经营许可证", "market", HolderType.LEGAL_PERSON),
    ("99006", "就业创业证", "hrss", HolderType.NATURAL_PERSON),
    ("99007", "建筑工程施工许可证", "housing", HolderType.LEGAL_PERSON),
    ("99008", "不动产权证书", "resources", HolderType.BOTH),
    ("99009", "出生医学证明", "health", HolderType.NATURAL_PERSON),
    ("99010", "结婚证", "civil", HolderType.NATURAL_PERSON),
    ("99011", "中华人民共和国残疾人证", "civil", HolderType.NATURAL_PERSON),
    ("99012", "老年人优待证", "civil", HolderType.NATURAL_PERSON),
    ("99013", "医师执业证书", "health", HolderType.NATURAL_PERSON),
    ("99014", "道路运输经营许可证", "transport", HolderType.LEGAL_PERSON),
    ("99015", "教师资格证书", "education", HolderType.NATURAL_PERSON),
    ("99016", "建设工程规划许可证", "resources", HolderType.LEGAL_PERSON),
]


@dataclass(frozen=True)
class M:
    """A material of the demo: name, then what differs from an original paper document of the applicant."""

    name: str
    necessity: str = Necessity.REQUIRED
    copy_type: str = CopyType.ORIGINAL
    form: str = MaterialForm.PAPER
    source: str = MaterialSource.APPLICANT
    licence: str = ""  # licence type code that replaces it (免提交)
    shared_data: str = ""
    blank_form: bool = False
    standard: str = ""

    def values(self, licences: dict[str, LicenceType]) -> dict[str, Any]:
        return {
            "name": self.name,
            "necessity": self.necessity,
            "copy_type": self.copy_type,
            "form": self.form,
            "source": MaterialSource.GOVERNMENT if self.licence or self.shared_data else self.source,
            "replaced_by": licences[self.licence] if self.licence else None,
            "shared_data": self.shared_data,
            "copies": 1,
            "acceptance_standard": self.standard or "真实、有效、清晰完整",
        }


ID_CARD = M("申请人居民身份证", licence="99001", standard="在有效期内")
HOUSEHOLD = M("居民户口簿", licence="99002")
LICENCE = M("营业执照", licence="99004", copy_type=CopyType.COPY)
PROPERTY = M("不动产权证书", licence="99008")
MARRIAGE = M("结婚证", licence="99010")
PHOTO = M("近期免冠证件照片", source=MaterialSource.OTHER, standard="可现场采集，无需另行提交")
LEGAL_REP = M("法定代表人身份证明", copy_type=CopyType.COPY, licence="99001")
PREMISES = M("经营场所使用证明（产权证明或租赁协议）", necessity=Necessity.DEFERRABLE, copy_type=CopyType.COPY)


def form(name: str) -> M:
    return M(name, form=MaterialForm.EITHER, blank_form=True, standard="按空白表格如实填写并签名（盖章）")


@dataclass(frozen=True)
class F:
    key: str
    label: str
    field_type: str = FieldType.TEXT
    required: bool = True
    choices: tuple[str, ...] = ()
    max_length: int | None = None

    def values(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "field_type": self.field_type,
            "required": self.required,
            "choices": list(self.choices),
            "max_length": self.max_length if self.field_type == FieldType.TEXT else None,
        }


@dataclass(frozen=True)
class Item:
    base_code: str
    name: str
    item_type: str
    department: str
    themes: tuple[str, ...]
    statutory: int
    promised: int
    visits: int
    depth: tuple[int, ...]
    materials: tuple[M, ...]
    legal_basis: str
    conditions: str
    objects: tuple[str, ...] = ("自然人",)
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    unit: str = LimitUnit.WORKING_DAYS
    result: tuple[str, str, str] = (ResultType.OTHER, "", "")  # type, name, licence code
    fees: tuple[dict[str, str], ...] = ()
    special: tuple[str, ...] = ()
    joint: tuple[str, ...] = ()
    fields: tuple[F, ...] = ()
    post: bool = False
    cross_region: str = CrossRegion.NONE
    limit_note: str = ""
    onsite_reason: str = ""
    appointment: bool = False
    self_service: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def on_the_spot(self) -> bool:
        return self.promised == 0


PERSON = ("自然人",)
COMPANY = ("企业法人", "非法人企业")
FULL_ONLINE = (1, 2, 3, 4, 5, 6)
WITH_LICENCE = (1, 2, 3, 4, 5, 6, 7)
PRE_REVIEW = (1, 2, 3)

# A table: one item a paragraph, long Chinese lines kept whole.
# fmt: off
ITEMS: list[Item] = [
    # 公安局
    Item(
        "990000000001", "居民身份证换领", ItemType.PUBLIC_SERVICE, "police", ("证件办理", "户籍办理"),
        60, 20, 1, PRE_REVIEW, (HOUSEHOLD, M("原居民身份证", standard="有效期满或即将期满（3个月内）"), PHOTO),
        "《中华人民共和国居民身份证法》第十一条", "居民身份证有效期满、证件损坏难以辨认或登记项目变更的本市户籍居民。",
        aliases=("身份证到期换证", "换身份证"), keywords=("身份证", "到期", "换证"), unit=LimitUnit.CALENDAR_DAYS,
        result=(ResultType.LICENCE, "居民身份证", "99001"),
        fees=({"name": "居民身份证工本费", "standard": "20元/证", "basis": "国家发展改革委、财政部关于居民身份证工本费的收费规定", "waivable": "否"},),
        post=True, cross_region=CrossRegion.NATIONAL, onsite_reason="需现场采集人像和指纹信息",
        limit_note="法定时限为自然日；偏远地区延长至90日", appointment=True,
        fields=(F("reason", "换领原因", FieldType.CHOICE, choices=("有效期满", "证件损坏", "登记项目变更")),
                F("pickup", "领取方式", FieldType.CHOICE, choices=("窗口领取", "邮寄送达"))),
    ),
    Item(
        "990000000002", "居民身份证补领", ItemType.PUBLIC_SERVICE, "police", ("证件办理",),
        60, 20, 1, PRE_REVIEW, (HOUSEHOLD, PHOTO),
        "《中华人民共和国居民身份证法》第十一条", "居民身份证丢失的本市户籍居民。",
        aliases=("身份证丢了", "身份证遗失补办"), keywords=("身份证", "丢失", "补办"), unit=LimitUnit.CALENDAR_DAYS,
        result=(ResultType.LICENCE, "居民身份证", "99001"),
        fees=({"name": "居民身份证工本费", "standard": "40元/证", "basis": "国家发展改革委、财政部关于居民身份证工本费的收费规定", "waivable": "否"},),
        cross_region=CrossRegion.NATIONAL, onsite_reason="需现场采集人像和指纹信息", appointment=True,
    ),
    Item(
        "990000000003", "户口迁入（投靠类）", ItemType.CONFIRMATION, "police", ("户籍办理",),
        20, 5, 1, FULL_ONLINE, (ID_CARD, HOUSEHOLD, MARRIAGE, PROPERTY, form("户口迁移申请表")),
        "《中华人民共和国户口登记条例》第十条", "夫妻投靠、父母投靠子女或子女投靠父母，且投靠方有合法稳定住所的。",
        aliases=("落户", "投靠入户"), keywords=("户口", "迁户口", "入户"),
        result=(ResultType.APPROVAL, "准予迁入证明", ""),
        fields=(F("relation", "与投靠人关系", FieldType.CHOICE, choices=("配偶", "父母", "子女")),
                F("from_address", "原户籍地址", max_length=100)),
    ),
    Item(
        "990000000004", "出生登记（新生儿入户）", ItemType.CONFIRMATION, "police", ("户籍办理", "生育收养"),
        30, 0, 0, WITH_LICENCE, (M("出生医学证明", licence="99009"), HOUSEHOLD, MARRIAGE),
        "《中华人民共和国户口登记条例》第七条", "婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居申报出生登记。",
        aliases=("新生儿上户口", "宝宝落户"), keywords=("出生", "上户口", "新生儿"), limit_note="法定申报期为出生后一个月内",
        fields=(F("baby_name", "新生儿姓名", max_length=20), F("birth_date", "出生日期", FieldType.DATE)),
    ),
    Item(
        "990000000005", "机动车驾驶证有效期满换证", ItemType.PUBLIC_SERVICE, "police", ("交通出行", "证件办理"),
        1, 0, 0, WITH_LICENCE,
        (ID_CARD, M("身体条件证明", form=MaterialForm.ELECTRONIC, shared_data="体检信息联网核查"), M("原机动车驾驶证", licence="99003")),
        "《机动车驾驶证申领和使用规定》第五十六条", "机动车驾驶证有效期满前九十日内。",
        aliases=("驾照到期换证", "换驾照"), keywords=("驾驶证", "驾照", "到期"),
        result=(ResultType.LICENCE, "机动车驾驶证", "99003"),
        fees=({"name": "驾驶证工本费", "standard": "10元/证", "basis": "机动车驾驶证工本费收费标准", "waivable": "否"},),
        post=True, cross_region=CrossRegion.NATIONAL, self_service=True,
    ),
    Item(
        "990000000006", "无犯罪记录证明开具", ItemType.PUBLIC_SERVICE, "police", ("证件办理", "就业"),
        5, 3, 0, WITH_LICENCE, (ID_CARD, M("用途说明", necessity=Necessity.OPTIONAL, form=MaterialForm.EITHER)),
        "公安部《关于做好开具无犯罪记录证明工作的通知》", "本市户籍或在本市居住的人员因就业、出国等需要。",
        aliases=("无犯罪证明",), keywords=("犯罪记录", "政审"),
        result=(ResultType.OTHER, "无犯罪记录证明", ""),
        fields=(F("purpose", "用途", FieldType.CHOICE, choices=("就业", "出国（境）", "其他")),),
    ),
    # 市场监督管理局
    Item(
        "990000000007", "个体工商户设立登记", ItemType.CONFIRMATION, "market", ("设立变更",),
        3, 0, 0, WITH_LICENCE, (form("个体工商户登记（备案）申请书"), ID_CARD, PREMISES),
        "《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》第十九条",
        "有经营能力的自然人申请设立个体工商户，名称、经营范围符合规定。",
        objects=("自然人",), aliases=("个体户注册", "开个体户", "办营业执照"), keywords=("个体", "营业执照", "开店"),
        result=(ResultType.LICENCE, "营业执照", "99004"),
        fields=(F("trade_name", "个体工商户名称", max_length=50), F("business_scope", "经营范围", max_length=200),
                F("capital", "资金数额（万元）", FieldType.NUMBER)),
    ),
    Item(
        "990000000008", "有限责任公司设立登记", ItemType.CONFIRMATION, "market", ("设立变更",),
        3, 1, 0, WITH_LICENCE,
        (form("公司登记（备案）申请书"), M("公司章程", form=MaterialForm.EITHER), LEGAL_REP, PREMISES),
        "《中华人民共和国市场主体登记管理条例》第十九条", "申请材料齐全、符合法定形式的公司设立申请。",
        objects=COMPANY, aliases=("开公司", "注册公司"), keywords=("公司", "营业执照", "企业开办"),
        result=(ResultType.LICENCE, "营业执照", "99004"), cross_region=CrossRegion.CITY,
        fields=(F("company_name", "企业名称", max_length=60), F("registered_capital", "注册资本（万元）", FieldType.NUMBER),
                F("legal_rep_id", "法定代表人身份证号码", FieldType.ID_NUMBER)),
    ),
    Item(
        "990000000009", "食品经营许可（新办）", ItemType.LICENSING, "market", ("准营准办",),
        10, 5, 1, FULL_ONLINE,
        (form("食品经营许可申请书"), LICENCE, M("食品安全管理制度文本", form=MaterialForm.EITHER),
         M("经营场所和设备布局、操作流程示意图", copy_type=CopyType.COPY), LEGAL_REP,
         M("食品安全管理人员培训合格证明", necessity=Necessity.DEFERRABLE, copy_type=CopyType.COPY)),
        "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        "已取得营业执照，具有与经营的食品品种、数量相适应的经营场所、设备和食品安全管理制度。",
        objects=COMPANY, aliases=("食品许可证", "餐饮许可证"), keywords=("食品", "餐饮", "超市", "饭店"),
        result=(ResultType.LICENCE, "食品经营许可证", "99005"), special=(SpecialProcedure.SITE_INSPECTION,),
        onsite_reason="需要现场核查的，现场核查时申请人应在场",
        fields=(F("main_business", "主体业态", FieldType.CHOICE, choices=("食品销售经营者", "餐饮服务经营者", "单位食堂")),
                F("area", "经营场所面积（平方米）", FieldType.NUMBER), F("online_sale", "是否网络经营", FieldType.BOOLEAN)),
    ),
    Item(
        "990000000010", "食品经营许可（变更）", ItemType.LICENSING, "market", ("准营准办",),
        10, 3, 0, WITH_LICENCE, (form("食品经营许可变更申请书"), M("食品经营许可证正副本", licence="99005")),
        "《食品经营许可和备案管理办法》", "食品经营许可证载明的许可事项发生变化的。",
        objects=COMPANY, aliases=("食品许可证变更",), keywords=("食品", "变更"),
        result=(ResultType.LICENCE, "食品经营许可证", "99005"),
    ),
    Item(
        "990000000011", "药品零售企业经营许可", ItemType.LICENSING, "market", ("准营准办",),
        30, 15, 1, FULL_ONLINE,
        (form("药品经营许可证申请表"), LICENCE, M("执业药师资格证书及注册证", copy_type=CopyType.COPY),
         M("经营场所、仓库平面布局图", copy_type=CopyType.COPY), M("质量管理文件及主要设施设备目录", form=MaterialForm.EITHER)),
        "《中华人民共和国药品管理法》第五十一条、第五十二条", "有依法经过资格认定的药师，有与所经营药品相适应的营业场所、设备。",
        objects=COMPANY, aliases=("开药店",), keywords=("药店", "药品"),
        result=(ResultType.LICENCE, "药品经营许可证", ""), special=(SpecialProcedure.SITE_INSPECTION,),
    ),
    Item(
        "990000000012", "营业执照遗失补领", ItemType.CONFIRMATION, "market", ("设立变更",),
        3, 0, 0, WITH_LICENCE, (form("营业执照补领申请书"), LEGAL_REP),
        "《中华人民共和国市场主体登记管理条例实施细则》", "营业执照遗失或者毁损的市场主体。",
        objects=COMPANY, aliases=("营业执照丢了",), keywords=("营业执照", "补办"),
        result=(ResultType.LICENCE, "营业执照", "99004"),
    ),
    Item(
        "990000000013", "企业简易注销登记", ItemType.CONFIRMATION, "market", ("注销",),
        3, 1, 0, FULL_ONLINE, (form("简易注销全体投资人承诺书"), M("营业执照正副本", licence="99004")),
        "《中华人民共和国市场主体登记管理条例》第三十三条", "未发生债权债务或已将债权债务清偿完结，公示期满无异议的企业。",
        objects=COMPANY, aliases=("公司注销",), keywords=("注销", "关闭公司"), special=(SpecialProcedure.PUBLICITY,),
        limit_note="公示期20日不计入办理时限",
    ),
    # 人力资源和社会保障局
    Item(
        "990000000014", "失业保险金申领", ItemType.BENEFIT, "hrss", ("就业", "社会保障"),
        10, 5, 0, FULL_ONLINE,
        (ID_CARD, M("解除或终止劳动关系证明", necessity=Necessity.DEFERRABLE, copy_type=CopyType.COPY),
         M("社会保障卡或银行账户", shared_data="社保卡信息共享")),
        "《失业保险条例》第十四条、第十六条", "失业前用人单位和本人已缴纳失业保险费满一年，非因本人意愿中断就业，已进行失业登记并有求职要求。",
        aliases=("领失业金", "失业补助"), keywords=("失业", "失业金", "失业保险"),
        result=(ResultType.OTHER, "失业保险待遇核定通知", ""), cross_region=CrossRegion.PROVINCE,
        fields=(F("leave_date", "离职日期", FieldType.DATE), F("bank", "开户银行", max_length=50)),
    ),
    Item(
        "990000000015", "就业创业证申领", ItemType.PUBLIC_SERVICE, "hrss", ("就业",),
        5, 0, 0, WITH_LICENCE, (ID_CARD, PHOTO),
        "《就业服务与就业管理规定》第六十三条", "法定劳动年龄内、有劳动能力和就业要求的城乡劳动者。",
        aliases=("失业证", "就业失业登记证"), keywords=("就业", "创业", "就业证"),
        result=(ResultType.LICENCE, "就业创业证", "99006"), cross_region=CrossRegion.NATIONAL, self_service=True,
    ),
    Item(
        "990000000016", "社会保险参保证明（个人）打印", ItemType.PUBLIC_SERVICE, "hrss", ("社会保障",),
        1, 0, 0, WITH_LICENCE, (ID_CARD,),
        "《中华人民共和国社会保险法》第七十四条", "在本市参加社会保险的个人。",
        aliases=("社保证明", "参保证明打印", "社保缴费证明"), keywords=("社保", "参保", "缴费记录"),
        result=(ResultType.OTHER, "社会保险参保证明", ""), self_service=True, cross_region=CrossRegion.PROVINCE,
    ),
    Item(
        "990000000017", "基本养老保险退休待遇核定", ItemType.BENEFIT, "hrss", ("退休养老", "社会保障"),
        20, 10, 0, FULL_ONLINE,
        (ID_CARD, M("职工档案", source=MaterialSource.OTHER, standard="由用人单位或档案管理机构提供"),
         M("社会保险参保缴费记录", form=MaterialForm.ELECTRONIC, shared_data="社会保险参保缴费记录")),
        "《中华人民共和国社会保险法》第十六条", "达到法定退休年龄且累计缴费满十五年的参保人员。",
        aliases=("办退休", "退休申请"), keywords=("退休", "养老金"),
        result=(ResultType.OTHER, "基本养老金核定表", ""),
    ),
    Item(
        "990000000018", "工伤认定", ItemType.CONFIRMATION, "hrss", ("社会保障", "人力资源"),
        60, 30, 1, FULL_ONLINE,
        (form("工伤认定申请表"), M("劳动关系证明", copy_type=CopyType.COPY), M("医疗诊断证明书", copy_type=CopyType.COPY), ID_CARD),
        "《工伤保险条例》第十七条、第二十条", "职工发生事故伤害或被诊断为职业病，在规定期限内提出申请。",
        objects=("自然人", "企业法人", "事业法人"), aliases=("工伤申报",), keywords=("工伤", "受伤"),
        unit=LimitUnit.CALENDAR_DAYS, result=(ResultType.APPROVAL, "认定工伤决定书", ""),
        special=(SpecialProcedure.SITE_INSPECTION,), limit_note="法定时限为自然日；事实清楚、权利义务明确的15日内作出",
    ),
    # 税务局
    Item(
        "990000000019", "发票领用", ItemType.OTHER_POWER, "tax", ("税收财务",),
        1, 0, 0, FULL_ONLINE, (M("经办人身份证明", licence="99001"),),
        "《中华人民共和国发票管理办法》第十五条", "已办理税务登记并核定发票种类的纳税人。",
        objects=COMPANY, aliases=("领发票", "申领发票"), keywords=("发票", "税务"), post=True,
    ),
    Item(
        "990000000020", "个人所得税纳税记录开具", ItemType.PUBLIC_SERVICE, "tax", ("税收财务", "证件办理"),
        1, 0, 0, WITH_LICENCE, (ID_CARD,),
        "《中华人民共和国个人所得税法》", "在中国境内负有纳税义务的个人。",
        aliases=("完税证明", "个税证明"), keywords=("个税", "纳税", "收入证明"), self_service=True,
        cross_region=CrossRegion.NATIONAL,
    ),
    # 住房和城乡建设局
    Item(
        "990000000021", "建筑工程施工许可", ItemType.LICENSING, "housing", ("工程建设", "投资审批"),
        7, 3, 0, WITH_LICENCE,
        (form("建筑工程施工许可证申请表"), M("建设工程规划许可证", licence="99016"),
         M("施工合同", copy_type=CopyType.COPY), M("施工图设计文件审查合格书", form=MaterialForm.ELECTRONIC),
         M("建设资金已经落实承诺书", necessity=Necessity.DEFERRABLE)),
        "《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》第五条",
        "已办理用地、规划手续，已确定施工企业，有满足施工需要的资金安排和施工图纸。",
        objects=COMPANY, aliases=("施工许可证", "开工许可"), keywords=("施工", "工程", "建筑"),
        result=(ResultType.LICENCE, "建筑工程施工许可证", "99007"),
        fields=(F("project_name", "工程名称", max_length=100), F("contract_price", "合同价格（万元）", FieldType.NUMBER),
                F("floor_area", "建筑面积（平方米）", FieldType.NUMBER)),
    ),
    Item(
        "990000000022", "建设工程竣工联合验收", ItemType.OTHER_POWER, "housing", ("工程建设",),
        20, 12, 1, FULL_ONLINE,
        (form("竣工联合验收申请表"), M("工程竣工验收报告", form=MaterialForm.EITHER),
         M("建设工程规划许可证", licence="99016"), M("建筑工程施工许可证", licence="99007"),
         M("工程质量保修书", copy_type=CopyType.COPY)),
        "《国务院办公厅关于全面开展工程建设项目审批制度改革的实施意见》", "建设工程已按设计和合同完成，具备竣工验收条件。",
        objects=COMPANY, aliases=("联合验收", "竣工验收"), keywords=("验收", "竣工", "规划核实"),
        result=(ResultType.APPROVAL, "竣工联合验收意见书", ""), special=(SpecialProcedure.SITE_INSPECTION,),
        joint=("resources", "transport"), onsite_reason="联合现场验收时建设单位应在场",
    ),
    Item(
        "990000000023", "公共租赁住房申请", ItemType.BENEFIT, "housing", ("住房",),
        30, 20, 1, FULL_ONLINE,
        (form("公共租赁住房申请表"), ID_CARD, HOUSEHOLD,
         M("家庭收入情况", form=MaterialForm.ELECTRONIC, shared_data="个人所得税及社保缴费数据"),
         M("家庭住房情况", form=MaterialForm.ELECTRONIC, shared_data="不动产登记信息")),
        "《公共租赁住房管理办法》第七条、第十条", "在本市无住房或住房面积低于规定标准、收入和财产低于规定标准的家庭。",
        aliases=("公租房", "申请廉租房"), keywords=("公租房", "住房保障", "租房"),
        result=(ResultType.OTHER, "公共租赁住房资格确认", ""), special=(SpecialProcedure.PUBLICITY,),
        onsite_reason="签订承诺书时需本人到场", limit_note="公示期不计入办理时限",
        fields=(F("members", "家庭人口数", FieldType.NUMBER), F("income", "家庭月收入（元）", FieldType.NUMBER)),
    ),
    Item(
        "990000000024", "商品房预售许可", ItemType.LICENSING, "housing", ("投资审批",),
        10, 5, 2, FULL_ONLINE,
        (form("商品房预售许可申请表"), LICENCE, PROPERTY, M("建筑工程施工许可证", licence="99007"),
         M("商品房预售方案", form=MaterialForm.EITHER)),
        "《城市商品房预售管理办法》第七条", "已交付全部土地使用权出让金，投入开发建设的资金达到工程建设总投资的25%以上。",
        objects=COMPANY, aliases=("预售证",), keywords=("预售", "楼盘", "房地产"), onsite_reason="现场勘查和领证各需到场一次",
        result=(ResultType.LICENCE, "商品房预售许可证", ""), special=(SpecialProcedure.SITE_INSPECTION,),
    ),
    # 自然资源局（不动产登记）
    Item(
        "990000000025", "不动产转移登记（二手房买卖）", ItemType.CONFIRMATION, "resources", ("住房",),
        30, 5, 1, FULL_ONLINE,
        (form("不动产登记申请书"), ID_CARD, PROPERTY, M("房屋买卖合同", copy_type=CopyType.BOTH),
         M("完税证明", form=MaterialForm.ELECTRONIC, shared_data="税务部门契税完税信息")),
        "《不动产登记暂行条例》第十四条、第二十条", "买卖双方共同申请，房屋权属清楚、无查封。",
        objects=("自然人", "企业法人"), aliases=("过户", "二手房过户", "房产过户"), keywords=("不动产", "房产证", "过户"),
        result=(ResultType.LICENCE, "不动产权证书", "99008"), joint=("tax",),
        fees=({"name": "不动产登记费（住宅）", "standard": "80元/件", "basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》", "waivable": "是"},),
        onsite_reason="买卖双方需到场核验身份并签字", appointment=True,
    ),
    Item(
        "990000000026", "不动产抵押登记", ItemType.CONFIRMATION, "resources", ("住房", "税收财务"),
        30, 1, 0, WITH_LICENCE,
        (form("不动产登记申请书"), ID_CARD, PROPERTY, M("抵押合同及主债权合同", copy_type=CopyType.BOTH)),
        "《不动产登记暂行条例》第二十条；《中华人民共和国民法典》第四百零二条", "抵押人与抵押权人共同申请。",
        objects=("自然人", "企业法人"), aliases=("房屋抵押", "按揭登记"), keywords=("抵押", "贷款", "不动产"),
        result=(ResultType.OTHER, "不动产登记证明", ""),
    ),
    Item(
        "990000000027", "建设工程规划许可证核发", ItemType.LICENSING, "resources", ("工程建设", "投资审批"),
        20, 10, 1, FULL_ONLINE,
        (form("建设工程规划许可申请表"), M("建设用地使用权属证明", licence="99008"), M("建设工程设计方案", form=MaterialForm.ELECTRONIC)),
        "《中华人民共和国城乡规划法》第四十条", "符合控制性详细规划和规划条件的建设工程。",
        objects=COMPANY, aliases=("规划许可证", "工程规划证"), keywords=("规划", "建设工程"),
        result=(ResultType.LICENCE, "建设工程规划许可证", "99016"), special=(SpecialProcedure.PUBLICITY, SpecialProcedure.EXPERT_REVIEW),
    ),
    # 卫生健康委员会
    Item(
        "990000000028", "医师执业注册", ItemType.LICENSING, "health", ("就业", "医疗卫生"),
        20, 10, 0, WITH_LICENCE,
        (form("医师执业注册申请审核表"), ID_CARD, M("医师资格证书", copy_type=CopyType.COPY),
         M("拟执业机构聘用证明"), M("健康体检证明", necessity=Necessity.DEFERRABLE)),
        "《中华人民共和国医师法》第十三条、第十四条", "取得医师资格，经注册取得医师执业证书。",
        aliases=("医师注册", "执业医师注册"), keywords=("医师", "医生", "执业"),
        result=(ResultType.LICENCE, "医师执业证书", "99013"),
    ),
    Item(
        "990000000029", "出生医学证明首次签发", ItemType.PUBLIC_SERVICE, "health", ("生育收养", "医疗卫生"),
        1, 0, 1, PRE_REVIEW, (M("父母双方居民身份证", licence="99001"), M("新生儿出生记录", source=MaterialSource.OTHER)),
        "《中华人民共和国母婴保健法》第二十三条", "在本市助产机构内出生的新生儿。",
        aliases=("出生证", "办出生证明"), keywords=("出生", "新生儿", "出生证"),
        result=(ResultType.LICENCE, "出生医学证明", "99009"), onsite_reason="需在助产机构核对新生儿信息",
    ),
    Item(
        "990000000030", "公共场所卫生许可", ItemType.LICENSING, "health", ("准营准办",),
        20, 5, 0, WITH_LICENCE,
        (form("公共场所卫生许可申请表"), LICENCE, M("卫生管理制度", form=MaterialForm.EITHER),
         M("从业人员健康合格证明", necessity=Necessity.DEFERRABLE, copy_type=CopyType.COPY)),
        "《公共场所卫生管理条例》第八条", "宾馆、美容美发、游泳场所等公共场所经营者。",
        objects=COMPANY, aliases=("卫生许可证",), keywords=("卫生", "美容", "宾馆", "游泳"),
        result=(ResultType.LICENCE, "公共场所卫生许可证", ""),
    ),
    # 民政局
    Item(
        "990000000031", "内地居民结婚登记", ItemType.CONFIRMATION, "civil", ("婚姻",),
        1, 0, 1, PRE_REVIEW, (M("双方居民身份证", licence="99001"), M("双方户口簿", licence="99002"), M("双方近期半身免冠合影照片2张")),
        "《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第七条", "男女双方自愿，达到法定婚龄，无禁止结婚情形。",
        aliases=("领结婚证", "结婚"), keywords=("结婚", "婚姻登记"), result=(ResultType.LICENCE, "结婚证", "99010"),
        onsite_reason="婚姻登记须双方亲自到场（《婚姻登记条例》第五条）", appointment=True,
        cross_region=CrossRegion.PROVINCE,
    ),
    Item(
        "990000000032", "残疾人证办理", ItemType.PUBLIC_SERVICE, "civil", ("残疾人服务",),
        30, 20, 1, FULL_ONLINE, (form("中华人民共和国残疾人证申请表"), ID_CARD, HOUSEHOLD, PHOTO),
        "《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》", "符合残疾标准的本市户籍居民。",
        aliases=("办残疾证", "残疾证申请"), keywords=("残疾", "残疾证"),
        result=(ResultType.LICENCE, "中华人民共和国残疾人证", "99011"), special=(SpecialProcedure.EXPERT_REVIEW,),
        onsite_reason="需到指定医院进行残疾评定", limit_note="残疾评定时间不计入办理时限",
    ),
    Item(
        "990000000033", "老年人优待证办理", ItemType.PUBLIC_SERVICE, "civil", ("退休养老",),
        5, 0, 0, WITH_LICENCE, (ID_CARD, M("户籍证明", form=MaterialForm.ELECTRONIC, shared_data="户籍信息"), PHOTO),
        "《中华人民共和国老年人权益保障法》", "年满60周岁的本市户籍或常住老年人。",
        aliases=("老人证", "敬老卡"), keywords=("老年人", "优待", "敬老"),
        result=(ResultType.LICENCE, "老年人优待证", "99012"), post=True, self_service=True,
    ),
    Item(
        "990000000034", "最低生活保障申请", ItemType.BENEFIT, "civil", ("社会保障",),
        30, 20, 1, FULL_ONLINE,
        (form("最低生活保障申请书"), ID_CARD, HOUSEHOLD, M("家庭收入和财产情况", form=MaterialForm.ELECTRONIC, shared_data="居民家庭经济状况核对信息")),
        "《社会救助暂行办法》第十一条", "共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合财产状况规定。",
        aliases=("低保申请", "办低保"), keywords=("低保", "救助", "困难"),
        result=(ResultType.APPROVAL, "最低生活保障审批决定", ""), special=(SpecialProcedure.PUBLICITY, SpecialProcedure.SITE_INSPECTION),
        onsite_reason="需入户调查", limit_note="公示期不计入办理时限",
    ),
    Item(
        "990000000035", "社会团体成立登记", ItemType.LICENSING, "civil", ("设立变更",),
        60, 30, 2, FULL_ONLINE,
        (form("社会团体成立登记申请书"), M("业务主管单位批准文件"), M("章程草案", form=MaterialForm.EITHER),
         M("验资报告", copy_type=CopyType.COPY)),
        "《社会团体登记管理条例》第十一条、第十二条", "有50个以上个人会员或30个以上单位会员，有规范的名称和相应的组织机构。",
        objects=("社会组织法人", "其他组织"), aliases=("成立协会", "社团登记"), keywords=("社团", "协会", "学会"),
        unit=LimitUnit.CALENDAR_DAYS, result=(ResultType.LICENCE, "社会团体法人登记证书", ""),
        special=(SpecialProcedure.EXPERT_REVIEW,), onsite_reason="提交原件核验和领取登记证书各一次",
    ),
    # 教育局
    Item(
        "990000000036", "教师资格认定", ItemType.CONFIRMATION, "education", ("教育", "就业"),
        30, 20, 1, FULL_ONLINE,
        (ID_CARD, M("学历证书", form=MaterialForm.ELECTRONIC, shared_data="学历学位信息核验"),
         M("普通话水平测试等级证书", copy_type=CopyType.COPY), M("体检合格证明"), PHOTO),
        "《中华人民共和国教师法》第十条；《教师资格条例》第十三条", "具备规定学历，通过教师资格考试，思想品德良好。",
        aliases=("教资认定", "教师资格证"), keywords=("教师", "教资"),
        result=(ResultType.LICENCE, "教师资格证书", "99015"),
    ),
    # 交通运输局
    Item(
        "990000000037", "道路旅客运输经营许可", ItemType.LICENSING, "transport", ("准营准办",),
        20, 10, 1, FULL_ONLINE,
        (form("道路旅客运输经营申请表"), LICENCE, M("客运车辆情况说明", form=MaterialForm.EITHER),
         M("驾驶人员从业资格证", copy_type=CopyType.COPY), M("安全生产管理制度文本", form=MaterialForm.EITHER)),
        "《中华人民共和国道路运输条例》第八条、第十条", "有与经营业务相适应并经检测合格的客车和符合条件的驾驶人员。",
        objects=COMPANY, aliases=("客运许可",), keywords=("客运", "道路运输"),
        result=(ResultType.LICENCE, "道路运输经营许可证", "99014"), special=(SpecialProcedure.SITE_INSPECTION,),
    ),
    Item(
        "990000000038", "出租汽车驾驶员从业资格证核发", ItemType.LICENSING, "transport", ("就业", "交通出行"),
        10, 5, 2, PRE_REVIEW, (ID_CARD, M("机动车驾驶证", licence="99003"), M("无犯罪记录证明"), PHOTO),
        "《出租汽车驾驶员从业资格管理规定》第十四条", "取得相应准驾车型机动车驾驶证1年以上，考试合格。",
        aliases=("网约车驾驶证", "出租车从业资格"), keywords=("出租车", "网约车", "司机"),
        result=(ResultType.LICENCE, "出租汽车驾驶员从业资格证", ""),
        onsite_reason="参加从业资格考试和领取证件各一次",
    ),
    Item(
        "990000000039", "参保人员丧葬补助金和抚恤金申领", ItemType.BENEFIT, "hrss", ("身后事", "社会保障"),
        10, 5, 0, FULL_ONLINE,
        (form("丧葬补助金、抚恤金申领表"), M("死亡证明", form=MaterialForm.ELECTRONIC, shared_data="公安、卫健部门死亡信息共享"),
         M("申领人居民身份证", licence="99001"), M("申领人与逝者关系证明", licence="99002", standard="居民户口簿能证明关系的，无需另行提交")),
        "《中华人民共和国社会保险法》第十七条", "参加基本养老保险的个人因病或者非因工死亡的，其遗属可以领取丧葬补助金和抚恤金。",
        aliases=("领丧葬费", "抚恤金申请", "养老保险身后待遇"), keywords=("丧葬", "抚恤", "去世", "身后事"),
        result=(ResultType.OTHER, "丧葬补助金和抚恤金核定通知", ""), cross_region=CrossRegion.PROVINCE,
        fields=(F("deceased_id", "逝者身份证号码", FieldType.ID_NUMBER), F("death_date", "死亡日期", FieldType.DATE),
                F("relation", "申领人与逝者关系", FieldType.CHOICE, choices=("配偶", "子女", "父母", "其他亲属"))),
    ),
]
# fmt: on


# How the filled-in samples (示例样表) fill each kind of field.
EXAMPLES: dict[str, str] = {
    FieldType.TEXT: "示范文字（按实际填写）",
    FieldType.NUMBER: "100",
    FieldType.DATE: "2026-01-15",
    FieldType.CHOICE: "（在可选项中选择一项）",
    FieldType.BOOLEAN: "是",
    FieldType.ID_NUMBER: "11010519491231002X",
    FieldType.PHONE: "13800000000",
    FieldType.CREDIT_CODE: "91350100M000100Y43",
}
RESULT_SAMPLE = [
    ("证照编号", "（样本）SF-2026-000001"),
    ("持证主体", "张三 / 示范科技有限公司"),
    ("发证机关", "{issuer}"),
    ("发证日期", "2026-01-15"),
    ("有效期至", "2031-01-14"),
]
GENERIC_FORM = [("申请人（单位）名称", "张三"), ("联系电话", "13800000000"), ("申请事项说明", "申请办理本事项")]


def steps_for(item: Item) -> list[dict[str, Any]]:
    """受理 → 审查 → 决定 → 送达, the promised days shared out; on-the-spot items take none."""
    if item.on_the_spot:
        return [
            {"name": "受理", "performer": Role.CLERK, "working_days": 0, "description": "窗口当场核验材料"},
            {"name": "审查决定", "performer": Role.APPROVER, "working_days": 0, "description": "当场审查，当场办结"},
            {"name": "出件", "performer": Role.CLERK, "working_days": 0, "description": "当场发放结果"},
        ]
    accept = 1 if item.promised >= 3 else 0
    decide = 1 if item.promised >= 2 else 0
    review = item.promised - accept - decide
    steps = [
        {"name": "受理", "performer": Role.CLERK, "working_days": accept, "description": "综合窗口受理，一次性告知"},
        {"name": "审查", "performer": Role.APPROVER, "working_days": review, "description": "审查申请材料及实质内容"},
    ]
    if item.joint:  # the joint departments review in parallel with this step (cases: one task each)
        steps[-1]["description"] = "牵头部门审查，联办部门同时并联审查"
    steps += [
        {"name": "决定", "performer": Role.APPROVER, "working_days": decide, "description": "作出准予或不予的决定"},
        {"name": "送达", "performer": Role.CLERK, "working_days": 0, "description": "统一窗口出件或寄递"},
    ]
    return steps


def _content(item: Item, licences: dict[str, LicenceType], centre_address: str) -> dict[str, Any]:
    channels = [Channel.WINDOW] + ([Channel.ONLINE] if 4 in item.depth else []) + ([Channel.POST] if item.post else [])
    result_type, result_name, result_licence = item.result
    return {
        "aliases": list(item.aliases),
        "keywords": list(item.keywords),
        "service_objects": list(item.objects),
        "conditions": item.conditions,
        "legal_basis": item.legal_basis,
        "statutory_limit": item.statutory,
        "statutory_limit_unit": item.unit,
        "promised_limit": item.promised,
        "limit_note": item.limit_note,
        "case_kind": CaseKind.ON_THE_SPOT if item.on_the_spot else CaseKind.PROMISED,
        "channels": channels,
        "online_depth": list(item.depth),
        "visits": item.visits,
        "delivery": item.post or 4 in item.depth,
        "online_payment": bool(item.fees),
        "appointment": item.appointment,
        "self_service": item.self_service,
        "cross_region": item.cross_region,
        "fees": [dict(fee) for fee in item.fees],
        "special_procedures": list(item.special),
        "onsite_reason": item.onsite_reason if item.visits else "",
        "result_type": result_type,
        "result_name": result_name or item.name,
        "result_licence_type": licences[result_licence] if result_licence else None,
        "themes": list(item.themes),
        "handling_place": centre_address,
        "office_hours": "周一至周五 9:00-12:00，13:30-17:30（法定节假日除外）",
        "consult_phone": "0999-12345",
        **item.extra,
    }


def _field(key: str, kind: str = "text", required: bool = True) -> dict[str, Any]:
    return {"key": key, "label": key, "type": kind, "required": required}


# The licence's own data items and how long it is valid (None: until revoked), per demo type.
LICENCE_TYPE_DETAILS: dict[str, tuple[list[dict[str, Any]], int | None]] = {
    "99001": ([_field("性别"), _field("民族"), _field("出生日期", "date"), _field("住址")], 20),
    "99002": ([_field("户主姓名"), _field("户号"), _field("住址")], None),
    "99003": ([_field("准驾车型"), _field("初次领证日期", "date")], 6),
    "99004": ([_field("类型"), _field("法定代表人"), _field("经营范围"), _field("住所")], None),
    "99005": ([_field("经营者名称"), _field("经营项目"), _field("经营场所")], 5),
    "99006": ([_field("就业创业证号", required=False)], None),
    "99008": ([_field("坐落"), _field("面积", "number")], None),
    "99010": ([_field("配偶姓名"), _field("登记日期", "date")], None),
    "99012": ([_field("出生日期", "date"), _field("户籍地")], None),
}


def _ministry_code(serial: int) -> str:
    """A fictional but well-formed credit code of the ministry that defines a demo licence type."""
    return credit_code_with_check(f"1110000000001{serial:04d}")


def licence_types_ensure(departments: dict[str, Department]) -> dict[str, LicenceType]:
    licences = {}
    for position, (code, name, department, holder) in enumerate(LICENCE_TYPES, start=1):
        fields, years = LICENCE_TYPE_DETAILS.get(code, ([], None))
        licences[code], _created = LicenceType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "issuing_department": departments[department],
                "holder_type": holder,
                "gb_code": f"{_ministry_code(position)}{position:03d}",
                "fields": fields,
                "validity_years": years,
            },
        )
    return licences


@transaction.atomic
def demo_catalogue_load(departments: dict[str, Department], centre_address: str) -> int:
    """Publishes the demo implementations that do not exist yet; returns how many were created."""
    licences = licence_types_ensure(departments)
    created = 0
    for item in ITEMS:
        department = departments[item.department]
        code = implementation_code_for(credit_code=department.credit_code, level=Level.CITY, base_code=item.base_code)
        if ItemImplementation.objects.filter(code=code).exists():
            continue
        base, _created = BaseItem.objects.get_or_create(
            base_code=item.base_code,
            defaults={"name": item.name, "item_type": item.item_type, "legal_basis": item.legal_basis, "levels": ["3"]},
        )
        version = services.implementation_draft_create(
            actor=None,
            base_item=base,
            department=department,
            level=Level.CITY,
            name=item.name,
            **_content(item, licences, centre_address),
        )
        result_type, result_name, _licence = item.result
        result_name = result_name or item.name
        services.version_contents_set(
            actor=None,
            version=version,
            steps=steps_for(item),
            materials=[m.values(licences) for m in item.materials],
            form_fields=[f.values() for f in item.fields],
            joint_departments=[departments[key] for key in item.joint],
        )
        for material, spec in zip(version.materials.all(), item.materials, strict=True):
            if spec.blank_form:
                fields = [(f.label, EXAMPLES.get(f.field_type, "示例")) for f in item.fields] or GENERIC_FORM
                labels = [label for label, _example in fields]
                material.blank_form.save(
                    f"{item.base_code}-{material.order}.pdf",
                    ContentFile(blank_form_pdf(material.name, item.name, labels)),
                    save=False,
                )
                material.sample.save(
                    f"{item.base_code}-{material.order}-sample.pdf",
                    ContentFile(blank_form_pdf(f"{material.name}（示例）", item.name, labels, [e for _l, e in fields])),
                    save=True,
                )
        if result_type == ResultType.LICENCE:
            version.result_sample.save(
                f"{item.base_code}-result-sample.pdf",
                ContentFile(
                    blank_form_pdf(
                        f"{result_name}（样本）",
                        item.name,
                        [label for label, _example in RESULT_SAMPLE],
                        [example.format(issuer=department.name) for _label, example in RESULT_SAMPLE],
                    )
                ),
                save=True,
            )
        services.version_submit(actor=None, version=version)
        services.version_publish(actor=None, version=version)
        created += 1
    return created
