"""Reads of the incident pages: the register with its filters, the notices a user must sign, and
the timeline of one incident (who knew what when)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from huxiao.core.registry import Panel
from huxiao.incidents import access
from huxiao.incidents.choices import AlarmNature, Track
from huxiao.incidents.facts import provider as drill_facts
from huxiao.incidents.models import Alarm, Drill, Incident, IncidentPerson, Notice, ResponseEntry
from huxiao.incidents.querysets import IncidentPersonQuerySet
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.lib.masks import mask_id, mask_name
from huxiao.schools.models import School


def register(user, *, state: str = "", grade: str = "", kind: str = ""):
    """The incidents the user sees, newest first, with their unsigned-notice count."""
    rows = Incident.objects.visible_to(user).select_related("school")
    if state:
        rows = rows.filter(state=state)
    if grade:
        rows = rows.filter(grade=grade)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.annotate(unsigned=Count("notices", filter=Q(notices__acknowledged_at__isnull=True)))


def to_sign(user):
    """Notices sent to the user's units (those that sign: `incident.respond`) not yet signed for."""
    return (
        Notice.objects.visible_to(user)
        .unacknowledged()
        .filter(organisation_id__in=access.signing_units(user))
        .select_related("incident__school", "organisation")
    )


def detail(incident: Incident) -> Incident:
    """The incident with its notices and 三同步 lines loaded for the page."""
    return (
        Incident.objects.filter(pk=incident.pk)
        .select_related("school__region", "reporting_unit", "reported_by", "closed_by")
        .prefetch_related(
            Prefetch("notices", queryset=Notice.objects.select_related("organisation", "acknowledged_by")),
            Prefetch("entries", queryset=ResponseEntry.objects.select_related("organisation", "created_by")),
        )
        .get()
    )


def tracks(incident: Incident) -> list[tuple[str, list[ResponseEntry]]]:
    """The three 三同步 columns, each in time order."""
    return [(label, [e for e in incident.entries.all() if e.track == code]) for code, label in Track.choices]


def persons_masked(incident: Incident, user) -> list[dict]:
    """The people involved as the page shows them before 查看完整信息: masked name and number."""
    rows: IncidentPersonQuerySet = IncidentPerson.objects.visible_to(user).filter(incident=incident)
    return [
        {
            "pk": p.pk,
            "role": p.get_role_display(),
            "name": mask_name(p.plain("name")),
            "id_number": mask_id(p.plain("id_number")),
            "minor": p.minor,
            "is_student": p.is_student,
        }
        for p in rows
    ]


def timeline(incident: Incident) -> list[dict]:
    """Who knew what when: the occurrence, the first report, the report to the units above and
    each one's 签收 or escalation, the 三同步 lines and the closing — in time order."""

    def row(at, who: str, what: str, track: str = "") -> dict:
        return {"at": at, "when": cn_datetime(at), "who": who, "what": what, "track": track}

    notices = list(incident.notices.all())
    rows = [
        row(incident.occurred_at, incident.school.name, f"发生：{incident.title}"),
        row(incident.reported_at, incident.reporting_unit.name if incident.reporting_unit else "", "首报"),
    ]
    sent: dict = {}
    for notice in notices:
        sent.setdefault(notice.notified_at, []).append(notice.organisation.name)
    rows += [row(at, "、".join(names), "报告送达") for at, names in sent.items()]
    rows += [row(n.acknowledged_at, n.organisation.name, "签收") for n in notices if n.acknowledged_at]
    rows += [
        row(n.escalated_at, n.organisation.name, "超时未签收，已催报") for n in notices if n.escalated_at
    ]
    rows += [row(e.at, e.organisation.name, e.text, e.get_track_display()) for e in incident.entries.all()]
    if incident.closed_at:
        rows.append(row(incident.closed_at, "", "结案"))
    rows.sort(key=lambda r: r["at"])
    return rows


def source_url(hazard, rest: str) -> str | None:
    """A hazard raised from a closed incident's 整改措施 links back to the incident."""
    pk = rest.partition(":")[0]
    return f"/incidents/{int(pk)}/" if pk.isdigit() else None


# --- 通报 ----------------------------------------------------------------------------------------


def circular_context(incident: Incident) -> dict:
    """What the 通报 template is filled with: facts without a name, the 三同步 lines by track, the
    causes, the measures, the 责任倒查 when there is one."""
    tracks_: list[dict] = []
    for code, label in Track.choices:
        lines = [
            f"{cn_datetime(e.at)}，{e.organisation.name}{e.text.rstrip('。')}。"
            for e in incident.entries.all()
            if e.track == code
        ]
        if lines:
            tracks_.append({"no": "一二三"[len(tracks_)], "label": label, "text": "".join(lines)})
    casualties = "、".join(
        part
        for part in (
            f"{incident.injured}人受伤" if incident.injured else "",
            f"{incident.dead}人死亡" if incident.dead else "",
        )
        if part
    )
    unit = incident.circular_unit
    return {
        "issuer_name": unit.name if unit else "",
        "number": incident.circular_number,
        "issue_date": cn_date(timezone.localtime(incident.circular_at).date())
        if incident.circular_at
        else "",
        "addressees": "各学校、幼儿园，各有关单位",
        "school_name": incident.school.name,
        "incident_title": incident.title,
        "occurred": cn_datetime(incident.occurred_at),
        "place": incident.get_place_display(),
        "kind": incident.get_kind_display(),
        "grade": f"{incident.get_grade_display()}事件",
        "casualties": casualties or "无人员伤亡",
        "summary": incident.summary,
        "tracks": tracks_,
        "causes": incident.causes,
        "measures": [
            {"no": n, "text": text} for n, text in enumerate(incident.measures.splitlines(), start=1)
        ],
        "accountability": incident.accountability,
        "decision": incident.decision,
        "lessons": incident.lessons,
    }


def circular_sample() -> dict:
    """Every field the 通报 template may use, with plausible values (reports.kinds)."""
    return {
        "issuer_name": "蒲吕街道平安办",
        "number": "蒲吕平安通报〔2026〕第0001号",
        "issue_date": "2026年11月29日",
        "addressees": "各学校、幼儿园，各有关单位",
        "school_name": "蒲吕青松中学",
        "incident_title": "校门口外来人员持械伤害学生",
        "occurred": "2026年11月27日 16:40",
        "place": "校门口",
        "kind": "侵害师生人身安全案件",
        "grade": "较大事件",
        "casualties": "1人受伤",
        "summary": "放学时段，一名外来男子在校门口持木棍击打学生，致一名学生左臂受伤。",
        "tracks": [
            {"no": "一", "label": "联动处置", "text": "2026年11月27日 16:46，蒲吕派出所民警到场控制嫌疑人。"}
        ],
        "causes": "放学时段校门口保安力量不足。",
        "measures": [{"no": 1, "text": "放学时段增派保安员到校门口"}],
        "accountability": "学校门卫值守不到位。",
        "decision": "对学校分管安全副校长诫勉谈话。",
        "lessons": "高峰时段护学岗必须到位。",
    }


def drill_source_url(hazard, rest: str) -> str | None:
    """A hazard a drill found links back to the drill register."""
    pk = rest.partition(":")[0]
    return f"/incidents/drills/#drill-{int(pk)}" if pk.isdigit() else None


# --- 报警/警情 and 应急演练 -----------------------------------------------------------------------


def alarms(user, start: dt.date, end: dt.date):
    return (
        Alarm.objects.visible_to(user)
        .raised_between(start, end)
        .select_related("school", "recording_unit", "incident")
    )


def response_stats(rows) -> dict:
    """How fast the police arrived: count, average and slowest minutes over the alarms with an
    arrival time (tests excluded) — one definition for the register and the home card."""
    minutes = [a.response_minutes for a in rows if a.nature != AlarmNature.TEST and a.arrived_at]
    return {
        "count": len(minutes),
        "average": round(sum(minutes) / len(minutes), 1) if minutes else None,
        "slowest": max(minutes) if minutes else None,
    }


def drills(user, semester):
    return (
        Drill.objects.visible_to(user)
        .filter(held_on__range=(semester.start, semester.end))
        .select_related("school")
        .prefetch_related("photos")
    )


def drill_gaps(user, on: dt.date) -> dict[str, list]:
    """The schools in the user's scope without a 疏散 drill this semester, as the 三防 engine sees
    them (`facts.provider`): `none` — the drill register holds none this semester (the rule fails
    on the register's 0); `unrecorded` — no drill recorded ever, so the engine still reads the
    profile's typed number (自报)."""
    schools = list(School.objects.visible_to(user).active().order_by("name"))
    counts = drill_facts(schools, on)
    return {
        "none": [s for s in schools if s.pk in counts and counts[s.pk]["register_drills"] < 1],
        "unrecorded": [s for s in schools if s.pk not in counts],
    }


def home_cards(user) -> list[Panel]:
    """The incidents a user's units must sign for (warn); for everyone who sees incidents, this
    month's 一键报警 and the police's average arrival."""
    if not access.sees_incidents(user):
        return []
    cards = []
    unsigned = to_sign(user).count()
    if unsigned:
        cards.append(
            Panel(
                "待签收案事件",
                f"{unsigned}起较大及以上案事件待本单位签收",
                "/incidents/",
                True,
                str(unsigned),
            )
        )
    today = timezone.localdate()
    stats = response_stats(alarms(user, today.replace(day=1), today))
    if stats["count"]:
        cards.append(
            Panel(
                "本月报警出警",
                f"{stats['count']}次报警，民警平均{stats['average']}分钟到场",
                "/incidents/alarms/",
                value=f"{stats['average']}分",
            )
        )
    return cards
