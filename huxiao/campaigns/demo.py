"""Demo data of this app, loaded by `huxiao.demo.loader` after the district, schools, accounts
and hazards exist. Idempotent: a campaign that exists (by region and name) is left alone.

* The seed's **2021 campaign** (蒲吕办发〔2021〕50号) as the plan says: leading group with the
  plan's titles (people fictional), the office at the 学区管理中心, the four phases and their
  dates, the units and their duties, the six measures and four requirements, tasks per phase
  (all but one done), two joint meetings.
* A **campaign in progress** whose 验收 and 巩固提高 phases hold today. Its story was written for
  Sunday 2026-11-29 (the 2026 campaign, `demo.loader.STORY_DAY`) and is moved by whole weeks to
  the day the demo is loaded (`ctx.day`), so on any day it is in 验收 with the same history:
  tasks done and overdue, a 月度会商 last month whose decisions are tasks, a risk alert to three
  schools of which two responded, a circular; and the schools' way into 验收 (`_entries`): 明德
  验收通过, 青松 已申请, 小橡树 退回, while 石龙村小学 — its open 重大 hazard, the 围墙 — cannot
  apply (the gate page says why).

Everything goes through the services. Like the hazards demo, completion times are then
backdated so the history reads as if the work had been done on time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from huxiao.campaigns import demo_plan, services
from huxiao.campaigns.choices import AlertLevel, CampaignStatus, GroupRole, MeetingKind, TextKind
from huxiao.campaigns.models import (
    AlertRecipient,
    Campaign,
    Circular,
    Meeting,
    PhaseEntry,
    RiskAlert,
    Task,
)

TZ = ZoneInfo("Asia/Shanghai")
REGION = "500151104"  # 蒲吕街道
OFFICE = "蒲吕学区管理中心"
# The user who completes a task of each unit in the demo (None: the system).
DOERS = {
    "蒲吕街道办事处": "jiedao",
    "蒲吕街道平安办": "pinganban",
    "蒲吕派出所": "minjing",
    "蒲吕学区管理中心": "xuequ",
    "蒲吕市场监管所": "jiancha",
    "蒲吕青松中学": "anquan",
    "蒲吕明德小学": "mingde",
    "蒲吕石龙村小学": "shilong",
    "蒲吕小橡树幼儿园": "yuanzhang",
}

DUTIES = [
    (
        "蒲吕街道办事处",
        "印发工作方案，领导小组组长、副组长所在单位，统筹协调专项工作；验收阶段与派出所抽调人员组成联合检查组，"
        "对校园安全保卫工作开展督导检查，将检查情况纳入专项工作成效展示，并适时予以通报。",
        False,
    ),
    (
        "蒲吕街道平安办",
        "摸排阶段适时抽调人员组成自查组进行抽查；分管安全领导组织平安办，会同派出所、应急管理、市场监管、卫健等部门"
        "开展校园安全风险隐患排查和集中整治，及时向学校发布安全风险提示；带领协调相关职能部门开展校园周边环境综合治理"
        "（经营服务场所、出租房屋、网吧、游戏厅等）。",
        False,
    ),
    (
        "蒲吕派出所",
        "摸排阶段对标对表，查找问题差距，建立“问题清单”；整改阶段组成自查组跟进核查，对发现的问题隐患下发整改通知书限期整改；"
        "验收阶段参加联合检查组；指导监督学校、幼儿园健全安全管理制度和应急机制；矛盾纠纷摸排化解；重点人员滚动排查、"
        "建档管控；校园周边治安秩序和交通秩序整治；完善高峰勤务和“护学岗”机制，设置率达到100%；选派法治辅导员；"
        "接收学区管理中心报送的工作总结。",
        False,
    ),
    (
        "蒲吕学区管理中心",
        "承担领导小组办公室工作；摸排阶段抽调人员抽查；整改阶段跟进核查，对重大隐患及安防建设突出问题牵头研究解决方案，"
        "分解任务、落实责任、限时整改；核查教职员工身份背景，严格审查保安员、门卫；每月28日前报送上月工作情况及统计表，"
        "行动结束前向派出所报送工作总结。",
        True,
    ),
    (
        "铜梁区交巡警支队",
        "会同派出所整治校园周边车辆乱停、超速、超载、闯红灯等交通违章行为。",
        False,
    ),
    (
        "蒲吕市场监管所",
        "参加校园安全风险隐患排查和集中整治，重点是食品安全；加强校园周边经营服务场所、经营活动的管理和监督。",
        False,
    ),
]

SCHOOLS_DUTY = (
    "全面开展安全自查，摸排梳理校园内部安全隐患和“三防”建设薄弱环节，逐一登记建档，提出解决方案和改进措施；"
    "校长（园长）为第一责任人，落实人防、物防、技防措施和安全管理制度；开展安全教育和法治宣传教育。"
)

# role, fictional name, title (as the plan), organisation, demo username
GROUP = [
    (GroupRole.LEADER, "唐志远", "街道分管综治的政法书记", "蒲吕街道办事处", "jiedao"),
    (GroupRole.DEPUTY, "陈启明", "分管教育的党工委委员", "蒲吕街道办事处", None),
    (GroupRole.MEMBER, "林晓梅", "平安办主任", "蒲吕街道平安办", "pinganban"),
    (GroupRole.MEMBER, "黄国栋", "派出所负责人", "蒲吕派出所", None),
    (GroupRole.MEMBER, "孙主任", "学区管理中心主任", "蒲吕学区管理中心", "xuequ"),
    (GroupRole.MEMBER, "钱立华", "市场监管所负责人", "蒲吕市场监管所", None),
    (GroupRole.OFFICE_DIRECTOR, "孙主任", "学区管理中心主任（兼任办公室主任）", "蒲吕学区管理中心", "xuequ"),
    (GroupRole.OFFICE_DEPUTY, "林晓梅", "蒲吕平安办主任", "蒲吕街道平安办", "pinganban"),
    (GroupRole.OFFICE_DEPUTY, "", "辖区内各级各类学校分管安全工作的人员", None, None),
]

# phase, unit ("*schools" = one task per 蒲吕 school), title, due as (month, day, year offset)
TASKS = [
    ("摸排", "*schools", "全面开展安全自查，隐患逐一登记建档，提出解决方案和改进措施", (5, 20, 0)),
    ("摸排", "蒲吕街道平安办", "抽调人员组成自查组，抽查辖区校园安全隐患", (5, 25, 0)),
    ("摸排", "蒲吕学区管理中心", "抽调人员组成自查组，抽查学校自查情况并督促整改", (5, 25, 0)),
    ("摸排", "蒲吕派出所", "对标对表查找问题差距，建立“问题清单”，研究对策措施", (5, 25, 0)),
    ("整改", "蒲吕派出所", "跟进核查学校自查情况，对问题隐患下发整改通知书限期整改", (11, 25, 0)),
    (
        "整改",
        "蒲吕学区管理中心",
        "牵头研究重大隐患及安防建设突出问题解决方案，分解任务、限时整改",
        (11, 25, 0),
    ),
    ("整改", "蒲吕学区管理中心", "核查教职员工身份背景，审查保安员、门卫准入", (9, 30, 0)),
    ("整改", "蒲吕派出所", "完善高峰勤务和“护学岗”机制，护学岗设置率达到100%", (9, 1, 0)),
    ("整改", "蒲吕派出所", "选派优秀民警兼任学校法治辅导员", (9, 30, 0)),
    ("整改", "蒲吕街道平安办", "协调开展校园周边出租房屋、网吧、游戏厅等清理整治", (10, 31, 0)),
    ("整改", "铜梁区交巡警支队", "整治校园周边车辆乱停、超速、超载、闯红灯等交通违章", (10, 31, 0)),
    ("整改", "蒲吕市场监管所", "开展学校食堂及校园周边食品安全检查", (9, 30, 0)),
    ("验收", "蒲吕街道办事处", "会同派出所组成联合检查组，对校园安全保卫工作开展督导检查", (1, 15, 1)),
    ("验收", "蒲吕派出所", "抽调人员参加联合检查组", (1, 15, 1)),
    ("验收", "蒲吕街道办事处", "通报检查情况，纳入专项工作成效展示", (1, 31, 1)),
    ("巩固提高", "蒲吕学区管理中心", "向派出所报送专项工作总结", (1, 20, 1)),
    ("巩固提高", "蒲吕街道平安办", "总结分析短板、推广经验，健全校园安全稳定长效联动机制", (1, 31, 1)),
]


def _same(day: dt.date) -> dt.date:
    return day


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _phases(year: int, issued: dt.date, on: Callable[[dt.date], dt.date] = _same) -> list[dict]:
    """The plan's four phases of a campaign written for `year`, each date moved by `on`."""
    gate = [{"check": "no_live_hazards", "params": {"severities": ["major"]}}]
    return [
        {
            "name": "摸排",
            "start": issued,
            "end": on(dt.date(year, 5, 25)),
            "start_label": "即日",
            "description": demo_plan.STEPS["摸排"],
        },
        {
            "name": "整改",
            "start": on(dt.date(year, 5, 26)),
            "end": on(dt.date(year, 11, 25)),
            "description": demo_plan.STEPS["整改"],
        },
        {
            "name": "验收",
            "start": on(dt.date(year, 11, 26)),
            "end": on(dt.date(year + 1, 1, 31)),
            "description": demo_plan.STEPS["验收"],
            "gates": gate,
        },
        {
            "name": "巩固提高",
            "start": on(dt.date(year, 11, 26)),
            "end": on(dt.date(year + 1, 1, 31)),
            "description": demo_plan.STEPS["巩固提高"],
        },
    ]


def _at(day: dt.date, hour: int = 16) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def _build(
    ctx,
    year: int,
    issued: dt.date,
    number: str,
    status: str,
    on: Callable[[dt.date], dt.date] = _same,
) -> tuple[Campaign, bool]:
    """The campaign written for `year`, issued on `issued` (already moved), every other date moved
    by `on`; it is named after the year it was issued in."""
    story_year, year = year, issued.year
    name = f"蒲吕街道{year}年中小学幼儿园“护校安园”专项行动"
    region = ctx.regions[REGION]
    existing = Campaign.objects.filter(region=region, name=name).first()
    if existing is not None:
        return existing, False
    orgs = ctx.orgs
    campaign = services.campaign_create(
        acting_user=None,
        region=region,
        name=name,
        year=year,
        phases=_phases(story_year, issued, on),
        status=status,
        issuer=orgs["蒲吕街道办事处"],
        document_number=number,
        issued_on=issued,
        goals=demo_plan.GOALS,
        office_org=orgs[OFFICE],
        office_duty="具体负责本次综合检查整治工作的组织实施",
        schools_duty=SCHOOLS_DUTY,
        monthly_due_day=28,
        summary_due=on(dt.date(story_year + 1, 1, 20)),
        summary_recipient=orgs["蒲吕派出所"],
    )
    for role, person, title, org, username in GROUP:
        services.group_member_add(
            acting_user=None,
            campaign=campaign,
            role=role,
            person_name=person,
            title=title,
            organisation=orgs[org] if org else None,
            user=ctx.users.get(username) if username else None,
        )
    for org, duty, monthly in DUTIES:
        services.participant_add(
            acting_user=None, campaign=campaign, organisation=orgs[org], duty=duty, reports_monthly=monthly
        )
    for kind, items in (
        (TextKind.MEASURE, demo_plan.MEASURES),
        (TextKind.REQUIREMENT, demo_plan.REQUIREMENTS),
    ):
        for title, body in items:
            services.plan_text_add(acting_user=None, campaign=campaign, kind=kind, title=title, body=body)
    phases = {p.name: p for p in campaign.phases.all()}
    pulv_schools = [s for n, s in ctx.schools.items() if n.startswith("蒲吕") and s.organisation_id]
    for phase, unit, title, (month, day, offset) in TASKS:
        owners = [s.organisation for s in pulv_schools] if unit == "*schools" else [orgs[unit]]
        for owner in owners:
            services.task_create(
                acting_user=None,
                campaign=campaign,
                phase=phases[phase],
                title=title,
                organisation=owner,
                due=on(dt.date(story_year + offset, month, day)),
                notify_owner=False,
            )
    return campaign, True


def _complete(ctx, task: Task, evidence: str, on: dt.date) -> None:
    doer = ctx.users.get(DOERS.get(task.organisation.name, ""))
    done = services.task_complete(
        acting_user=doer, task=task, expected_version=task.version, evidence=evidence
    )
    Task.objects.filter(pk=done.pk).update(completed_at=_at(on))  # backdated, see the module docstring


def _evidence(task: Task) -> str:
    return f"已按要求完成：{task.title}。相关台账、照片已归档备查。"


def _meeting(
    ctx, campaign: Campaign, held_on: dt.date, kind: str, title: str, topics: str, decisions
) -> Meeting:
    orgs = ctx.orgs
    return services.meeting_record(
        acting_user=ctx.users["xuequ"],
        campaign=campaign,
        kind=kind,
        held_on=held_on,
        title=title,
        location="蒲吕学区管理中心会议室",
        attendee_orgs=[
            orgs[n]
            for n in ("蒲吕街道办事处", "蒲吕街道平安办", "蒲吕派出所", "蒲吕学区管理中心", "蒲吕市场监管所")
        ],
        attendee_people="唐志远 蒲吕街道办事处 政法书记\n林晓梅 蒲吕街道平安办 主任\n赵警官 蒲吕派出所 社区民警\n孙主任 蒲吕学区管理中心 主任",
        topics=topics,
        decisions=[{"title": t, "organisation": orgs[o], "due": d} for t, o, d in decisions],
    )


def _load_2021(ctx) -> bool:
    campaign, created = _build(ctx, 2021, dt.date(2021, 4, 23), "蒲吕办发〔2021〕50号", CampaignStatus.CLOSED)
    if not created:
        return False
    m1 = _meeting(
        ctx,
        campaign,
        dt.date(2021, 5, 27),
        MeetingKind.JOINT,
        "2021年护校安园专项工作第一次联席会议",
        "通报摸排阶段工作情况；研判校园安全形势；部署整改阶段工作。",
        [
            ("汇总摸排阶段“问题清单”，逐校明确整改时限", "蒲吕派出所", dt.date(2021, 6, 10)),
            ("对重大隐患逐项制定整改方案", "蒲吕学区管理中心", dt.date(2021, 6, 30)),
        ],
    )
    m2 = _meeting(
        ctx,
        campaign,
        dt.date(2021, 9, 28),
        MeetingKind.MONTHLY,
        "2021年9月护校安园月度会商",
        "秋季开学以来校园及周边安全形势；护学岗运行情况；周边环境整治进展。",
        [("开展校园周边网吧、游戏厅专项检查", "蒲吕街道平安办", dt.date(2021, 10, 20))],
    )
    for task in Task.objects.filter(campaign=campaign).select_related("organisation").order_by("due", "pk"):
        if task.organisation.name == "铜梁区交巡警支队":
            continue  # the one task the 2021 campaign left open
        _complete(ctx, task, _evidence(task), min(task.due, dt.date(2022, 1, 31)))
    assert m1 and m2
    return True


def _load_current(ctx) -> Campaign:
    """The campaign in progress: the 2026 story moved to the day the demo is loaded (left alone
    when it exists)."""
    on = ctx.day
    issued = on(dt.date(2026, 4, 20))
    year = issued.year
    campaign, created = _build(ctx, 2026, issued, f"蒲吕办发〔{year}〕31号", CampaignStatus.ACTIVE, on)
    if not created:
        return campaign
    users, orgs, schools = ctx.users, ctx.orgs, ctx.schools
    _meeting(
        ctx,
        campaign,
        on(dt.date(2026, 5, 27)),
        MeetingKind.JOINT,
        f"{year}年护校安园专项工作第一次联席会议",
        "通报摸排阶段工作情况；部署整改阶段工作。",
        [("对摸排发现的重大隐患逐项制定整改方案", "蒲吕学区管理中心", on(dt.date(2026, 6, 30)))],
    )
    held = on(dt.date(2026, 10, 28))
    last_month = _meeting(
        ctx,
        campaign,
        held,
        MeetingKind.MONTHLY,
        f"{held.year}年{held.month}月护校安园月度会商",
        "整改阶段收尾：逾期隐患督办情况；冬季消防和取暖用电安全；验收阶段联合检查安排。",
        [
            ("加强放学高峰护学岗力量，重点覆盖青松中学、明德小学", "蒲吕派出所", on(dt.date(2026, 11, 20))),
            (
                "督促石龙村小学围墙重大隐患限期整改并报送整改方案执行情况",
                "蒲吕学区管理中心",
                on(dt.date(2026, 11, 27)),
            ),
            ("组织开展冬季校园消防安全检查", "蒲吕街道平安办", on(dt.date(2026, 12, 15))),
        ],
    )
    today = ctx.story_day  # the story's today (a Sunday, at most six days before the real one)
    open_titles = {
        "整治校园周边车辆乱停、超速、超载、闯红灯等交通违章",  # overdue since 10-31
        "牵头研究重大隐患及安防建设突出问题解决方案，分解任务、限时整改",  # overdue since 11-25
        "督促石龙村小学围墙重大隐患限期整改并报送整改方案执行情况",  # overdue since 11-27
    }
    late_schools = {"蒲吕新华小学"}  # its self-inspection was never reported done
    for task in Task.objects.filter(campaign=campaign, due__lt=today).select_related("organisation"):
        if task.title in open_titles or task.organisation.name in late_schools:
            continue
        _complete(ctx, task, _evidence(task), task.due - dt.timedelta(days=2))
    doing = Task.objects.get(campaign=campaign, title__startswith="牵头研究重大隐患")
    services.task_complete(
        acting_user=users["xuequ"],
        task=doing,
        expected_version=doing.version,
        evidence=f"已为石龙村小学东侧围墙重大隐患制定整改方案，施工单位{on(dt.date(2026, 12, 3)).month}月上旬进场。",
        done=False,
    )
    assert last_month.decisions.count() == 3
    alert = services.alert_issue(
        acting_user=users["pinganban"],
        campaign=campaign,
        title="冬季校园消防及取暖用电安全风险提示",
        text="入冬以来气温下降，宿舍、食堂、教室违规使用大功率取暖电器和私拉乱接电线风险上升。请各校立即开展一次用电和消防通道自查，"
        "清理宿舍违规电器，检查灭火器有效期和疏散通道，于期限前反馈落实情况。",
        level=AlertLevel.IMPORTANT,
        respond_by=on(dt.date(2026, 11, 27)),
        schools=[schools["蒲吕青松中学"], schools["蒲吕明德小学"], schools["蒲吕石龙村小学"]],
        issuer=orgs["蒲吕街道平安办"],
    )
    answered_on = {"蒲吕青松中学": on(dt.date(2026, 11, 24)), "蒲吕明德小学": on(dt.date(2026, 11, 26))}
    responses = {
        "蒲吕青松中学": (
            "anquan",
            f"已于{_md(answered_on['蒲吕青松中学'])}完成宿舍楼逐间检查，收缴电热毯3床、热得快2个，更换过期灭火器6具。",
        ),
        "蒲吕明德小学": ("mingde", "已组织全校用电和消防通道自查，清理楼道堆放杂物，无违规取暖电器。"),
    }
    RiskAlert.objects.filter(pk=alert.pk).update(issued_at=_at(on(dt.date(2026, 11, 20)), 9))  # backdated
    for r in AlertRecipient.objects.filter(alert=alert).select_related(
        "school__organisation", "alert__campaign__region"
    ):
        if r.school.name in responses:
            username, text = responses[r.school.name]
            services.alert_respond(acting_user=users[username], recipient=r, response=text)
            when = _at(answered_on[r.school.name], 11)
            AlertRecipient.objects.filter(pk=r.pk).update(acknowledged_at=when, responded_at=when)
    rectify = next(p for p in campaign.phases.all() if p.name == "整改")
    circular = services.circular_issue(
        acting_user=users["xuequ"],
        campaign=campaign,
        number=f"蒲吕护校办〔{year}〕3号",
        title=f"关于{year}年“护校安园”专项行动整改阶段工作情况的通报",
        body=f"整改阶段（{_md(rectify.start)}至{_md(rectify.end)}），各成员单位按照工作方案要求，跟进核查学校自查情况，"
        f"下发整改通知书，推动隐患限期整改。截至{_md(rectify.end)}，辖区学校登记隐患大部分已整改销号，但仍有个别重大隐患"
        "未按期整改，交通秩序整治任务未按期完成。\n请相关单位对照问题清单，于验收阶段开始前完成整改，并将整改情况报领导小组办公室。",
        recipients=[orgs[n] for n, _duty, _m in DUTIES],
        issuer=orgs[OFFICE],
    )
    Circular.objects.filter(pk=circular.pk).update(issued_at=_at(on(dt.date(2026, 11, 26)), 10))  # backdated
    services.circular_mark_read(acting_user=users["minjing"], circular=circular)
    return campaign


def _entries(on: Callable[[dt.date], dt.date]) -> list:
    """school, who applies, application, day applied, then (the office's decision, note, day) or None"""
    return [
        (
            "蒲吕明德小学",
            "mingde",
            "摸排、整改阶段登记的隐患均已整改或正在按期整改，无重大隐患；食堂监控已修复销号，"
            f"教学楼配电箱隐患{on(dt.date(2026, 12, 3)).month}月上旬完成。",
            on(dt.date(2026, 11, 26)),
            (
                "pass",
                f"联合检查组{_md(on(dt.date(2026, 11, 28)))}现场核查：无未销号重大隐患，三防台账齐全，同意验收通过。"
                "配电箱隐患按期销号。",
                on(dt.date(2026, 11, 28)),
            ),
        ),
        (
            "蒲吕小橡树幼儿园",
            "yuanzhang",
            "已完成园内安全自查，门卫和监控运行正常，申请进入验收。",
            on(dt.date(2026, 11, 26)),
            (
                "return",
                "校门口硬质防冲撞设施尚未安装（整改期限已过），请整改到位后重新申请。",
                on(dt.date(2026, 11, 27)),
            ),
        ),
        (
            "蒲吕青松中学",
            "anquan",
            "宿舍区保安巡查制度已恢复，危化品储存柜双人双锁整改中，无重大隐患，申请进入验收。",
            on(dt.date(2026, 11, 28)),
            None,
        ),
    ]


def _load_entries(ctx, campaign: Campaign) -> bool:
    """The schools' way into the current campaign's 验收, through the services (so the gates are
    checked as they would be for a user). Skipped once any school has a record there."""
    acceptance = campaign.phases.filter(name="验收").first()
    if acceptance is None or PhaseEntry.objects.filter(phase=acceptance).exists():
        return False
    office = ctx.users["xuequ"]
    for school_name, username, application, applied_on, decision in _entries(ctx.day):
        school = ctx.schools[school_name]
        entry = services.entry_apply(
            acting_user=ctx.users[username],
            phase=acceptance,
            school=school,
            expected_version=0,
            application=application,
        )
        if decision is not None:
            action, note, decided_on = decision
            if action == "pass":
                entry = services.entry_pass(
                    acting_user=office,
                    phase=acceptance,
                    school=school,
                    expected_version=entry.version,
                    note=note,
                )
            else:
                entry = services.entry_return(
                    acting_user=office,
                    phase=acceptance,
                    school=school,
                    expected_version=entry.version,
                    reason=note,
                )
            PhaseEntry.objects.filter(pk=entry.pk).update(decided_at=_at(decided_on, 15))  # backdated
        PhaseEntry.objects.filter(pk=entry.pk).update(applied_at=_at(applied_on, 10))  # backdated
    return True


def load(ctx) -> dict[str, int]:
    """Create what is missing; return counts of what exists (for the load_demo summary)."""
    _load_2021(ctx)
    _load_entries(ctx, _load_current(ctx))
    return {
        "campaigns": Campaign.objects.count(),
        "campaign_tasks": Task.objects.count(),
        "campaign_meetings": Meeting.objects.count(),
        "risk_alerts": RiskAlert.objects.count(),
        "circulars": Circular.objects.count(),
        "phase_entries": PhaseEntry.objects.count(),
    }
