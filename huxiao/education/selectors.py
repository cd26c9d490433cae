"""Reads of the education pages: the activities with their filters, the schools a user records
for, the 法治辅导员 table with the schools that need attention (no counsellor, or no visit this
semester), the home page cards, and what the 聘书 is filled with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.models import Membership, User
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.accounts.selectors import members
from huxiao.core.choices import SCHOOL_KINDS
from huxiao.core.models import Organisation
from huxiao.core.registry import Panel
from huxiao.core.semesters import Semester, current_or_last
from huxiao.education import access, occasions
from huxiao.education.choices import Occasion
from huxiao.education.models import CounsellorAppointment, CounsellorVisit, EducationActivity
from huxiao.education.querysets import STATION_KINDS, current_q
from huxiao.lib.dates import cn_date
from huxiao.schools.models import School
from huxiao.schools.scope import school_scope_q

DUTIES = [  # seed §四（六）: 进校有针对性开展法治宣传教育、安全防范指导等工作 — one line each on the 聘书
    "每学期进校开展法治宣传教育不少于一次；",
    "指导学校落实人防、物防、技防措施；",
    "协助预防处置校园欺凌，化解涉校矛盾纠纷；",
    "指导学校开展应急疏散和反恐防暴演练。",
]


# --- Activities ----------------------------------------------------------------------------------


def activities(user, *, school=None, occasion: str = "", topic: str = "", year: int | None = None):
    """The activities the user sees, newest first, with their photo count."""
    rows = EducationActivity.objects.visible_to(user).select_related("school", "counsellor__officer")
    if school is not None:
        rows = rows.filter(school=school)
    if occasion:
        rows = rows.filter(occasion=occasion)
    if topic:
        rows = rows.filter(topics__icontains=f'"{topic}"')  # a JSON list of codes: both databases
    if year:
        rows = rows.filter(held_on__year=year)
    return rows.annotate(photo_count=Count("photos"))


def recording_schools(user, day: dt.date) -> QuerySet[School]:
    """The schools the user records activities for: his own school (`education.record` in its
    own unit), and those he is the 法治辅导员 of on `day` (for his 派出所)."""
    stations = scope_of(user).org_ids(Cap.EDUCATION_RECORD, kinds=STATION_KINDS)
    counselled = CounsellorAppointment.objects.current(day).filter(officer=user, station_id__in=stations)
    return (
        School.objects.filter(
            school_scope_q(user, Cap.EDUCATION_RECORD, kinds=SCHOOL_KINDS)
            | Q(pk__in=counselled.values("school_id"))
        )
        .active()
        .order_by("name")
    )


def counsellor_choices(schools: QuerySet[School], day: dt.date) -> QuerySet[CounsellorAppointment]:
    """The appointments an activity at one of `schools` may name: in their term within the year."""
    return (
        CounsellorAppointment.objects.filter(school__in=schools, ends_on__gte=day - dt.timedelta(days=366))
        .select_related("school", "officer")
        .order_by("school__name", "-starts_on")
    )


# --- 法治辅导员 -----------------------------------------------------------------------------------


@dataclass
class CounsellorRow:
    school: School
    current: list[CounsellorAppointment] = field(default_factory=list)
    last_visit: dt.date | None = None
    missing: bool = False  # no 法治辅导员 in his term today
    unvisited: bool = False  # a 法治辅导员, but no visit this semester

    @property
    def attention(self) -> bool:
        return self.missing or self.unvisited


def semester(today: dt.date) -> Semester:
    """The semester the visits are counted in: the current one, or the last one in a vacation."""
    return current_or_last(today)


def counsellor_rows(user, today: dt.date) -> list[CounsellorRow]:
    """Each school the user sees with its current 法治辅导员 and its last visit (two queries)."""
    term = semester(today)
    schools = (
        School.objects.visible_to(user)
        .active()
        .annotate(
            last_visit=Max(
                "counsellor_appointments__visits__visited_on",
                filter=Q(counsellor_appointments__visits__visited_on__lte=today),
            )
        )
        .prefetch_related(
            Prefetch(
                "counsellor_appointments",
                queryset=CounsellorAppointment.objects.current(today).select_related("officer"),
                to_attr="current",
            )
        )
        .order_by("name")
    )
    return [
        CounsellorRow(
            school=s,
            current=s.current,
            last_visit=s.last_visit,
            missing=not s.current,
            unvisited=bool(s.current) and (s.last_visit is None or s.last_visit < term.start),
        )
        for s in schools
    ]


def appointments(user):
    """Every appointment the user sees, the newest term first, with its visit count."""
    return (
        CounsellorAppointment.objects.visible_to(user)
        .select_related("school", "station", "officer")
        .annotate(visit_count=Count("visits"))
    )


def my_appointments(user, today: dt.date) -> list[CounsellorAppointment]:
    """The user's own current appointments (he records his visits from them)."""
    return [
        a
        for a in CounsellorAppointment.objects.current(today).filter(officer=user).select_related("school")
        if access.is_officer(user, a)
    ]


def officers(user) -> QuerySet[User]:
    """Who the user's 派出所 may appoint: their members holding `education.record` (民警)."""
    stations = scope_of(user).org_ids(Cap.COUNSELLOR_APPOINT, kinds=STATION_KINDS)
    return User.objects.filter(pk__in=[u.pk for u in members(stations, Cap.EDUCATION_RECORD)]).order_by(
        "username"
    )


def appointable_schools(user) -> QuerySet[School]:
    return (
        School.objects.filter(school_scope_q(user, Cap.COUNSELLOR_APPOINT, kinds=STATION_KINDS))
        .active()
        .order_by("name")
    )


def suggested_letter_number(user, today: dt.date) -> str:
    """The next free 聘书 number of the user's 派出所 this year, e.g. 蒲吕派出所聘〔2026〕3号."""
    stations = scope_of(user).org_ids(Cap.COUNSELLOR_APPOINT, kinds=STATION_KINDS)
    station = Organisation.objects.filter(pk__in=stations[:1]).first()
    if station is None:
        return ""
    taken = set(CounsellorAppointment.objects.filter(station=station).values_list("letter_number", flat=True))
    n = 1 + sum(1 for number in taken if f"〔{today.year}〕" in number)
    while f"{station.name}聘〔{today.year}〕{n}号" in taken:
        n += 1
    return f"{station.name}聘〔{today.year}〕{n}号"


# --- Home page -----------------------------------------------------------------------------------


def home_panels(user) -> list[Panel]:
    """The 派出所 and the 学区: how many of their schools lack a 法治辅导员 or a visit this
    semester. A school: the next dated occasion and whether it has an activity for it yet."""
    today = timezone.localdate()
    if access.watches_counsellors(user):
        term = semester(today)
        counts = (
            School.objects.visible_to(user)
            .active()
            .annotate(
                appointed=Exists(
                    CounsellorAppointment.objects.filter(current_q(today), school=OuterRef("pk"))
                ),
                visited=Exists(
                    CounsellorVisit.objects.filter(
                        appointment__school=OuterRef("pk"), visited_on__gte=term.start, visited_on__lte=today
                    )
                ),
            )
            .aggregate(
                missing=Count("pk", filter=Q(appointed=False)),
                unvisited=Count("pk", filter=Q(appointed=True, visited=False)),
            )
        )
        total = counts["missing"] + counts["unvisited"]
        return [
            Panel(
                "法治辅导员",
                f"未配备{counts['missing']}所，本学期未进校{counts['unvisited']}所",
                url=reverse("education:counsellor-list"),
                warn=bool(total),
                value=str(total),
            )
        ]
    if access.records_as_school(user):
        coming = occasions.next_on_or_after(today)
        if coming is None:
            return []
        occasion, day = coming
        done = (
            EducationActivity.objects.visible_to(user, Cap.EDUCATION_RECORD)
            .filter(occasion=occasion, held_on__year=day.year)
            .exists()
        )
        days = (day - today).days
        return [
            Panel(
                "安全教育",
                f"{Occasion(occasion).label}（{day.month}月{day.day}日）"
                + ("：已记录活动" if done else "：尚未记录活动"),
                url=reverse("education:activity-list"),
                warn=not done and days <= 7,
                value="今天" if days == 0 else f"{days}天",
            )
        ]
    return []


# --- 聘书 ----------------------------------------------------------------------------------------


def letter_context(appointment: CounsellorAppointment) -> dict:
    """What the 聘书 template is filled with."""
    officer = appointment.officer
    title = (
        Membership.objects.filter(user=officer, organisation_id=appointment.station_id, is_active=True)
        .exclude(title="")
        .values_list("title", flat=True)
        .first()
    )
    return {
        "issuer_name": appointment.station.name,
        "number": appointment.letter_number,
        "issue_date": cn_date(timezone.localtime(appointment.appointed_at).date()),
        "officer_name": officer.get_full_name() or officer.username,
        "officer_title": title or "民警",
        "school_name": appointment.school.name,
        "starts_on": cn_date(appointment.starts_on),
        "ends_on": cn_date(appointment.ends_on),
        "duties": [{"no": n, "text": text} for n, text in enumerate(DUTIES, start=1)],
    }


def letter_sample() -> dict:
    """Every field the 聘书 template may use, with plausible values (reports.kinds)."""
    return {
        "issuer_name": "蒲吕派出所",
        "number": "蒲吕派出所聘〔2026〕3号",
        "issue_date": "2026年9月1日",
        "officer_name": "赵警官",
        "officer_title": "社区民警",
        "school_name": "蒲吕青松中学",
        "starts_on": "2026年9月1日",
        "ends_on": "2028年8月31日",
        "duties": [{"no": n, "text": text} for n, text in enumerate(DUTIES, start=1)],
    }
