"""Demo incidents (all persons fictional), loaded after the schools and accounts exist. Idempotent:
nothing is added when the register already holds an incident.

The story, as the demo accounts meet it on the story day:
- two days before, at 16:40, an outsider injured a 蒲吕青松中学 pupil at the gate with a stick
  (较大). The school's safety lead (anquan) reported it at 16:52; the 派出所 (minjing), the 学区
  (xuequ) and the 街道 (jiedao) signed within half an hour; the 区委政法委 (quzhengfa) and the 教委
  did not, so the report was escalated at 17:23 — quzhengfa finds it under 待本单位签收. The three
  tracks hold the police's 联动处置, the 街道's 应急指挥 and the 学区's 舆论引导; the police
  registered the injured pupil and the suspect (encrypted). It is still open: closing it with its
  cause analysis is the next step (minjing or xuequ).
- three weeks before, a 校园欺凌 at 蒲吕明德小学 (一般) was reported by its safety lead (mingde) and
  closed ten days later by the police with its cause analysis; its one 整改措施 is a hazard.
- 报警与出警: 青松's 一键报警 at the gate (real, police in 6 minutes, linked to the incident),
  明德's pupil pressing the button by mistake (误报, 9 minutes), 向阳幼儿园's monthly test.
- 应急演练: 青松 held a 消防 drill in October (its problem — a dark emergency light — is a hazard),
  明德 an evacuation drill in September; the other schools have recorded none, so the drill page
  lists them (the 三防 engine keeps their typed numbers until they record one).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huxiao.incidents import services
from huxiao.incidents.choices import (
    AlarmNature,
    AlarmSource,
    DrillKind,
    Grade,
    Kind,
    PersonRole,
    Place,
    Track,
)
from huxiao.incidents.models import Alarm, Drill, Incident, IncidentPerson, Notice, ResponseEntry

STORY = dt.date(2026, 11, 29)  # demo.loader.STORY_DAY; dates below are story days


def _at(ctx, story_date: dt.date, hh: int, mm: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(ctx.day(story_date), dt.time(hh, mm)))


def load(ctx) -> dict[str, int]:
    if not Incident.objects.exists():
        gate = _gate_assault(ctx, ctx.users, ctx.schools["蒲吕青松中学"])
        _bullying(ctx, ctx.users, ctx.schools["蒲吕明德小学"])
        _alarms(ctx, gate)
        _drills(ctx)
    return {
        "incidents": Incident.objects.count(),
        "incident_notices": Notice.objects.count(),
        "alarms": Alarm.objects.count(),
        "drills": Drill.objects.count(),
    }


def _alarms(ctx, gate: Incident) -> None:
    users, schools = ctx.users, ctx.schools
    day = STORY - dt.timedelta(days=2)
    for user, school, raised, minutes, source, nature, handling in (
        (
            "minjing",
            "蒲吕青松中学",
            _at(ctx, day, 16, 41),
            6,
            AlarmSource.ONE_KEY,
            AlarmNature.REAL,
            "控制持械人员，伤者送医",
        ),
        (
            "mingde",
            "蒲吕明德小学",
            _at(ctx, STORY - dt.timedelta(days=8), 10, 15),
            9,
            AlarmSource.ONE_KEY,
            AlarmNature.FALSE,
            "学生课间误触报警按钮",
        ),
        (
            "minjing",
            "蒲吕向阳幼儿园",
            _at(ctx, STORY - dt.timedelta(days=15), 9, 0),
            12,
            AlarmSource.ONE_KEY,
            AlarmNature.TEST,
            "月度联网测试，报警正常",
        ),
    ):
        alarm = services.alarm_record(
            acting_user=users[user],
            school=schools[school],
            raised_at=raised,
            source=source,
            nature=nature,
            arrived_at=raised + dt.timedelta(minutes=minutes),
            handling=handling,
        )
        if nature == AlarmNature.REAL:
            Alarm.objects.filter(pk=alarm.pk).update(incident=gate)


def _drills(ctx) -> None:
    users, schools = ctx.users, ctx.schools
    for user, school, kind, held, people, minutes, summary, problems in (
        (
            "anquan",
            "蒲吕青松中学",
            DrillKind.FIRE,
            dt.date(2026, 10, 20),
            1380,
            6,
            "全校师生消防疏散，6分钟全部到达操场。",
            "东侧楼梯应急照明灯不亮",
        ),
        (
            "mingde",
            "蒲吕明德小学",
            DrillKind.EVACUATION,
            dt.date(2026, 9, 18),
            960,
            4,
            "开学紧急疏散演练。",
            "",
        ),
    ):
        services.drill_record(
            acting_user=users[user],
            school=schools[school],
            kind=kind,
            held_on=ctx.day(held),
            participants=people,
            minutes=minutes,
            summary=summary,
            problems=problems,
            photos=[ctx.photo("after", len(summary))],
        )


def _gate_assault(ctx, users, school) -> Incident:
    day = STORY - dt.timedelta(days=2)
    occurred, reported = _at(ctx, day, 16, 40), _at(ctx, day, 16, 52)
    incident = services.incident_report(
        acting_user=users["anquan"],
        school=school,
        occurred_at=occurred,
        place=Place.GATE,
        kind=Kind.ASSAULT,
        grade=Grade.LARGER,
        title="校门口外来人员持械伤害学生",
        summary=(
            "放学时段，一名外来男子在校门口与接送家长发生口角后持木棍击打学生，致一名初二学生左臂受伤。"
            "值班保安员当场用钢叉制止，学校按一键报警，民警6分钟到场将其控制，伤者送医无大碍。"
        ),
        injured=1,
    )
    Incident.objects.filter(pk=incident.pk).update(reported_at=reported)
    Notice.objects.filter(incident=incident).update(notified_at=reported)
    for username, minute in (("minjing", 58), ("xuequ", 65), ("jiedao", 80)):
        services.incident_acknowledge(acting_user=users[username], incident=incident)
        Notice.objects.filter(incident=incident, acknowledged_by=users[username]).update(
            acknowledged_at=_at(ctx, day, 16, 0) + dt.timedelta(minutes=minute)
        )
    services.escalate_unacknowledged(reported + dt.timedelta(minutes=31))
    lines = (
        (
            "minjing",
            Track.LINKAGE,
            (16, 46),
            "民警到场控制嫌疑人，调取校门口监控，伤者由120送铜梁区人民医院。",
        ),
        (
            "jiedao",
            Track.COMMAND,
            (17, 30),
            "街道启动涉校突发事件应急预案，政法书记任现场指挥长，部署校门口加强巡逻。",
        ),
        ("xuequ", Track.OPINION, (18, 30), "学区指导学校向家长发布情况说明，如实通报经过和处置，回应关切。"),
        ("minjing", Track.LINKAGE, (21, 10), "嫌疑人因故意伤害被依法行政拘留，派出所对其家属开展矛盾调处。"),
    )
    for username, track, (hh, mm), text in lines:
        services.response_log(
            acting_user=users[username], incident=incident, track=track, at=_at(ctx, day, hh, mm), text=text
        )
    ResponseEntry.objects.filter(incident=incident).update(created_at=_at(ctx, day, 21, 30))
    for role, name, note, minor in (
        (PersonRole.VICTIM, "陈小宇", "初二学生，左臂软组织挫伤，已送医", True),
        (PersonRole.SUSPECT, "刘某军", "本地无业人员，因接送纠纷迁怒学生", False),
    ):
        services.person_add(
            acting_user=users["minjing"],
            incident=incident,
            role=role,
            name=name,
            note=note,
            minor=minor,
            is_student=minor,
        )
    IncidentPerson.objects.filter(incident=incident).update(created_at=_at(ctx, day, 19, 0))
    return incident


def _bullying(ctx, users, school) -> Incident:
    day = STORY - dt.timedelta(days=21)
    incident = services.incident_report(
        acting_user=users["mingde"],
        school=school,
        occurred_at=_at(ctx, day, 12, 20),
        place=Place.CAMPUS,
        kind=Kind.BULLYING,
        grade=Grade.GENERAL,
        title="午休时段高年级学生欺凌低年级学生",
        summary="午休时两名五年级学生在厕所内推搡、勒索一名三年级学生零花钱，值周教师发现后制止并告知家长。",
    )
    Incident.objects.filter(pk=incident.pk).update(reported_at=_at(ctx, day, 14, 5))
    incident.refresh_from_db()
    services.incident_close(
        acting_user=users["minjing"],
        incident=incident,
        expected_version=incident.version,
        causes="午休时段厕所等场所无教师巡查，学校反欺凌教育未覆盖高年级。",
        measures="午休时段厕所、楼道等重点部位落实教师巡查",
        lessons="欺凌多发生在监管空档，巡查要覆盖时段和部位。",
    )
    Incident.objects.filter(pk=incident.pk).update(closed_at=_at(ctx, day + dt.timedelta(days=10), 10, 0))
    return incident
