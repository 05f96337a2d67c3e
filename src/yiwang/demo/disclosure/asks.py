# ruff: noqa: E501  (tables of Chinese text, as demo/catalogue.py)
"""Who asks the demo's offices for what, and what became of it: the requesters (the demo accounts on the
portal; on paper, people and organisations of every kind with their ID numbers and credit codes), a year's
requests to each office in the order they arrive, the law firm's month of letters, those open at the
demo's now and those across the new year. ``{last}`` and ``{year}`` in a description are the years before
and of its arrival."""

from __future__ import annotations

from dataclasses import dataclass, field

from yiwang.disclosure.choices import (
    AppealKind,
    AppealOutcome,
    Delivery,
    Ground,
    Outcome,
    RequestChannel,
    RequesterKind,
)


@dataclass(frozen=True)
class Requester:
    """Online: a demo account (identity from the account); on paper: what the letter says."""

    name: str
    kind: str
    phone: str
    address: str
    account: str = ""  # demo username for the portal
    identity: str = ""  # first 17 characters of the ID number or credit code; the check is computed


PERSON, COMPANY, RESEARCH = RequesterKind.NATURAL_PERSON, RequesterKind.COMPANY, RequesterKind.RESEARCH
PUBLIC_INTEREST, LEGAL, OTHER = RequesterKind.PUBLIC_INTEREST, RequesterKind.LEGAL_SERVICE, RequesterKind.OTHER

REQUESTERS: dict[str, Requester] = {
    "citizen": Requester("张三", PERSON, "13800138001", "示范市城东区东湖街道湖滨路18号", "demo-citizen"),
    "senior": Requester("王桂兰", PERSON, "13800138002", "示范市城西区和平街道幸福里3栋", "demo-senior"),
    "company": Requester("示范科技有限公司", COMPANY, "0999-88330001", "示范市高新区创业大道100号", "demo-company"),
    "bidder": Requester("示范建设工程有限公司", COMPANY, "0999-88330002", "示范市高新区科技城路8号", "demo-bidder"),
    "li": Requester("李建国", PERSON, "13912340001", "示范市城东区朝阳街道建设路45号", identity="11010219650415003"),
    "liu": Requester("刘芳", PERSON, "13912340002", "示范市城西区西山街道山前路7号", identity="11010519820923004"),
    "chen": Requester("陈伟", PERSON, "13912340003", "示范市高新区创业街道园区路21号", identity="11010819900606005"),
    "zhou": Requester("周桂英", PERSON, "13912340004", "示范市城东区东湖街道南苑小区2栋", identity="11010119560218002"),
    "logistics": Requester("示范通达物流有限公司", COMPANY, "0999-88450001", "示范市城西区物流园路1号", identity="91990100MA0000201"),
    "university": Requester("示范大学公共政策研究院", RESEARCH, "0999-88560001", "示范市高新区大学路1号", identity="12990100MB0000301"),
    "academy": Requester("示范市社会科学院", RESEARCH, "0999-88560002", "示范市城东区文昌路9号", identity="12990100MB0000302"),
    "green": Requester("示范市绿色家园环保志愿者协会", PUBLIC_INTEREST, "0999-88670001", "示范市城西区绿荫路12号", identity="51990100MJ0000401"),
    "consumer": Requester("示范市消费者权益保护基金会", PUBLIC_INTEREST, "0999-88670002", "示范市城东区民生路88号", identity="53990100MJ0000402"),
    "lawfirm": Requester("示范正衡律师事务所", LEGAL, "0999-88780001", "示范市城东区金融街6号1203室", identity="31990100MD0000501"),
    "lawfirm2": Requester("示范天平律师事务所", LEGAL, "0999-88780002", "示范市城西区法院路15号", identity="31990100MD0000502"),
    "newspaper": Requester("示范日报社", OTHER, "0999-88890001", "示范市城东区报业大厦", identity="12990100MB0000601"),
    "community": Requester("示范市朝阳街道向阳社区居民委员会", OTHER, "0999-88890002", "示范市城东区向阳路3号", identity="59990100MF0000602"),
}  # fmt: skip


@dataclass(frozen=True)
class AppealSpec:
    kind: str
    filed_after: int  # calendar days after the reply (or the reconsideration's decision)
    outcome: str = AppealOutcome.PENDING
    decided_after: int = 0  # calendar days after filing
    authority: str = "示范市人民政府"
    after_reconsideration: bool = False


@dataclass(frozen=True)
class Ask:
    """One request and what became of it. ``flow``: "" replied; "corrected" or "lapsed" after a correction
    request (§30); "consulted" a third party (§32) or "consulted_body" another body (§34); "extended" by the
    head (§33); "fee_paid" or "fee_lapsed" after a fee notice (国办函〔2020〕109号); at the demo's now
    "correcting", "consulting" or "open"."""

    who: str
    channel: str
    description: str
    outcome: str = ""
    ground: str = ""
    flow: str = ""
    delivery: str = Delivery.POST
    note: str = ""  # the reply's own paragraph
    public: str = ""  # already public: a word of the item's title
    other_body: str = ""
    party: str = ""  # the consulted party
    answer: str = "同意公开。"  # what the consulted party answered
    correction: str = ""  # what the requester corrected
    appeals: tuple[AppealSpec, ...] = field(default=())
    purpose: str = ""


ONLINE, IN_PERSON, LETTER, FAX = (
    RequestChannel.ONLINE,
    RequestChannel.IN_PERSON,
    RequestChannel.LETTER,
    RequestChannel.FAX,
)
BY_HAND, ON_PAGE = Delivery.IN_PERSON, Delivery.ONLINE
RECONSIDER, SUE = AppealKind.RECONSIDERATION, AppealKind.LITIGATION
O, G = Outcome, Ground  # noqa: E741

# 政数局's requests of a year, in the order they arrive: every requester kind and channel, every outcome and ground.
SERVICES_ASKS: tuple[Ask, ...] = (
    Ask("citizen", ONLINE, "示范市政务服务中心物业服务采购合同（含服务范围和合同金额）", O.PROVIDED,
        note="现将该采购合同复印件（共12页）邮寄给您。"),
    Ask("university", LETTER, "近三年“一网通办”平台建设项目的立项批复和竣工验收报告", O.PROVIDED, purpose="数字政府研究课题",
        note="现提供立项批复1份、竣工验收报告2份。"),
    Ask("logistics", FAX, "示范市政务服务数据管理局本年度工作计划", O.ALREADY_PUBLIC, public="工作计划"),
    Ask("li", IN_PERSON, "示范市政务服务中心大厅2015年改造工程的施工图纸", O.CANNOT, G.NOT_HELD, delivery=BY_HAND,
        note="经检索，本机关未制作、获取该信息；该工程由原市行政服务中心实施，相关档案未移交本机关。",
        appeals=(AppealSpec(RECONSIDER, 25, AppealOutcome.CORRECTED, 58),)),
    Ask("green", LETTER, "政务服务中心{last}年度能耗及碳排放统计数据", O.PARTLY, G.INTERNAL_AFFAIRS,
        note="现提供年度能耗统计表；其中内部考核排名属于内部事务信息，不予公开。"),
    Ask("senior", ONLINE, "市政务服务中心为老年人提供的帮办代办服务措施", O.ALREADY_PUBLIC, delivery=ON_PAGE, public="工作计划"),
    Ask("company", ONLINE, "政务云服务采购项目中标供应商的投标报价明细", O.PARTLY, G.THIRD_PARTY_TRADE_SECRET,
        flow="consulted", party="示范云计算科技有限公司", answer="不同意公开分项报价，认为属于本公司商业秘密。",
        note="经征求第三方意见，第三方认为分项单价属于其商业秘密；现提供中标总价及服务内容，分项单价不予公开。"),
    Ask("chen", IN_PERSON, "政务服务中心某窗口工作人员的身份证号码和家庭住址", O.REFUSED, G.THIRD_PARTY_PRIVACY, delivery=BY_HAND,
        note="所申请信息属于他人个人隐私，公开会对第三方合法权益造成损害。",
        appeals=(AppealSpec(RECONSIDER, 30, AppealOutcome.UPHELD, 55),
                 AppealSpec(SUE, 12, authority="示范市城东区人民法院", after_reconsideration=True))),
    Ask("academy", IN_PERSON, "2020年以来各窗口每日办件量按小时统计的数据表", O.CANNOT, G.NEEDS_PROCESSING, delivery=BY_HAND,
        note="本机关未按小时统计办件量，提供该信息需要对现有数据进行加工、分析。"),
    Ask("citizen", ONLINE, "某小区专项维修资金的使用明细", O.CANNOT, G.NOT_THIS_BODY, delivery=ON_PAGE,
        other_body="示范市住房和城乡建设局（示范市城东区建设路2号，电话0999-88120001）"),
    Ask("consumer", LETTER, "政务服务“好差评”差评整改记录（含评价人信息）", O.PARTLY, G.THIRD_PARTY_PRIVACY,
        note="现提供差评整改记录；评价人姓名、电话属于个人隐私，已作区分处理。"),
    Ask("newspaper", IN_PERSON, "电子政务内网的网络拓扑和建设方案", O.REFUSED, G.STATE_SECRET, delivery=BY_HAND,
        note="所申请信息经依法确定为国家秘密。"),
    Ask("zhou", IN_PERSON, "关于政务服务的所有文件", O.CANNOT, G.UNCLEAR, flow="corrected", delivery=BY_HAND,
        correction="政务服务方面的文件", note="经补正，申请内容仍不明确，无法确定所需政府信息。"),
    Ask("bidder", ONLINE, "政务云平台网络安全等级保护测评报告及安全防护配置", O.REFUSED, G.THREE_SECURITIES, delivery=ON_PAGE,
        note="公开该信息可能危及网络安全和公共安全。",
        appeals=(AppealSpec(SUE, 40, AppealOutcome.UPHELD, 120, authority="示范市中级人民法院"),)),
    Ask("liu", LETTER, "要求对政务服务中心某窗口人员服务态度问题进行调查处理并书面答复", O.NOT_HANDLED, G.PETITION,
        note="您反映的问题属于投诉事项，已转政务服务科按投诉程序办理。"),
    Ask("lawfirm2", IN_PERSON, "政务数据共享交换平台中某企业的纳税申报数据", O.REFUSED, G.PROHIBITED_BY_LAW, delivery=BY_HAND,
        note="依据《中华人民共和国税收征收管理法》第八条，纳税人的涉税信息依法保密。"),
    Ask("citizen", ONLINE, "关于政务服务的文件", O.OTHER, G.NOT_CORRECTED, flow="lapsed", delivery=ON_PAGE),
    Ask("community", LETTER, "{last}年全市12345热线诉求按街道分类统计表", O.ALREADY_PUBLIC, public="运行情况通报"),
    Ask("university", FAX, "2018年至今政务服务中心历年进驻事项调整文件汇编", O.PROVIDED, flow="extended",
        note="现提供历年进驻事项调整文件共23份。"),
    Ask("li", LETTER, "政务服务中心大厅2015年改造工程的施工图纸", O.NOT_HANDLED, G.REPEAT,
        note="您的申请与此前已答复的申请内容相同，本机关不重复处理。"),
    Ask("green", FAX, "《示范年鉴（{last}）》一册", O.NOT_HANDLED, G.PUBLICATION,
        note="您申请的是公开出版物，可通过新华书店或者市图书馆获取。"),
    Ask("logistics", IN_PERSON, "本公司已取得的政府信息公开答复书，要求加盖公章重新出具", O.NOT_HANDLED, G.CONFIRM_OR_REISSUE,
        delivery=BY_HAND),
    Ask("chen", LETTER, "2010年至今本局所有会议记录、所有采购合同和所有工作人员名单", O.NOT_HANDLED, G.EXCESSIVE,
        note="您的申请数量明显超过合理范围，请说明理由；理由不合理的，本机关不予处理。"),
    Ask("company", ONLINE, "市政务数据共享平台与市公安局签订的数据共享协议", O.PROVIDED, flow="consulted_body",
        party="示范市公安局", note="经征求示范市公安局意见，现提供该协议。"),
    Ask("academy", LETTER, "1998年原市行政服务中心筹建的会议纪要", O.OTHER, G.SPECIAL_LAW,
        note="该信息已移交示范市档案馆，请依照《中华人民共和国档案法》的规定向档案馆申请查阅。"),
    Ask("newspaper", FAX, "{year}年政务服务中心窗口人员培训计划", O.OTHER, G.OTHER, note="申请人于答复前书面撤回申请，本机关终止办理。"),
    Ask("senior", ONLINE, "本市养老服务补贴的申领条件", O.CANNOT, G.NOT_THIS_BODY, delivery=ON_PAGE,
        other_body="示范市民政局（示范市城西区民政路5号，电话0999-88120002）"),
    Ask("zhou", IN_PERSON, "本人社保缴费明细", O.REFUSED, G.ADMINISTRATIVE_INQUIRY, delivery=BY_HAND,
        note="您申请的是行政查询事项，可凭身份证到人社专项窗口或者通过一网平台查询。"),
    Ask("bidder", ONLINE, "政务服务中心智能导办系统采购的评标委员会评审意见（讨论稿）", O.REFUSED, G.PROCESS_INFORMATION,
        delivery=ON_PAGE, note="所申请信息属于过程性信息。"),
    Ask("lawfirm2", LETTER, "对示范某数据公司违规使用政务数据的行政检查案卷", O.REFUSED, G.ENFORCEMENT_FILES,
        note="所申请信息属于行政执法案卷信息。"),
    Ask("citizen", ONLINE, "示范市政务服务数据管理局部门预算", O.ALREADY_PUBLIC, delivery=ON_PAGE, public="部门预算"),
    Ask("liu", IN_PERSON, "政务服务中心停车场收费标准的批准文件", O.CANNOT, G.NOT_HELD, delivery=BY_HAND,
        note="经检索，本机关未制作、获取该信息。"),
    Ask("consumer", LETTER, "{last}年政务服务中心委托第三方开展满意度调查的报告", O.PROVIDED, note="现提供调查报告1份。"),
    Ask("community", IN_PERSON, "向阳社区便民服务站自助终端的投放计划", O.PROVIDED, delivery=BY_HAND, note="现提供自助终端投放计划。"),
    Ask("company", ONLINE, "市政务服务中心进驻事项清单", O.ALREADY_PUBLIC, delivery=ON_PAGE, public="进驻事项清单"),
    Ask("li", LETTER, "本人反映的噪声扰民12345工单的办理记录", O.PROVIDED, note="现提供工单办理记录。"),
)  # fmt: skip

# 正衡律师事务所 sends twelve letters in one month: the eleventh is charged by count (100 yuan, paid), the
# twelfth's fee is never paid (国办函〔2020〕109号).
LAW_FIRM_MONTH: tuple[Ask, ...] = (
    Ask("lawfirm", LETTER, "政务服务中心{last}年物业服务采购合同", O.PROVIDED, note="现提供合同复印件。"),
    Ask("lawfirm", LETTER, "政务服务中心{last}年安保服务采购合同", O.PROVIDED, note="现提供合同复印件。"),
    Ask("lawfirm", IN_PERSON, "政务服务中心{last}年保洁服务采购合同", O.PROVIDED, delivery=BY_HAND, note="现提供合同复印件。"),
    Ask("lawfirm", LETTER, "政务服务中心{year}年政府采购意向", O.ALREADY_PUBLIC, public="政府采购意向"),
    Ask("lawfirm", LETTER, "政务服务中心{last}年食堂承包合同", O.CANNOT, G.NOT_HELD, note="经检索，本机关未制作、获取该信息。"),
    Ask("lawfirm", LETTER, "市政务服务中心所在大楼的产权证明", O.CANNOT, G.NOT_THIS_BODY,
        other_body="示范市自然资源局（示范市城西区国土路9号，电话0999-88120003）"),
    Ask("lawfirm", LETTER, "政务服务中心{last}年物业服务采购合同", O.NOT_HANDLED, G.REPEAT, note="您的申请与本月此前已答复的申请内容相同。"),
    Ask("lawfirm", LETTER, "近三年政务服务中心各类合同按金额排序的汇总表", O.CANNOT, G.NEEDS_PROCESSING,
        note="提供该信息需要对现有信息进行汇总、加工。"),
    Ask("lawfirm", LETTER, "示范市政务服务数据管理局{year}年部门预算", O.ALREADY_PUBLIC, public="部门预算"),
    Ask("lawfirm", IN_PERSON, "政务服务中心{last}年电梯维保合同", O.PROVIDED, delivery=BY_HAND, note="现提供合同复印件。"),
    Ask("lawfirm", LETTER, "政务服务中心{last}年绿化养护合同", O.PROVIDED, flow="fee_paid", note="现提供合同复印件。"),
    Ask("lawfirm", LETTER, "政务服务中心{last}年设备采购合同", O.OTHER, G.FEE_UNPAID, flow="fee_lapsed"),
)  # fmt: skip

MARKET_ASKS: tuple[Ask, ...] = (
    Ask("citizen", ONLINE, "示范市老街餐饮管理有限公司的行政处罚决定书", O.ALREADY_PUBLIC, delivery=ON_PAGE, public="行政处罚决定书"),
    Ask("company", ONLINE, "示范市好味道食品厂的食品经营许可申请材料", O.REFUSED, G.THIRD_PARTY_TRADE_SECRET, flow="consulted",
        party="示范市好味道食品厂", answer="不同意公开生产工艺流程，认为属于本厂商业秘密。", delivery=ON_PAGE,
        note="经征求第三方意见，该申请材料中的生产工艺流程属于商业秘密。"),
    Ask("zhou", IN_PERSON, "本人投诉某超市销售过期食品的处理结果", O.NOT_HANDLED, G.PETITION, delivery=BY_HAND,
        note="投诉举报按照《市场监督管理投诉举报处理暂行办法》办理，处理结果另行告知。"),
    Ask("consumer", LETTER, "全市食品安全监督抽检不合格产品名单", O.PROVIDED, note="现提供抽检不合格产品名单。"),
    Ask("university", FAX, "近两年个体工商户注销数量按行业统计", O.CANNOT, G.NEEDS_PROCESSING),
    Ask("newspaper", IN_PERSON, "示范市晨光乳业有限公司的企业年度报告", O.OTHER, G.SPECIAL_LAW, delivery=BY_HAND,
        note="企业年度报告依照《企业信息公示暂行条例》通过国家企业信用信息公示系统公示。"),
    Ask("lawfirm2", LETTER, "示范市鑫源食品贸易有限公司行政处罚案卷（含调查笔录）", O.REFUSED, G.ENFORCEMENT_FILES,
        appeals=(AppealSpec(RECONSIDER, 20, AppealOutcome.UPHELD, 50),)),
    Ask("senior", ONLINE, "保健食品虚假宣传案件的处罚依据", O.PROVIDED, flow="extended"),
)  # fmt: skip

# Open at the demo's now (政数局), by how many working days ago they arrived.
NOW_ASKS: tuple[tuple[int, Ask], ...] = (
    (25, Ask("lawfirm2", IN_PERSON, "2019年以来政务服务中心全部进驻单位的进驻协议", flow="extended")),
    (18, Ask("citizen", ONLINE, "本市“高效办成一件事”重点事项清单及办理流程", flow="open", delivery=ON_PAGE)),
    (9, Ask("company", ONLINE, "政务服务中心智能导办系统中标企业的技术方案", flow="consulting", party="示范智能科技有限公司",
            delivery=ON_PAGE)),
    (3, Ask("senior", ONLINE, "老年人办事的文件", flow="correcting", delivery=ON_PAGE)),
    (1, Ask("academy", FAX, "{last}年政务服务中心各窗口平均等候时长统计", flow="open")),
)  # fmt: skip

# Across the new year: received in December, replied in January.
CARRIED_ASK = Ask(
    "chen", IN_PERSON, "政务服务中心{year}年度窗口服务质量考评办法", O.ALREADY_PUBLIC, delivery=BY_HAND, public="好差评"
)
CARRIED_IN_ASK = Ask("li", LETTER, "市民中心无障碍设施改造方案", O.PROVIDED, note="现提供改造方案。")
