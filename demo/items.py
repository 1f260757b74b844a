"""The demo inspection list (随机抽查事项清单) of 示范市人防办.

The items cover the business activities the regulation in docs/domain.md names (设计、监理、
质量检测、施工图审查、防护设备生产安装、平时使用、通信警报设施安装使用); legal bases cite the
national law and regulations a civil-air-defence office actually inspects against.
"""

from __future__ import annotations

from decimal import Decimal

from demo import categories as c
from demo.places import CITY_CODE
from demo.spec import ItemSpec
from domain.storage.models import ItemKind

LAW = "《中华人民共和国人民防空法》"
QUALITY_REGS = "《建设工程质量管理条例》"
PROVINCIAL = "《河南省实施〈中华人民共和国人民防空法〉办法》"
PEACETIME_RULES = "《人民防空工程平时开发利用管理办法》"
EQUIPMENT_STANDARD = "《人民防空工程防护设备产品质量检验与施工验收标准》（RFJ 01-2002）"

# Every item shares these procedural requirements (细则 七、八、九(四)、十).
COMMON_REQUIREMENTS = (
    "检查人员不少于2人，出示有效的行政执法证件和《行政检查通知书》，告知检查依据、内容、期限、"
    "要求和检查人员名单；现场详细记录抽查时间、地点、现场状况和问题，拍摄涉嫌违法行为，"
    "收集书证物证并注明来源，全过程记录；抽查名单公开前严格保密；"
    "抽查完成后20个工作日内公示结果，涉及行政处罚的7个工作日内公开处罚信息。"
)

ON_SITE = "实地检查"
PAPER = "书面检查"
TESTING = "检验检测"
EXPERTS = "委托专业机构辅助"


def _item(
    number: int,
    name: str,
    basis: str,
    content: str,
    categories: tuple[str, ...],
    *,
    methods: tuple[str, ...],
    ratio: str,
    frequency: int = 1,
    key: bool = False,
    extra: str = "",
    specialty: str | None = None,
) -> ItemSpec:
    return ItemSpec(
        code=f"RF-{CITY_CODE}-{number:03d}",
        name=name,
        legal_basis=basis,
        body_code=CITY_CODE,
        content=content,
        categories=categories,
        kind=ItemKind.KEY if key else ItemKind.GENERAL,
        ratio_percent=Decimal(ratio),
        frequency_per_year=frequency,
        method="、".join(methods),
        requirements=(extra + COMMON_REQUIREMENTS) if extra else COMMON_REQUIREMENTS,
        inspector_specialty=specialty or categories[0],
    )


ITEMS: tuple[ItemSpec, ...] = (
    _item(
        1,
        "人防工程设计单位设计活动的监督检查",
        f"{LAW}第二十三条；{QUALITY_REGS}第十八条、第十九条、第二十一条；{PROVINCIAL}",
        "设计资质及承揽范围；注册执业人员配备；人防工程设计文件是否符合《人民防空地下室"
        "设计规范》等防护标准和强制性条文；设计质量管理制度及设计变更管理。",
        (c.DESIGN,),
        methods=(PAPER, ON_SITE),
        ratio="10",
    ),
    _item(
        2,
        "人防工程监理单位监理活动的监督检查",
        f"{LAW}第二十三条；{QUALITY_REGS}第三十四条至第三十八条",
        "监理资质及承揽范围；项目监理机构人员到岗；防护密闭、防化等隐蔽工程旁站与验收记录；"
        "防护设备进场检验；监理日志和监理报告。",
        (c.SUPERVISION,),
        methods=(PAPER, ON_SITE),
        ratio="10",
    ),
    _item(
        3,
        "人防工程质量检测机构检测活动的监督检查",
        f"{LAW}第二十三条；《建设工程质量检测管理办法》（住房和城乡建设部令第57号）",
        "检测资质或备案情况；检测人员持证上岗；仪器设备检定校准；检测报告的真实性和规范性；"
        "人防防护设备检测样品管理和原始记录。",
        (c.TESTING,),
        methods=(PAPER, ON_SITE, TESTING),
        ratio="20",
    ),
    _item(
        4,
        "人防工程施工图审查机构审查活动的监督检查",
        f"{LAW}第二十三条；{QUALITY_REGS}第十一条；"
        "《房屋建筑和市政基础设施工程施工图设计文件审查管理办法》",
        "审查人员资格及人防专业审查人员配备；人防专项审查是否执行防护标准；审查意见、"
        "审查合格书和审查记录的完整性；审查时限。",
        (c.DRAWING_REVIEW,),
        methods=(PAPER,),
        ratio="20",
    ),
    _item(
        5,
        "人防工程防护设备生产企业产品质量的监督检查",
        f"{LAW}第二十三条第二款；{EQUIPMENT_STANDARD}",
        "产品是否为定型产品；生产条件和质量管理体系；原材料进厂检验和出厂检验记录；"
        "产品标识、合格证和质量保证书；抽样送检。",
        (c.EQUIPMENT_MAKING,),
        methods=(ON_SITE, TESTING, EXPERTS),
        ratio="30",
        frequency=2,
        key=True,
        extra="重点事项：可委托具备资质的检测机构抽样检测，检测费用不向被检查人收取。",
    ),
    _item(
        6,
        "人防工程防护设备安装质量的监督检查",
        f"{LAW}第二十三条；{EQUIPMENT_STANDARD}",
        "安装人员资格；门框墙预埋件、密闭性能和启闭灵活性；安装记录和自检记录；"
        "安装完成后的验收资料。",
        (c.EQUIPMENT_INSTALLING,),
        methods=(ON_SITE, TESTING),
        ratio="15",
    ),
    _item(
        7,
        "人防工程平时使用和维护管理的监督检查",
        f"{LAW}第二十五条、第二十六条；{PEACETIME_RULES}；{PROVINCIAL}",
        "平时使用备案或使用证；维护管理制度和维护记录；防护设备设施完好率；"
        "平时使用是否影响防空效能、能否按时限完成平战转换。",
        (c.PEACETIME_USE,),
        methods=(ON_SITE,),
        ratio="5",
    ),
    _item(
        8,
        "危害人防工程安全和使用效能行为的监督检查",
        f"{LAW}第二十七条、第四十九条；{PROVINCIAL}",
        "是否擅自改变主体结构、拆除防护设备设施；是否向工程内排入废水、废气或倾倒废弃物；"
        "是否在安全使用范围内进行危及工程安全的作业；是否存放易燃易爆物品。",
        (c.PEACETIME_USE,),
        methods=(ON_SITE, EXPERTS),
        ratio="30",
        frequency=2,
        key=True,
        extra="重点事项：投诉举报多、有不良记录或严重违法违规记录的单位应增加抽查频次。",
    ),
    _item(
        9,
        "人防工程平时使用安全管理的监督检查",
        f"{LAW}第二十六条；{PEACETIME_RULES}；《人民防空工程设计防火规范》",
        "防火、防汛、用电安全措施；安全出口和疏散通道是否畅通；应急预案和演练记录；"
        "安全管理责任人和值守制度。",
        (c.PEACETIME_USE,),
        methods=(ON_SITE,),
        ratio="5",
    ),
    _item(
        10,
        "人防通信、警报设施安装质量的监督检查",
        f"{LAW}第三十二条、第三十五条",
        "安装单位能力和人员；警报器型号、安装位置和覆盖范围是否符合警报建设规划；"
        "控制线路和电源；安装调试和验收记录。",
        (c.ALARM,),
        methods=(ON_SITE, TESTING),
        ratio="10",
    ),
    _item(
        11,
        "人防警报设施维护管理情况的监督检查",
        f"{LAW}第三十五条、第四十九条；{PROVINCIAL}",
        "设置在本单位的警报设施是否完好、能否正常鸣放；维护管理责任人和维护记录；"
        "是否擅自拆除、迁移警报设施；是否配合试鸣。",
        (c.ALARM,),
        methods=(ON_SITE,),
        ratio="10",
    ),
    _item(
        12,
        "人防工程设计文件防护内容执行情况的专项检查",
        f"{LAW}第二十二条、第二十三条；{QUALITY_REGS}第十一条、第十九条",
        "防护等级和战时功能是否符合审批要求；平战转换设计；防护单元和抗爆单元划分；"
        "施工图审查意见中人防内容的落实情况。",
        (c.DESIGN, c.DRAWING_REVIEW),
        methods=(PAPER, EXPERTS),
        ratio="5",
    ),
)
