"""Demo hazards: one in every state across the demo schools, some overdue and escalated, so
every hazard screen shows something real.

Each hazard runs through the real services (report, notice, sign, submit, return, accept …).
Afterwards the demo *backdates* what a service stamps with today's date (found date,
deadline, event times, notice dates) so that a month of work has happened and the overdue
ladder has something to climb; then it runs the real escalation. Keyed by `source_ref`
(`demo:<key>`), so loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from huxiao.accounts.models import User
from huxiao.core.calendar import add_working_days, working_days_between
from huxiao.hazards import services
from huxiao.hazards.models import Hazard, HazardEvent, RectificationNotice
from huxiao.hazards.policy import default_deadline
from huxiao.schools.models import School


def photo(kind: str, seed: int) -> SimpleUploadedFile:
    """A small synthetic photo: a 'before' scene is reddish with clutter, an 'after' one is tidy green."""
    colour = (176, 64, 52) if kind == "before" else (58, 140, 82)
    img = Image.new("RGB", (640, 480), (225, 225, 220))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 300, 640, 480), fill=(150, 150, 150))
    for i in range(4 if kind == "before" else 1):
        x = 60 + ((seed * 37 + i * 140) % 480)
        draw.rectangle((x, 200 - i * 15, x + 90, 320), fill=colour, outline=(40, 40, 40), width=3)
    draw.line((0, 300, 640, 300), fill=(90, 90, 90), width=4)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=82)
    return SimpleUploadedFile(f"{kind}-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


# key, school, title, category, severity, location, source, reporter, days ago found, script
SPECS = [
    (
        "guards",
        "蒲吕青松中学",
        "夜间宿舍区保安员脱岗、巡查记录缺失",
        "personnel",
        "larger",
        "宿舍区、门卫室",
        "verify",
        "minjing",
        40,
        "notice,sign,overdue:12",
    ),
    (
        "dorm-fire",
        "蒲吕青松中学",
        "宿舍楼消防通道堆放杂物",
        "fire",
        "general",
        "3号宿舍楼一层",
        "self",
        "anquan",
        2,
        "",
    ),
    (
        "wall",
        "蒲吕石龙村小学",
        "围墙高度不足且无防攀爬设施",
        "physical",
        "major",
        "学校东侧围墙",
        "spot",
        "pinganban",
        20,
        "confirm,start,plan,temp",
    ),
    (
        "alarm",
        "蒲吕石龙村小学",
        "一键报警装置未与公安机关联网",
        "technical",
        "larger",
        "门卫室",
        "verify",
        "minjing",
        18,
        "notice,sign,submit",
    ),
    (
        "anti-ram",
        "蒲吕小橡树幼儿园",
        "校门口未设置硬质防冲撞设施",
        "physical",
        "larger",
        "幼儿园大门",
        "verify",
        "minjing",
        30,
        "notice,sign,overdue:6",
    ),
    (
        "canteen-cctv",
        "蒲吕明德小学",
        "食堂操作间视频监控损坏",
        "food",
        "general",
        "食堂操作间",
        "self",
        "xuequ",
        25,
        "confirm,start,submit,accept",
    ),
    (
        "visitor",
        "蒲吕新华小学",
        "来访人员登记未核验身份证件",
        "procedure",
        "general",
        "门卫室",
        "verify",
        "minjing",
        9,
        "fix",
    ),
    (
        "gate-alarm",
        "蒲吕阳光幼儿园",
        "电动伸缩门报警失灵",
        "technical",
        "general",
        "幼儿园大门",
        "public",
        "pinganban",
        6,
        "dismiss",
    ),
    (
        "lab",
        "蒲吕青松中学",
        "实验室危化品储存柜未双人双锁",
        "hazmat",
        "larger",
        "化学实验室",
        "spot",
        "xuequ",
        15,
        "confirm,start,submit,return,due_soon",
    ),
    (
        "wiring",
        "蒲吕明德小学",
        "教学楼配电箱未上锁、线路裸露",
        "utilities",
        "general",
        "教学楼一楼",
        "joint",
        "pinganban",
        14,
        "confirm,start,overdue:2",
    ),
    (
        "parking",
        "蒲吕向阳幼儿园",
        "校门口接送区车辆乱停乱放",
        "traffic",
        "general",
        "幼儿园门前道路",
        "verify",
        "minjing",
        4,
        "confirm,due_soon",
    ),
    (
        "binhe-drain",
        "巴川滨河小学",
        "操场排水沟盖板破损",
        "building",
        "general",
        "操场东侧",
        "self",
        "bachuan",
        5,
        "confirm",
    ),
]


# The demo account that acts for each school (safety lead); schools without one only get
# hazards whose script needs no school-side step.
SCHOOL_ACCOUNTS = {
    "蒲吕青松中学": "anquan",
    "蒲吕小橡树幼儿园": "yuanzhang",
    "蒲吕石龙村小学": "shilong",
    "蒲吕明德小学": "mingde",
}


def _backdate(hazard: Hazard, found_on: dt.date, deadline: dt.date | None) -> None:
    """Spread the hazard's events from `found_on` 09:00 one day apart (never past now)."""
    now = timezone.now()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(found_on, dt.time(9, 0), tz)
    for i, event in enumerate(hazard.events.order_by("pk")):
        at = min(start + dt.timedelta(days=i, minutes=17 * i), now - dt.timedelta(minutes=5 * (20 - i)))
        HazardEvent.objects.filter(pk=event.pk).update(at=at)
    if deadline is None and not hazard.notices.exists():
        deadline = default_deadline(hazard.school, hazard.severity, found_on)
    Hazard.objects.filter(pk=hazard.pk).update(found_on=found_on, deadline=deadline or hazard.deadline)
    RectificationNotice.objects.filter(hazards=hazard).update(deadline=deadline or hazard.deadline)


def _run(spec, users: dict[str, User], today: dt.date) -> None:
    key, school_name, title, category, severity, location, source, reporter, days_ago, script = spec
    school = School.objects.get(name=school_name)
    steps = [s for s in script.split(",") if s]
    found_on = today - dt.timedelta(days=days_ago)
    police, xuequ = users["minjing"], users["xuequ"]
    school_side = users.get(SCHOOL_ACCOUNTS.get(school_name, ""))
    reporter_user = users[reporter]
    hazard = services.hazard_report(
        acting_user=reporter_user,
        school=school,
        title=title,
        category=category,
        severity=severity,
        location=location,
        source=source,
        source_ref=f"demo:{key}",
        found_on=today,
        description=f"{location}{title}，存在安全隐患，需限期整改。",
        photos=[photo("before", len(key))],
        measures="按照整改通知书要求落实整改，整改完成后上传整改后照片申请验收。",
    )

    def act(action, user, **kw):
        nonlocal hazard
        hazard = services.hazard_transition(
            acting_user=user, hazard=hazard, action=action, expected_version=hazard.version, **kw
        )

    # Schools without a demo account of their own are acted for by their 学区 coordinator
    # where the role allows (the 学区 cannot rectify on a school's behalf: a school-side user
    # is used only for schools that have one).
    rectifier = school_side
    deadline = None
    for step in steps:
        if step == "confirm":
            act("confirm", xuequ if reporter != "bachuan" else users["bachuan"])
        elif step == "notice":
            issuer = school.police_station
            assert issuer is not None, "demo notices come from the school's 派出所"
            services.notice_issue(
                acting_user=police,
                issuer=issuer,
                school=school,
                hazards=[hazard],
                deadline=add_working_days(today, 10),
                requirements="请按期整改并书面报告整改情况。",
            )
            hazard.refresh_from_db()
        elif step == "sign" and rectifier:
            services.notice_sign(acting_user=rectifier, notice=hazard.notices.get())
            hazard.refresh_from_db()
        elif step == "start" and rectifier:
            act("start", rectifier)
        elif step == "plan":
            services.plan_record(
                acting_user=xuequ,
                hazard=hazard,
                summary="学区牵头，申请专项资金加高围墙至2.2米并加装防攀爬刺网。",
                tasks=[
                    ("完成围墙加高工程设计与预算", "学区管理中心", add_working_days(today, 5)),
                    ("申请并落实专项维修资金", "学区管理中心", add_working_days(today, 10)),
                    ("施工加高围墙、加装防攀爬设施", "石龙村小学", add_working_days(today, 25)),
                ],
            )
            hazard.refresh_from_db()
        elif step == "temp":
            services.hazard_record_temp_measures(
                acting_user=xuequ,
                hazard=hazard,
                text="东侧围墙增设临时隔离栏，安排保安每2小时巡查一次，夜间加强巡逻。",
            )
            hazard.refresh_from_db()
        elif step == "submit" and rectifier:
            act("submit", rectifier, note="已完成整改，上传整改后照片。", photos=[photo("after", len(key))])
        elif step == "return":
            act(
                "return",
                xuequ if school.school_district else police,
                reason="整改后照片未显示双锁，请补充完善后重新提交。",
            )
        elif step == "accept":
            act("accept", police, note="现场复核，整改到位，同意销号。")
        elif step == "fix":
            act(
                "fix_on_spot",
                police,
                note="现场督促门卫落实身份核验，当场整改。",
                photos=[photo("after", len(key))],
            )
        elif step == "dismiss":
            act("dismiss", xuequ, reason="经现场核查为设备误报，报警功能正常，不予立案。")
        elif step.startswith("overdue:"):
            deadline = today - dt.timedelta(days=1)
            while True:  # `n` working days before today
                if working_days_between(deadline, today) >= int(step.split(":")[1]):
                    break
                deadline -= dt.timedelta(days=1)
        elif step == "due_soon":
            deadline = add_working_days(today, 2)
    _backdate(hazard, found_on, deadline)


def load_demo_hazards(users: dict[str, User]) -> int:
    """Create the demo hazards that do not exist yet. The loader runs the real escalation once
    every app's demo has added its hazards (`escalate_overdue`), so a second load escalates nothing."""
    today = timezone.localdate()
    created = 0
    for spec in SPECS:
        if Hazard.objects.filter(source_ref=f"demo:{spec[0]}").exists():
            continue
        _run(spec, users, today)
        created += 1
    return created
