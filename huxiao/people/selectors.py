"""Reads of the registers: the station's lists (masked), a person's timeline and access history,
and the counts the 街道, 平安办, 学区 and 政法委 see — by school and category, never a name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.choices import OrgKind
from huxiao.core.models import AuditEvent
from huxiao.core.registry import Panel
from huxiao.lib.masks import mask_id, mask_name, mask_phone, mask_text
from huxiao.people.choices import Outcome, PersonStatus, Risk
from huxiao.people.models import Dispute, KeyPerson, PersonSchool
from huxiao.schools.models import School
from huxiao.schools.scope import school_org_ids

PAGE_SIZE = 50


@dataclass
class Masked:
    """A record as lists show it: masked personal fields beside the plain columns."""

    record: KeyPerson | Dispute
    fields: dict[str, str] = field(default_factory=dict)


def masked_person(person: KeyPerson) -> dict[str, str]:
    """The person's personal fields, masked (one decryption per field)."""
    if person.erased_at is not None:
        return {
            "name": "（已删除）",
            "id_number": "",
            "phone": "",
            "address": "",
            "guardian": "",
            "notes": "",
        }
    return {
        "name": mask_name(person.plain("name")),
        "id_number": mask_id(person.plain("id_number")),
        "phone": mask_phone(person.plain("phone")),
        "address": mask_text(person.address_enc),
        "guardian": mask_text(person.guardian_enc),
        "notes": mask_text(person.notes_enc),
    }


def masked_parties(dispute: Dispute) -> str:
    """「张*明 等」: the first party's masked name, as a list shows it."""
    first = dispute.plain("parties").splitlines()[0] if dispute.parties_enc else ""
    name = first.split()[0] if first.split() else ""
    return f"{mask_name(name)} 等" if name else ""


# What the register's page and its export read of a person (and of his station, officer, category).
LIST_FIELDS = (
    *(f"{f}_enc" for f in ("name", "id_number", "phone", "address", "guardian", "notes")),
    "listed_on",
    "review_due",
    "risk",
    "status",
    "erased_at",
    "station__name",
    "officer__username",
    "officer__full_name",
    "category__name",
)


def persons(user, data: dict | None = None) -> QuerySet[KeyPerson]:
    """The register the user may read, filtered by the list's form (category, risk, status, review
    due/overdue, station, school, exact name or 身份证号 through the blind index)."""
    from huxiao.core import crypto

    data = data or {}
    rows = (
        KeyPerson.objects.visible_to(user).select_related("station", "officer", "category").only(*LIST_FIELDS)
    )
    if data.get("category"):
        rows = rows.filter(category=data["category"])
    if data.get("risk"):
        rows = rows.filter(risk=data["risk"])
    status = data.get("status") or "live"
    rows = rows.live() if status == "live" else rows.filter(status=status) if status != "all" else rows
    today = timezone.localdate()
    if data.get("review") == "overdue":
        rows = rows.overdue(today)
    elif data.get("review") == "due":
        rows = rows.due(today)
    if data.get("station"):
        rows = rows.filter(station=data["station"])
    if data.get("school"):  # a name (part): the persons linked to a school so named
        named = PersonSchool.objects.filter(school__name__contains=data["school"]).values("person_id")
        rows = rows.filter(pk__in=named)
    if data.get("q"):
        text = data["q"]
        rows = rows.filter(
            Q(name_index=crypto.blind_index(text, "name")) | Q(id_index=crypto.blind_index(text, "id"))
        )
    return rows.order_by("review_due", "pk")


def disputes(user, data: dict | None = None) -> QuerySet[Dispute]:
    data = data or {}
    rows = Dispute.objects.visible_to(user).select_related("station", "region").prefetch_related("schools")
    if data.get("category"):
        rows = rows.filter(category=data["category"])
    outcome = data.get("outcome") or Outcome.OPEN
    if outcome != "all":
        rows = rows.filter(outcome=outcome)
    if data.get("threat"):
        rows = rows.filter(threat=True)
    if data.get("school"):
        named = Dispute.schools.through.objects.filter(school__name__contains=data["school"])
        rows = rows.filter(pk__in=named.values("dispute_id"))
    if data.get("station"):
        rows = rows.filter(station=data["station"])
    return rows.order_by("-threat", "-found_on", "-pk")


@dataclass
class Counts:
    live: int
    high: int
    lost: int
    overdue: int
    due: int
    open_disputes: int
    threats: int
    stabilise_overdue: int


def register_counts(user, today: dt.date | None = None) -> Counts:
    """The figures over the registers' lists (two queries)."""
    today = today or timezone.localdate()
    persons_q = KeyPerson.objects.visible_to(user).live()
    p = persons_q.aggregate(
        live=Count("pk"),
        high=Count("pk", filter=Q(risk=Risk.HIGH)),
        lost=Count("pk", filter=Q(status=PersonStatus.LOST)),
        overdue=Count("pk", filter=Q(review_due__lt=today)),
        due=Count("pk", filter=Q(review_due__gte=today, review_due__lte=today + dt.timedelta(days=3))),
    )
    d = (
        Dispute.objects.visible_to(user)
        .open()
        .aggregate(
            n=Count("pk"),
            threats=Count("pk", filter=Q(threat=True)),
            late=Count(
                "pk", filter=Q(threat=True, stabilised_at__isnull=True, stabilise_due__lt=timezone.now())
            ),
        )
    )
    return Counts(p["live"], p["high"], p["lost"], p["overdue"], p["due"], d["n"], d["threats"], d["late"])


@dataclass
class Step:
    """One line of a person's timeline: a visit, a measure or a change of standing."""

    at: dt.date
    kind: str
    title: str
    who: str
    text: str = ""
    warn: bool = False


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else "系统"


def person_timeline(person: KeyPerson, *, full: bool) -> list[Step]:
    """Visits, measures and events, newest first; the encrypted texts only when `full` (the user
    asked to see the record with a reason)."""
    steps: list[Step] = []
    for v in person.visits.select_related("officer"):
        steps.append(
            Step(
                v.visited_on,
                "visit",
                f"走访核查：{v.get_found_display()}",
                _name(v.officer),
                v.plain("dynamics") if full else "",
                warn=v.found != "in_control",
            )
        )
    for m in person.measures.select_related("recorded_by"):
        steps.append(
            Step(
                m.taken_on,
                "measure",
                f"管控救助措施：{m.get_kind_display()}",
                _name(m.recorded_by),
                m.plain("detail") if full else "",
            )
        )
    for e in person.events.select_related("actor", "approver"):
        who = _name(e.actor) + (f"（审批：{_name(e.approver)}）" if e.approver else "")
        steps.append(
            Step(
                timezone.localtime(e.at).date(),
                "event",
                e.get_kind_display(),
                who,
                e.plain("note") if full else "",
                warn=e.kind in ("lost", "delisted"),
            )
        )
    return sorted(steps, key=lambda s: s.at, reverse=True)


def mediations(dispute: Dispute, *, full: bool) -> list[Step]:
    return [
        Step(
            m.held_on,
            "mediation",
            f"调解：{m.organisation.name}",
            _name(m.recorded_by),
            m.plain("note") if full else "",
        )
        for m in dispute.mediations.select_related("organisation", "recorded_by")
    ]


def stabilisations(dispute: Dispute, *, full: bool) -> list[Step]:
    return [
        Step(
            timezone.localtime(s.recorded_at).date(),
            "stabilise",
            "稳控措施",
            _name(s.recorded_by),
            s.plain("measures") if full else "",
        )
        for s in dispute.stabilisations.select_related("recorded_by")
    ]


def stabilise_overdue(dispute: Dispute) -> bool:
    return bool(
        dispute.threat
        and dispute.stabilised_at is None
        and dispute.stabilise_due is not None
        and dispute.stabilise_due < timezone.now()
    )


def intervals(user) -> list:
    """The 走访核查 periods set for regions the user sees (and those above that apply)."""
    from huxiao.people.models import ReviewInterval

    return list(
        ReviewInterval.objects.visible_to(user, Cap.SENSITIVE_VIEW)
        .select_related("region", "updated_by")
        .order_by("region__path")
    )


def interval_region(user):
    """The region whose periods the user may set: the widest jurisdiction of a police or 政法
    unit where they hold PEOPLE_APPROVE (None for a station, which has no region)."""
    from huxiao.core.models import Region
    from huxiao.people.querysets import PEOPLE_UNIT_KINDS

    paths = scope_of(user).paths(Cap.PEOPLE_APPROVE, kinds=PEOPLE_UNIT_KINDS)
    regions = list(Region.objects.filter(path__in=paths, is_archived=False))
    return min(regions, key=lambda r: (len(r.path), r.path)) if regions else None


def access_history(record: KeyPerson | Dispute) -> QuerySet[AuditEvent]:
    """Who saw the record in full, when and why (the 查看完整信息 events)."""
    return AuditEvent.objects.filter(
        action="people.reveal", object_type=record._meta.label_lower, object_id=str(record.pk)
    ).order_by("-seq")


def dispute_source_url(hazard, rest: str) -> str | None:
    return f"/people/disputes/{int(rest)}/" if rest.isdigit() else None


# --- What others see: counts ------------------------------------------------------------------


def high_risk_near(school: School) -> int:
    """Live 高-risk key persons linked to the school."""
    return (
        PersonSchool.objects.filter(school=school, person__risk=Risk.HIGH)
        .exclude(person__status=PersonStatus.DELISTED)
        .count()
    )


def school_panel(user, school: School) -> Panel | None:
    """On the school's page, for the 派出所 and the 学区 that reach it and for the school itself:
    how many high-risk key persons live near (a count — the school is alerted, nobody is named)."""
    kinds = {OrgKind.POLICE_STATION, OrgKind.SCHOOL_DISTRICT, OrgKind.SCHOOL}
    if not set(school_org_ids(user, school, Cap.SCHOOL_VIEW)) & set(scope_of(user).org_ids(kinds=kinds)):
        return None
    n = high_risk_near(school)
    if not n:
        return None
    return Panel(
        "周边高风险重点人员",
        f"{n}名（仅显示数量，具体情况由派出所掌握；请加强门卫值守、校园巡查和上下学护导，发现异常立即报告派出所）",
        warn=True,
    )


def home_panels(user) -> list[Panel]:
    """The 工作台 card of those who watch 涉校稳定 (police, 政法委, 街道, 平安办, 学区): 失控 key
    persons near their schools and open 扬言报复 disputes, with those past the 稳控 deadline —
    counts only (two queries)."""
    from huxiao.people.access import sees_overview

    if not sees_overview(user):
        return []
    schools = School.objects.visible_to(user).active().values("pk")
    lost = (
        KeyPerson.objects.filter(status=PersonStatus.LOST, school_links__school__in=schools)
        .values("pk")
        .distinct()
        .count()
    )
    flagged = Dispute.objects.filter(
        pk__in=Dispute.objects.filter(outcome=Outcome.OPEN, threat=True, schools__in=schools).values("pk")
    ).aggregate(
        n=Count("pk"),
        late=Count("pk", filter=Q(stabilised_at__isnull=True, stabilise_due__lt=timezone.now())),
    )
    late = f"，其中稳控措施逾期 {flagged['late']} 件" if flagged["late"] else ""
    return [
        Panel(
            "涉校稳定（失控人员 / 扬言报复纠纷）",
            f"失控重点人员 {lost} 人，扬言报复矛盾纠纷 {flagged['n']} 件{late}（只显示数量）",
            url=reverse("people:overview"),
            warn=bool(lost or flagged["n"]),
            value=f"{lost} / {flagged['n']}",
        )
    ]


@dataclass
class SchoolRow:
    school: School
    persons: int = 0
    high: int = 0
    lost: int = 0
    disputes: int = 0
    threats: int = 0


@dataclass
class Overview:
    rows: list[SchoolRow]
    by_category: list[tuple[str, int]]
    lost: int
    overdue_reviews: int
    threats: list[dict]  # flagged open disputes: code, schools, flagged at, stabilised — no parties


def overview(user, today: dt.date | None = None) -> Overview:
    """涉校稳定态势 over the schools the user sees: per school the linked key persons (high risk,
    失控), open disputes and 扬言报复 — counts only (a fixed number of queries)."""
    today = today or timezone.localdate()
    schools = School.objects.visible_to(user).active()
    links = PersonSchool.objects.filter(school__in=schools).exclude(person__status=PersonStatus.DELISTED)
    per_school = {
        r["school_id"]: r
        for r in links.values("school_id").annotate(
            persons=Count("person", distinct=True),
            high=Count("person", filter=Q(person__risk=Risk.HIGH), distinct=True),
            lost=Count("person", filter=Q(person__status=PersonStatus.LOST), distinct=True),
        )
    }
    open_disputes = Dispute.objects.filter(schools__in=schools, outcome=Outcome.OPEN)
    dispute_counts = {
        r["schools"]: r
        for r in open_disputes.values("schools").annotate(
            n=Count("pk", distinct=True), threats=Count("pk", filter=Q(threat=True), distinct=True)
        )
    }
    rows = []
    for school in schools.order_by("name"):
        p, d = per_school.get(school.pk, {}), dispute_counts.get(school.pk, {})
        row = SchoolRow(
            school,
            p.get("persons", 0),
            p.get("high", 0),
            p.get("lost", 0),
            d.get("n", 0),
            d.get("threats", 0),
        )
        if row.persons or row.disputes:
            rows.append(row)
    linked = KeyPerson.objects.filter(pk__in=links.values("person_id"))
    by_category = list(
        linked.values_list("category__name").annotate(n=Count("pk")).order_by("category__order")
    )
    visible = set(schools.values_list("pk", flat=True))
    threats = [
        {
            "code": d.code,
            "schools": "、".join(s.name for s in d.schools.all() if s.pk in visible),
            "threat_at": d.threat_at,
            "stabilised_at": d.stabilised_at,
            "overdue": d.stabilised_at is None
            and d.stabilise_due is not None
            and d.stabilise_due < timezone.now(),
        }
        for d in open_disputes.filter(threat=True)
        .distinct()
        .prefetch_related("schools")
        .order_by("-threat_at")
    ]
    return Overview(
        rows=rows,
        by_category=by_category,
        lost=linked.filter(status=PersonStatus.LOST).count(),
        overdue_reviews=linked.overdue(today).count(),
        threats=threats,
    )
