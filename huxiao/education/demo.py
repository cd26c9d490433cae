"""Demo 安全教育 and 法治辅导员 records, loaded after the schools and accounts exist. Idempotent:
nothing is added when an appointment already exists. Occasions fall on their own days (the last
one on or before the story day), visits inside the story day's semester.

The story, as the demo accounts meet it:
- the 派出所 (its leader suozhang) appointed its 社区民警 minjing 法治辅导员 of every 蒲吕 school
  but 石龙村小学, from the start of last school year, for three years; the 聘书 downloads from
  the 法治辅导员 page;
- minjing visited each of them this semester except 明德小学 (last visit: the spring semester):
  so 明德小学 (本学期未进校) and 石龙村小学 (未配备) are listed for minjing and for xuequ;
- 青松中学 (anquan) held its 119消防宣传日 activity with two photos; on the last 国家宪法日 minjing
  gave a lecture there as its 法治辅导员 (recorded by him, so it is also his visit);
- 明德小学 held the 全国中小学生安全教育日, 石龙村小学 a 防溺水 lesson before the summer;
- on the story day 12·2 and 12·4 are within a week: every school's safety lead and principal
  finds the reminder in the inbox (anquan included: its 宪法日 lecture was last year's).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huxiao.core.semesters import current_or_last
from huxiao.education import occasions, services
from huxiao.education.choices import Audience, Occasion, Topic
from huxiao.education.models import CounsellorAppointment, CounsellorVisit, EducationActivity

WITHOUT_COUNSELLOR = "蒲吕石龙村小学"
NOT_VISITED = "蒲吕明德小学"
VISITS = [
    "开展预防校园欺凌法治讲座，讲解《未成年人保护法》相关规定。",
    "检查校门口护学岗、一键报警装置，指导保安员使用钢叉、防暴盾牌。",
    "与学校安全负责人座谈，排查涉校矛盾纠纷和周边安全隐患。",
    "为高年级学生开展防诈骗、防不法侵害专题教育。",
]


def _weekday(day: dt.date, low: dt.date) -> dt.date:
    """`day`, or the Friday before it when it is a weekend (not before `low`)."""
    back = day - dt.timedelta(days=max(0, day.weekday() - 4))
    return back if back >= low else day


def _last(occasion: str, day: dt.date) -> dt.date:
    found = occasions.last_on_or_before(occasion, day)
    assert found is not None, occasion
    return found


def load(ctx) -> dict[str, int]:
    if not CounsellorAppointment.objects.exists():
        appointments = _appoint(ctx)
        _visits(ctx, appointments)
        _activities(ctx, appointments)
        services.remind_occasions(ctx.story_day)
    return {
        "education_activities": EducationActivity.objects.count(),
        "counsellor_appointments": CounsellorAppointment.objects.count(),
        "counsellor_visits": CounsellorVisit.objects.count(),
    }


def _appoint(ctx) -> dict[str, CounsellorAppointment]:
    story = ctx.story_day
    start = _last(Occasion.SCHOOL_START, story - dt.timedelta(days=365))
    ends = start.replace(year=start.year + 3) - dt.timedelta(days=1)
    pulv = sorted(name for name in ctx.schools if name.startswith("蒲吕") and name != WITHOUT_COUNSELLOR)
    out = {}
    for n, name in enumerate(pulv, start=1):
        appointment = services.counsellor_appoint(
            acting_user=ctx.users["suozhang"],
            school=ctx.schools[name],
            officer=ctx.users["minjing"],
            starts_on=start,
            ends_on=ends,
            letter_number=f"蒲吕派出所聘〔{start.year}〕{n}号",
        )
        out[name] = appointment
    appointed = timezone.make_aware(dt.datetime.combine(start, dt.time(9, 0)))
    CounsellorAppointment.objects.filter(pk__in=[a.pk for a in out.values()]).update(appointed_at=appointed)
    return out


def _visits(ctx, appointments: dict[str, CounsellorAppointment]) -> None:
    story = ctx.story_day
    term = current_or_last(story)
    last = min(term.end, story)
    span = max((last - term.start).days, 0)
    visited = [name for name in appointments if name != NOT_VISITED]
    for n, name in enumerate(visited):
        day = _weekday(term.start + dt.timedelta(days=span * (n + 1) // (len(visited) + 1)), term.start)
        services.visit_record(
            acting_user=ctx.users["minjing"],
            appointment=appointments[name],
            visited_on=min(day, last),
            content=VISITS[n % len(VISITS)],
            head_count=0 if n % len(VISITS) in (1, 2) else ctx.schools[name].students,
        )
    earlier = _weekday(term.start - dt.timedelta(days=70), appointments[NOT_VISITED].starts_on)
    services.visit_record(
        acting_user=ctx.users["minjing"],
        appointment=appointments[NOT_VISITED],
        visited_on=earlier,
        content=VISITS[0],
        head_count=ctx.schools[NOT_VISITED].students,
    )


def _activities(ctx, appointments: dict[str, CounsellorAppointment]) -> None:
    story, users, schools = ctx.story_day, ctx.users, ctx.schools
    qingsong, mingde, shilong = schools["蒲吕青松中学"], schools["蒲吕明德小学"], schools["蒲吕石龙村小学"]
    fire_day = _last(Occasion.FIRE_DAY, story)
    services.activity_record(
        acting_user=users["anquan"],
        school=qingsong,
        held_on=fire_day,
        occasion=Occasion.FIRE_DAY,
        title="消防疏散演练与灭火器使用讲座",
        topics=[Topic.FIRE, Topic.ELECTRICITY],
        audiences=[Audience.STUDENTS, Audience.TEACHERS],
        grades="全校",
        head_count=1460,
        speaker="铜梁区消防救援支队 宣传员李峰",
        photos=[ctx.photo("after", qingsong.pk), ctx.photo("after", qingsong.pk + 7)],
    )
    services.activity_record(
        acting_user=users["minjing"],
        school=qingsong,
        held_on=_last(Occasion.CONSTITUTION_DAY, story),
        occasion=Occasion.CONSTITUTION_DAY,
        title="宪法晨读与“学宪法 讲宪法”法治讲座",
        topics=[Topic.INFRINGEMENT, Topic.BULLYING],
        audiences=[Audience.STUDENTS],
        grades="初一至初三",
        head_count=1380,
        speaker="蒲吕派出所 赵警官（法治辅导员）",
        counsellor=appointments["蒲吕青松中学"],
    )
    services.activity_record(
        acting_user=users["mingde"],
        school=mingde,
        held_on=_last(Occasion.SAFETY_DAY, story),
        occasion=Occasion.SAFETY_DAY,
        title="“知危险 会避险”安全教育主题班会",
        topics=[Topic.TRAFFIC, Topic.DROWNING],
        audiences=[Audience.STUDENTS, Audience.PARENTS],
        grades="一至六年级",
        head_count=960,
        speaker="各班班主任",
    )
    june = dt.date(story.year if story >= dt.date(story.year, 6, 20) else story.year - 1, 6, 20)
    services.activity_record(
        acting_user=users["shilong"],
        school=shilong,
        held_on=_weekday(june, june - dt.timedelta(days=3)),
        occasion=Occasion.DROWNING,
        title="暑假防溺水“六不”安全教育",
        topics=[Topic.DROWNING],
        audiences=[Audience.STUDENTS, Audience.PARENTS],
        grades="全校",
        head_count=140,
        speaker="张德明（校长）",
    )
