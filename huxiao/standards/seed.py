"""The first rulesets, from `research/regulations.md` (§1 rules, §2 baseline choices) and the
蒲吕街道 work plan (蒲吕办发〔2021〕50号, `seed/huxiao-anyuan-2021-work-plan.txt`).

`seed_rulesets()` is idempotent: it creates a ruleset and its version 1 when missing. A ruleset
that already has versions keeps them (an administrator's edits stay); a rule added to the seed
after the ruleset was created — a code no version of it has ever had — is published as its next
version: every rule of the newest version copied, the new ones appended, in force from the day
it reaches the database (like an administrator's edit, so earlier evaluations and 统计表 are
not rewritten). It runs after every `migrate` (post_migrate handler in apps.py), from the demo
loader and from `manage.py seed_rulesets`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from huxiao.core import audit
from huxiao.standards.choices import Category, Confidence, Level, Severity
from huxiao.standards.models import Rule, Ruleset, RulesetVersion

SEED_EFFECTIVE = dt.date(2022, 6, 1)  # GB/T 29315-2022 in force
SEED_NOTE = "平台初始规则：据公开的国家标准、部门规范和地方文件整理，条款待核对原文"

ALL: list[str] = []
SECONDARY = ["junior", "senior", "complete", "nine_year", "vocational"]
YOUNG = ["primary", "nine_year", "kindergarten", "special"]
NOT_KG = ["primary", "junior", "senior", "nine_year", "complete", "special", "vocational"]

D2015 = dict(
    doc_title="中小学幼儿园安全防范工作规范（试行）",
    doc_number="公治〔2015〕168号",
    url="http://rsrhlxs.com/lygslyqjyj/aqfz/content/2b897321-2e3b-446c-ae31-5b26fc464dd4.html",
)
GBT2022 = dict(
    doc_title="中小学、幼儿园安全防范要求",
    doc_number="GB/T 29315-2022",
    url="http://www.wanhengnj.com/xinwendongtai/246.html",
)
GBT2012 = dict(
    doc_title="中小学、幼儿园安全技术防范系统要求",
    doc_number="GB/T 29315-2012",
    url="https://m.tftnews.com/news2578006",
)
ORDER23 = dict(
    doc_title="中小学幼儿园安全管理办法",
    doc_number="教育部等10部门令第23号",
    url="https://jingyanben.com/bangongwenmi/122569.html?page=8",
)
MEETING2020 = dict(
    doc_title="教育部、公安部学校安全工作视频会议（“三个100%”）",
    doc_number="2020年",
    url="https://edu.hczyw.com/2020/1106/47411.html",
)
LINWEI2021 = dict(
    doc_title="渭南市临渭区“四个100%”工作要求",
    doc_number="渭临教发〔2021〕38号",
    url="http://gruposolber.com/zfxxgk/fdzdgknr/zfjg/zfbm/qjyj/wjzq/1629028177206607874.html",
)
NINGBO = dict(
    doc_title="宁波市学校安全条例",
    doc_number="",
    url="",
)
CQ2018 = dict(
    doc_title="重庆市中小学幼儿园安全防范工作规范（试行）",
    doc_number="2018年",
    url="http://www.490157.tw/hyxw/1371.html",
)
BJ2018 = dict(
    doc_title="北京市中小学幼儿园平安校园建设标准（试行）",
    doc_number="2018年",
    url="http://m.appyouxi.cn/Shownews_hy.asp?id=306",
)
PULV2021 = dict(
    doc_title="蒲吕街道2021年中小学幼儿园“护校安园”专项行动工作方案",
    doc_number="蒲吕办发〔2021〕50号",
    url="",
)


def rule(
    code: str,
    title: str,
    category: str,
    kind: str,
    params: dict[str, Any],
    source: dict[str, str],
    *,
    article: str = "",
    requirement: str = "",
    severity: str = Severity.SHALL,
    confidence: str = Confidence.MED,
    applies_to: list[str] | None = None,
    boarding_only: bool = False,
) -> dict[str, Any]:
    return dict(
        code=code,
        title=title,
        category=category,
        kind=kind,
        params=params,
        severity=severity,
        confidence=confidence,
        applies_to=applies_to or [],
        boarding_only=boarding_only,
        article=article,
        requirement=requirement,
        **source,
    )


P, W, T, Z = Category.PERSONNEL, Category.PHYSICAL, Category.TECHNICAL, Category.PROCEDURE

NATIONAL_RULES = [
    rule(
        "guard.count",
        "专职保安员配备",
        P,
        "staffing",
        {
            "fact": "fulltime_guards",
            "formulas": [
                {
                    "label": "公治〔2015〕168号：按师生员工总数",
                    "basis": "headcount",
                    "bands": [[0, 1], [100, 2]],
                    "step": {"above": 1000, "per": 500, "add": 1},
                    "rounding": "ceil",
                },
                {
                    "label": "GB/T 29315-2022：按非寄宿生数",
                    "basis": "day_students",
                    "bands": [[0, 1], [100, 2], [1000, 3]],
                    "step": {"above": 1000, "per": 500, "add": 1},
                    "rounding": "floor",
                },
            ],
            "boarding": {"per": 300, "add": 1, "rounding": "floor"},
        },
        D2015,
        article="专职保安员配备；并参照GB/T 29315-2022人力防范",
        requirement=(
            "按师生员工总数配专职保安：100人以内至少1名；100至1000人至少2名；1000人以上每增加500人增配1名。"
            "GB/T 29315-2022按非寄宿生人数配备（100人以下≥1；1000人以上≥3，此后每增加500人增配1名）。"
            "两者取较大者；寄宿制学校每300名寄宿生另增配1名（平台基线取值）。"
        ),
    ),
    rule(
        "guard.licensed",
        "保安员持证上岗",
        P,
        "facts_true",
        {"facts": ["guards_all_licensed"]},
        D2015,
        article="保安员条件（年龄60周岁以内，持保安员证）",
        requirement="专职保安员须持保安员证上岗。",
    ),
    rule(
        "guard.equipment",
        "保安员防护器械",
        P,
        "equipment_set",
        {
            "fact": "guard_equipment",
            "all_of": [
                "helmet",
                "stab_vest",
                "cut_gloves",
                "restraint_fork",
                "rubber_baton",
                "torch",
                "radio",
            ],
            "any_of": [],
        },
        D2015,
        article="保安员装备（国家清单原文未见，取成都、辽宁等地清单）",
        requirement="保安员配备头盔、防刺背心、防割手套、钢叉、橡胶警棍、强光手电、对讲机。",
        confidence=Confidence.LOW,
    ),
    rule(
        "gate.24h",
        "门卫室24小时值守",
        P,
        "minimum",
        {"fact": "gatehouse_staffed_hours", "min": 24, "unit": "小时"},
        GBT2022,
        article="人力防范",
        requirement="门卫室（传达室）24小时有人值守。",
    ),
    rule(
        "boarding.night_guard",
        "寄宿制学校夜间保安值守",
        P,
        "minimum",
        {"fact": "night_guards", "min": 1, "unit": "名"},
        BJ2018,
        article="寄宿制学校放学后及夜间至少1名保安员在岗（平台基线取值）",
        requirement="寄宿制学校放学后及夜间至少1名保安员在岗。",
        boarding_only=True,
    ),
    rule(
        "closed_mgmt",
        "封闭化管理",
        W,
        "facts_true",
        {"facts": ["closed_management"]},
        MEETING2020,
        article="“三个100%”之封闭化管理",
        requirement="学校封闭化管理达标率100%。",
    ),
    rule(
        "perimeter.barrier",
        "周界实体屏障及防攀爬",
        W,
        "facts_true",
        {"facts": ["perimeter_closed", "anti_climb"]},
        GBT2022,
        article="附录A 周界：实体屏障（应）",
        requirement="周界设围墙、金属栅栏等实体屏障并采取防攀爬措施。",
    ),
    rule(
        "gate.anti_ram",
        "校门硬质防冲撞设施",
        W,
        "equipment_set",
        {
            "fact": "gate_anti_ram",
            "all_of": [],
            "any_of": ["barricade", "bollard_block", "rising_bollard", "railing"],
        },
        GBT2022,
        article="附录A 主出入口：隔离栏/隔离墩/升降柱（应）",
        requirement="学校大门外设拒马、隔离墩、升降柱等硬质防冲撞设施。",
    ),
    rule(
        "gate.separation",
        "人车分流",
        W,
        "facts_true",
        {"facts": ["ped_vehicle_separated"]},
        GBT2022,
        article="出入口：人行与机动车出入口宜分开",
        requirement="人行与机动车出入口宜分开，设学生接送区。",
        severity=Severity.SHOULD,
    ),
    rule(
        "alarm.one_key",
        "一键报警与公安联网",
        T,
        "facts_true",
        {"facts": ["one_key_alarm", "alarm_linked_to_police"]},
        GBT2022,
        article="附录A 门卫室：紧急报警装置（应）",
        requirement="门卫室设一键报警（紧急报警）装置，与属地公安机关（110）联网。",
    ),
    rule(
        "cctv.networked",
        "视频监控与公安联网",
        T,
        "facts_true",
        {"facts": ["cctv_linked_to_police"]},
        MEETING2020,
        article="“三个100%”之视频监控联网",
        requirement="校园视频监控系统与公安机关联网。",
    ),
    rule(
        "cctv.coverage",
        "重点部位视频监控覆盖",
        T,
        "coverage",
        {
            "fact": "camera_coverage",
            "areas": ["gate_outside", "gatehouse", "activity", "teaching", "canteen"],
        },
        GBT2022,
        article="附录A 第2、4至7、10行（应）",
        requirement="门卫室、校门外及主出入口、室外人员集中活动区、教学区主要通道和出入口、食堂操作间和出入口设视频监控。",
    ),
    rule(
        "cctv.dormitory",
        "宿舍楼出入口视频监控",
        T,
        "coverage",
        {"fact": "camera_coverage", "areas": ["dormitory"]},
        GBT2022,
        article="附录A 第8行（应）",
        requirement="学生宿舍楼主要出入口设视频监控。",
        boarding_only=True,
    ),
    rule(
        "cctv.lab_store",
        "危化品储存室、实验室视频监控",
        T,
        "coverage",
        {"fact": "camera_coverage", "areas": ["lab_store"]},
        GBT2022,
        article="附录A 第11行（应）",
        requirement="易燃易爆、危化品储存室和实验室设视频监控。",
        applies_to=SECONDARY,
    ),
    rule(
        "cctv.kindergarten",
        "幼儿活动室、寝室视频监控",
        T,
        "coverage",
        {"fact": "camera_coverage", "areas": ["classrooms"]},
        GBT2022,
        article="附录A 第9行（应）",
        requirement="幼儿园活动室、寝室设视频监控。",
        applies_to=["kindergarten"],
    ),
    rule(
        "cctv.retention",
        "视频图像存储天数",
        T,
        "minimum",
        {"fact": "cctv_retention_days", "min": 30, "unit": "天"},
        GBT2012,
        article="视频图像保存时间不少于30天（2022版数值未核实）",
        requirement="视频图像实时记录，保存时间不少于30天。",
    ),
    rule(
        "intrusion.perimeter",
        "周界入侵报警",
        T,
        "facts_true",
        {"facts": ["intrusion_alarm"]},
        GBT2022,
        article="附录A 第3行：周界入侵探测（宜）",
        requirement="周界宜设入侵报警或具入侵探测功能的视频。",
        severity=Severity.SHOULD,
    ),
    rule(
        "visitor.register",
        "外来人员登记与身份核验",
        Z,
        "facts_true",
        {"facts": ["visitor_register", "visitor_id_check"]},
        ORDER23,
        article="门卫制度",
        requirement="外来人员、车辆进出登记并核验身份，未经许可不得入校。",
    ),
    rule(
        "pickup.handover",
        "学生（幼儿）接送交接制度",
        Z,
        "facts_true",
        {"facts": ["pickup_handover"]},
        ORDER23,
        article="接送交接制度",
        requirement="小学低年级、幼儿园建立上下学接送交接制度。",
        applies_to=YOUNG,
    ),
    rule(
        "drill.semester",
        "应急疏散演练",
        Z,
        "frequency",
        {"fact": "drills_per_semester", "min": 1, "unit": "次", "per": "学期"},
        ORDER23,
        article="每学期至少1次紧急疏散演练（条款号未核实）",
        requirement="每学期至少开展1次紧急疏散演练。",
    ),
    rule(
        "insp.self",
        "学校安全自查",
        Category.INSPECTION,
        "frequency",
        {"fact": "self_inspections_semester", "min": 2, "unit": "次", "per": "学期"},
        NINGBO,
        article="第10条（地方性法规，作为平台基线取值）",
        requirement="学校每学期安全检查不少于2次。",
        confidence=Confidence.LOW,
    ),
    rule(
        "huxue.post",
        "护学岗设置",
        Category.DUTY_POST,
        "facts_true",
        {"facts": ["has_duty_post"]},
        LINWEI2021,
        article="“四个100%”之护学岗设置率100%",
        requirement="学校设护学岗，上学、放学高峰时段定点执勤。",
    ),
]

CHONGQING_RULES = [
    rule(
        "guard.count",
        "专职保安员配备",
        P,
        "staffing",
        {"fact": "fulltime_guards", "formulas": [{"basis": "headcount", "bands": [[0, 0], [100, 4]]}]},
        CQ2018,
        article="师生员工总人数100人以上的学校至少配备4名专职保安（100人以下档原文未见，按国家基线）",
        requirement="师生员工总人数≥100人的学校至少配4名专职保安员。",
        confidence=Confidence.LOW,
    ),
    rule(
        "intrusion.perimeter",
        "周界入侵报警",
        T,
        "facts_true",
        {"facts": ["intrusion_alarm"]},
        CQ2018,
        article="周界报警或电子围栏（重庆要求设置）",
        requirement="学校周界设入侵报警或电子围栏。",
    ),
]

PULV_RULES = [
    rule(
        "insp.supervision",
        "督导检查次数",
        Category.INSPECTION,
        "frequency",
        {"fact": "supervision_inspections_semester", "min": 2, "unit": "次", "per": "学期"},
        PULV2021,
        article="二（二）强化风险隐患排查整改：每学期对校园安全督导检查不少于2次",
        requirement="每学期对校园安全督导检查不少于2次。",
        confidence=Confidence.HIGH,
    ),
    # research/regulations.md §1 has the 2 m wall only as a regional rule (成都, 征求意见稿) and
    # §2.6 keeps it out of the national baseline; 蒲吕's own work plan states it verbatim.
    rule(
        "perimeter.height",
        "围墙（实体屏障）高度不低于2米",
        W,
        "minimum",
        {"fact": "perimeter_height_m", "min": 2, "unit": "米"},
        PULV2021,
        article="四（一）四是巩固校园物防建设：学校应当设置不低于2米的围墙或其他实体屏障",
        requirement="学校应当设置不低于2米的围墙或其他实体屏障，实行封闭式管理。",
        confidence=Confidence.HIGH,
    ),
    rule(
        "boarding.houseparent",
        "寄宿制学校配备生活管理教师",
        P,
        "minimum",
        {"fact": "register_houseparents", "min": 1, "unit": "名"},
        PULV2021,
        article="四（一）二是加强校园安保队伍建设：寄宿制校园要增配专职保安员和生活管理教师，24小时值班值守",
        requirement="寄宿制校园要增配专职保安员和生活管理教师，24小时值班值守。",
        confidence=Confidence.HIGH,
        boarding_only=True,
    ),
    rule(
        "gate.screening",
        "入校安检",
        Z,
        "facts_true",
        {"facts": ["gate_screening"]},
        PULV2021,
        article="四（一）五是健全落实校园安全制度：严防将管制刀具、易燃易爆等危险物品带入校园",
        requirement="外来人员、车辆入校须登记并经安检（据门卫登记：近30天登记的访客和车辆均已安检）。",
        confidence=Confidence.HIGH,
    ),
]

BEIJING_RULES = [
    rule(
        "guard.count",
        "专职保安员配备",
        P,
        "staffing",
        {
            "fact": "fulltime_guards",
            "formulas": [
                {
                    "basis": "headcount",
                    "bands": [[0, 3]],
                    "step": {"above": 1000, "per": 500, "add": 1},
                    "rounding": "ceil",
                }
            ],
            "boarding": {"flat": 1, "per": 300, "add": 1, "rounding": "floor"},
        },
        BJ2018,
        article="保安员配备",
        requirement="师生员工1000人以内至少3名（有寄宿生至少4名）；1000人以上每增500人增配1名；每增300名寄宿生增配1名。",
    ),
    rule(
        "drill.semester",
        "应急疏散演练",
        Z,
        "frequency",
        {"fact": "drills_per_semester", "min": 4, "unit": "次", "per": "学期"},
        BJ2018,
        article="中小学每月1次疏散演练（按每学期4个教学月折算）",
        requirement="中小学每月开展1次应急疏散演练。",
        applies_to=NOT_KG,
    ),
    rule(
        "drill.kindergarten",
        "幼儿园应急疏散演练",
        Z,
        "frequency",
        {"fact": "drills_per_semester", "min": 2, "unit": "次", "per": "学期"},
        BJ2018,
        article="幼儿园每季度1次疏散演练（按每学期2个季度折算）",
        requirement="幼儿园每季度开展1次应急疏散演练。",
        applies_to=["kindergarten"],
    ),
]

RULESETS: list[dict[str, Any]] = [
    dict(
        name="国家基线",
        level=Level.NATIONAL,
        region_code="",
        region_name="",
        region_path="",
        rules=NATIONAL_RULES,
    ),
    dict(
        name="重庆市地方要求",
        level=Level.PROVINCE,
        region_code="500000",
        region_name="重庆市",
        region_path="500000/",
        rules=CHONGQING_RULES,
    ),
    dict(
        name="蒲吕街道工作要求",
        level=Level.TOWNSHIP,
        region_code="500151104",
        region_name="蒲吕街道",
        region_path="500000/500151/500151104/",
        rules=PULV_RULES,
    ),
    dict(
        name="北京市地方要求",
        level=Level.PROVINCE,
        region_code="110000",
        region_name="北京市",
        region_path="110000/",
        rules=BEIJING_RULES,
    ),
]


@transaction.atomic
def seed_rulesets() -> int:
    """Create the missing seed rulesets (with version 1) and publish the seed rules an existing
    ruleset has never had (as its next version); return how many versions were created."""
    created = 0
    for spec in RULESETS:
        spec = dict(spec)
        rules: list[dict[str, Any]] = spec.pop("rules")
        ruleset, _ = Ruleset.objects.get_or_create(region_code=spec["region_code"], defaults=spec)
        if ruleset.versions.exists():
            created += publish_added_rules(ruleset, rules)
            continue
        version = RulesetVersion.objects.create(
            ruleset=ruleset, number=1, effective_from=SEED_EFFECTIVE, note=SEED_NOTE
        )
        Rule.objects.bulk_create(
            [Rule(version=version, position=i, **values) for i, values in enumerate(rules, 1)]
        )
        audit.record(
            actor=None,
            action="standards.seed",
            obj=ruleset,
            after={"version": 1, "rules": [r["code"] for r in rules]},
            region_path=ruleset.region_path,
            object_repr=f"{ruleset.name} 第1版（初始规则）",
        )
        created += 1
    return created


def publish_added_rules(ruleset: Ruleset, rules: list[dict[str, Any]]) -> int:
    """Publish the seed `rules` whose code no version of `ruleset` has ever had as its next
    version (the newest version's rules copied, the new ones appended), in force from today —
    or from the newest version's date if that is later; return 1 if a version was made, else 0."""
    known = set(Rule.objects.filter(version__ruleset=ruleset).values_list("code", flat=True))
    added = [values for values in rules if values["code"] not in known]
    if not added:
        return 0
    current = ruleset.versions.order_by("-number").first()
    assert current is not None
    titles = "、".join(values["title"] for values in added)
    version = RulesetVersion.objects.create(
        ruleset=ruleset,
        number=current.number + 1,
        effective_from=max(timezone.localdate(), current.effective_from),
        note=f"平台规则更新：新增{titles}"[:200],
    )
    copies = [old.copy_to(version) for old in current.rules.order_by("position", "code")]
    start = (current.rules.aggregate(last=Max("position"))["last"] or 0) + 1
    copies += [Rule(version=version, position=start + i, **values) for i, values in enumerate(added)]
    Rule.objects.bulk_create(copies)
    audit.record(
        actor=None,
        action="standards.seed",
        obj=ruleset,
        after={"version": version.number, "rules": [values["code"] for values in added]},
        region_path=ruleset.region_path,
        object_repr=f"{ruleset.name} 第{version.number}版（新增规则：{titles}）",
    )
    return 1
