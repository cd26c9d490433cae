"""Demo data of the two registers (all persons and events fictional), loaded after the district,
schools and accounts exist. Idempotent: a person is found by the blind index of his name, a
dispute by its submission token — a second run creates nothing.

The story, as the demo 民警 (minjing) meets it on the story day:
- 刘德贵, 严重精神障碍患者, 高风险, lives 150 m from 蒲吕青松中学 — his 7-day review is 5 days
  overdue (the station page and the officer's inbox show it);
- 李建波, 曾涉校违法犯罪被处理, 高风险, near 蒲吕明德小学 — yesterday's visit found him gone:
  失控, reported to the station head, the 平安办 and the 区委政法委;
- three more in control (吸毒, 上访, 心理失衡), visited on time;
- a 学生伤亡 dispute at 蒲吕青松中学 whose parent threatened revenge — flagged 扬言报复, 稳控
  recorded within the two hours; an 招生入学 dispute at 明德小学 mediated and resolved; a
  食品安全 dispute at 小橡树幼儿园 still in mediation.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from huxiao.core import crypto
from huxiao.lib.geo import METRES_PER_DEGREE_LAT
from huxiao.people import services
from huxiao.people.categories import ensure_defaults
from huxiao.people.choices import FoundState, MeasureKind, Outcome, Risk
from huxiao.people.models import Category, Dispute, KeyPerson

STORY = dt.date(2026, 11, 29)  # demo.loader.STORY_DAY; dates below are story days

# name, 身份证号, phone, category, risk, school, metres north/east, address, guardian, notes, listed, visits
PERSONS = [
    (
        "刘德贵",
        "500224197803152318",
        "13594021187",
        "严重精神障碍患者（易肇事肇祸）",
        Risk.HIGH,
        "蒲吕青松中学",
        150,
        0,
        "青松路31号3单元",
        "刘秀英（姐姐）13983350241",
        "精神分裂症，2019年曾持刀追赶路人；现居家服药，由姐姐监护，服药依从性一般。",
        dt.date(2026, 10, 1),
        [(dt.date(2026, 11, 10), FoundState.CONCERN, "近期夜间在小区游荡，自言自语，已提醒监护人督促服药。")],
    ),
    (
        "李建波",
        "500224198511023412",
        "15923317745",
        "曾因涉校违法犯罪被打击处理人员",
        Risk.HIGH,
        "蒲吕明德小学",
        0,
        220,
        "明德街44号附2号",
        "社区网格员 何晓东 13452290183",
        "2022年因在校门口寻衅滋事被判处有期徒刑一年，2023年刑满释放。",
        dt.date(2026, 9, 15),
        [
            (dt.date(2026, 11, 20), FoundState.IN_CONTROL, "在县城务工，情绪稳定。"),
            (dt.date(2026, 11, 28), FoundState.LOST, "出租屋已退租，电话关机，工友称三天未见。"),
        ],
    ),
    (
        "陈小军",
        "500224199207186633",
        "18723019956",
        "吸毒人员",
        Risk.MEDIUM,
        "蒲吕新华小学",
        -120,
        60,
        "新华路17号",
        "母亲 陈桂芳 13627730012",
        "2024年强制隔离戒毒期满，社区康复中。",
        dt.date(2026, 6, 1),
        [(dt.date(2026, 11, 18), FoundState.IN_CONTROL, "按时参加社区康复尿检，结果阴性。")],
    ),
    (
        "王桂兰",
        "500224196504081228",
        "13308390657",
        "重点上访人员",
        Risk.LOW,
        "蒲吕育才小学",
        80,
        -40,
        "育才路22号",
        "",
        "因孙子入学划片问题多次到区教委上访。",
        dt.date(2026, 8, 20),
        [(dt.date(2026, 11, 12), FoundState.IN_CONTROL, "已由学区解释政策，情绪平稳。")],
    ),
    (
        "黄志刚",
        "500224198009250054",
        "13896012239",
        "心理失衡/对社会不满人员",
        Risk.MEDIUM,
        "蒲吕青松中学",
        -200,
        90,
        "青松路6号",
        "妻子 杨敏 13594460318",
        "生意失败后多次在网上发表对社会不满言论。",
        dt.date(2026, 10, 20),
        [(dt.date(2026, 11, 19), FoundState.IN_CONTROL, "已找到新工作，情绪好转。")],
    ),
]

# token, schools, category, source, found, parties, summary, threat, stabilise, mediations, outcome
DISPUTES = [
    (
        "demo-dispute-1",
        ["蒲吕青松中学"],
        "casualty",
        "school",
        dt.date(2026, 11, 24),
        "张建国 13983361420 学生家长\n周建国 校长",
        "初二学生体育课跑步时晕倒，送医后骨折。家长认为学校处置不及时，要求高额赔偿，"
        "在校门口扬言“不给说法就让学校好看”。",
        True,
        "已约谈家长并告知法律后果；学校加强门卫值守，护学岗增派一名民警；街道司法所介入调解。",
        [
            (
                dt.date(2026, 11, 25),
                "蒲吕街道办事处",
                "街道、学校、家长三方首次调解，家长情绪激动，未达成一致。",
            )
        ],
        None,
    ),
    (
        "demo-dispute-2",
        ["蒲吕明德小学"],
        "enrolment",
        "public",
        dt.date(2026, 9, 2),
        "吴明 13708350124 适龄儿童家长",
        "非学区户籍儿童要求就近入学，家长多次到学校争吵。",
        False,
        "",
        [(dt.date(2026, 9, 5), "蒲吕学区管理中心", "学区解释招生政策，协调至致远实验学校就读，家长同意。")],
        (Outcome.RESOLVED, dt.date(2026, 9, 6)),
    ),
    (
        "demo-dispute-3",
        ["蒲吕小橡树幼儿园"],
        "food",
        "public",
        dt.date(2026, 11, 20),
        "何芳 15023368801 幼儿家长等5人",
        "5名幼儿午餐后腹泻，家长质疑食堂食材来源，要求公开进货台账。",
        False,
        "",
        [(dt.date(2026, 11, 21), "蒲吕市场监管所", "市场监管所抽检食材，结果待出；幼儿园公开进货台账。")],
        None,
    ),
]


def _position(school, north_m: float, east_m: float) -> tuple[Decimal, Decimal]:
    lat = float(school.latitude) + north_m / METRES_PER_DEGREE_LAT
    lng = float(school.longitude) + east_m / (
        METRES_PER_DEGREE_LAT * math.cos(math.radians(float(school.latitude)))
    )
    q = Decimal("0.000001")
    return Decimal(lat).quantize(q), Decimal(lng).quantize(q)


def load(ctx) -> dict[str, int]:
    ensure_defaults()
    officer, station = ctx.users["minjing"], ctx.orgs["蒲吕派出所"]
    for (
        name,
        id_number,
        phone,
        category,
        risk,
        school_name,
        north,
        east,
        address,
        guardian,
        notes,
        listed,
        visits,
    ) in PERSONS:
        if KeyPerson.objects.filter(name_index=crypto.blind_index(name, "name")).exists():
            continue
        school = ctx.schools[school_name]
        lat, lng = _position(school, north, east)
        person = services.person_register(
            acting_user=officer,
            station=station,
            officer=officer,
            region=school.region,
            category=Category.objects.get(name=category),
            risk=risk,
            listed_on=ctx.day(listed),
            latitude=lat,
            longitude=lng,
            name=name,
            id_number=id_number,
            phone=phone,
            address=address,
            guardian=guardian,
            notes=notes,
        )
        if risk == Risk.HIGH:
            services.measure_record(
                acting_user=officer,
                person=person,
                kind=MeasureKind.GUARDIAN,
                taken_on=ctx.day(listed),
                detail="落实监护人/帮扶责任人，签订管控责任书。",
            )
        for visited, state, dynamics in visits:
            services.visit_record(
                acting_user=officer,
                person=person,
                visited_on=ctx.day(visited),
                found=state,
                dynamics=dynamics,
            )
    for (
        token,
        schools,
        category,
        source,
        found,
        parties,
        summary,
        threat,
        stabilise,
        mediations,
        outcome,
    ) in DISPUTES:
        if Dispute.objects.filter(submission=token).exists():
            continue
        dispute = services.dispute_register(
            acting_user=officer,
            station=station,
            region=ctx.schools[schools[0]].region,
            category=category,
            source=source,
            found_on=ctx.day(found),
            parties=parties,
            summary=summary,
            schools=[ctx.schools[s] for s in schools],
            mediators=[ctx.orgs[m[1]] for m in mediations],
            threat=threat,
            submission=token,
        )
        for day, org, note in mediations:
            services.mediation_record(
                acting_user=officer,
                dispute=dispute,
                held_on=ctx.day(day),
                organisation=ctx.orgs[org],
                note=note,
            )
        if stabilise:
            services.stabilise_record(acting_user=officer, dispute=dispute, measures=stabilise)
        if outcome:
            dispute.refresh_from_db()
            services.dispute_close(
                acting_user=officer,
                dispute=dispute,
                expected_version=dispute.version,
                outcome=outcome[0],
                closed_on=ctx.day(outcome[1]),
            )
    return {"key_persons": KeyPerson.objects.count(), "disputes": Dispute.objects.count()}
