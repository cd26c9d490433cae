"""Every write of the education registers: record an activity (with its photos), appoint a
法治辅导员, record his visit, issue his 聘书 — and the reminders before each dated occasion.

Each write is one transaction with one audit event; refusals name the field in Chinese and save
nothing (photos are checked before anything is stored).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from huxiao.accounts.models import Membership
from huxiao.accounts.roles import ROLES, Cap
from huxiao.accounts.selectors import members
from huxiao.core import audit
from huxiao.core.images import check_image
from huxiao.core.models import Organisation
from huxiao.core.versions import once
from huxiao.education import access, occasions
from huxiao.education.choices import (
    MAX_HEAD_COUNT,
    MAX_PHOTOS,
    Audience,
    Document,
    NotifyKind,
    Occasion,
    Topic,
)
from huxiao.education.models import ActivityPhoto, CounsellorAppointment, CounsellorVisit, EducationActivity
from huxiao.education.selectors import letter_context
from huxiao.notifications.models import Notification
from huxiao.notifications.services import notify_on_commit
from huxiao.reports.documents import render_docx
from huxiao.schools.models import School

MAX_TERM_YEARS = 5


def _audit(actor, action: str, obj, school: School, *, org_id: int | None, after: dict) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        after=after,
        organisation=Organisation.objects.filter(pk=org_id).first() if org_id else None,
        region_path=school.region.path,
        object_repr=f"{school.name} {obj}",
    )


def _text(value: str, field: str, label: str, *, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: f"{label}：必填。"})
    if len(text) > limit:
        raise ValidationError({field: f"{label}：不超过{limit}字。"})
    return text


def _count(value, field: str, label: str, *, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_HEAD_COUNT:
        raise ValidationError({field: f"{label}：须为{low}至{MAX_HEAD_COUNT}之间的整数。"})
    return value


def _past_day(day, field: str, label: str) -> dt.date:
    if not isinstance(day, dt.date) or day > timezone.localdate():
        raise ValidationError({field: f"{label}：不能晚于今天。"})
    return day


def _codes(values, choices, field: str, label: str) -> list[str]:
    """Chosen codes of a multiple choice, in the choices' order; at least one, all known."""
    chosen = set(values or [])
    if not chosen:
        raise ValidationError({field: f"{label}：至少选择一项。"})
    if chosen - set(choices.values):
        raise ValidationError({field: f"{label}：请从列表中选择。"})
    return [code for code in choices.values if code in chosen]


# --- Activities ----------------------------------------------------------------------------------


def activity_record(
    *,
    acting_user,
    school: School,
    held_on: dt.date,
    occasion: str,
    topics,
    audiences,
    head_count: int,
    speaker: str,
    title: str = "",
    grades: str = "",
    counsellor: CounsellorAppointment | None = None,
    photos=(),
    submission: str = "",
) -> EducationActivity:
    """Record an activity of `school`, by the school itself or by its 法治辅导员. A lecture the
    counsellor records himself is also his visit (进校) that day."""
    held_on = _past_day(held_on, "held_on", "日期")
    units = access.school_units(acting_user, school)
    own = [
        a
        for a in CounsellorAppointment.objects.filter(school=school, officer=acting_user)
        if access.is_counsellor(acting_user, a, held_on)
    ]
    if not units and not own:
        raise PermissionDenied("只有本校（园）和该校的法治辅导员可以记录安全教育活动。")
    if occasion not in Occasion.values:
        raise ValidationError({"occasion": "时机：请从列表中选择。"})
    topics = _codes(topics, Topic, "topics", "主题")
    audiences = _codes(audiences, Audience, "audiences", "对象")
    head_count = _count(head_count, "head_count", "参加人数", low=1)
    speaker = _text(speaker, "speaker", "主讲人", limit=60)
    title = _text(title, "title", "活动名称", limit=60, required=False)
    grades = _text(grades, "grades", "年级（范围）", limit=60, required=False)
    if counsellor is None and not units:
        counsellor = own[0]  # the counsellor records his own lecture
    if counsellor is not None and (counsellor.school_id != school.pk or not counsellor.covers(held_on)):
        raise ValidationError({"counsellor": "法治辅导员：须为该校当日在聘的法治辅导员。"})
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"照片：最多{MAX_PHOTOS}张。"})
    # every photo is checked before anything is stored: one bad file leaves nothing behind
    checked = [check_image(p, field=f"第{n}张照片") for n, p in enumerate(photos, start=1)]
    org_id = units[0] if units else own[0].station_id
    speaks_himself = counsellor is not None and counsellor.officer_id == acting_user.pk and not units

    def create() -> EducationActivity:
        activity = EducationActivity.objects.create(
            school=school,
            held_on=held_on,
            occasion=occasion,
            title=title,
            topics=topics,
            audiences=audiences,
            grades=grades,
            head_count=head_count,
            speaker=speaker,
            counsellor=counsellor,
            recorded_by=acting_user,
            recording_unit_id=org_id,
            submission=submission,
        )
        for image in checked:
            ActivityPhoto.objects.create(
                activity=activity,
                image=image.content,
                thumbnail=image.thumbnail,
                sha256=image.sha256,
                width=image.width,
                height=image.height,
            )
        if speaks_himself:
            assert counsellor is not None
            CounsellorVisit.objects.create(
                appointment=counsellor,
                visited_on=held_on,
                content=f"{activity.name}：{'、'.join(Topic(t).label for t in topics)}",
                head_count=head_count,
                activity=activity,
                recorded_by=acting_user,
            )
        _audit(
            acting_user,
            "education.activity",
            activity,
            school,
            org_id=org_id,
            after={
                "occasion": occasion,
                "topics": topics,
                "head_count": head_count,
                "photos": len(checked),
                "visit": speaks_himself,
            },
        )
        return activity

    with transaction.atomic():
        activity, _created = once(EducationActivity.objects.filter(school=school), submission, create)
    return activity


# --- 法治辅导员 -----------------------------------------------------------------------------------


def counsellor_appoint(
    *,
    acting_user,
    school: School,
    officer,
    starts_on: dt.date,
    ends_on: dt.date,
    letter_number: str,
    submission: str = "",
) -> CounsellorAppointment:
    """The 派出所 covering `school` appoints one of its officers (a member holding
    `education.record`, so that he can record his visits) as the school's 法治辅导员."""
    stations = access.appointing_stations(acting_user, school)
    if not stations:
        raise PermissionDenied("只有学校所属派出所可以聘任法治辅导员。")
    officers_of = {s: {u.pk for u in members([s], Cap.EDUCATION_RECORD)} for s in stations}
    station_id = next((s for s in stations if officer is not None and officer.pk in officers_of[s]), None)
    if station_id is None:
        raise ValidationError({"officer": "法治辅导员：须为本所民警。"})
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date):
        raise ValidationError({"starts_on": "聘期：请填写起止日期。"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "聘期至：不能早于聘期自。"})
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": "聘期至：聘期已结束，不能再聘任。"})
    if (ends_on - starts_on).days > 366 * MAX_TERM_YEARS:
        raise ValidationError({"ends_on": f"聘期至：聘期不超过{MAX_TERM_YEARS}年。"})
    number = _text(letter_number, "letter_number", "聘书编号", limit=60)
    overlapping = CounsellorAppointment.objects.filter(
        school=school, officer=officer, starts_on__lte=ends_on, ends_on__gte=starts_on
    )

    def create() -> CounsellorAppointment:  # a form sent twice returns the first one before these
        if CounsellorAppointment.objects.filter(station_id=station_id, letter_number=number).exists():
            raise ValidationError({"letter_number": "聘书编号：本所已有该编号的聘书。"})
        if overlapping.exists():
            raise ValidationError({"officer": "法治辅导员：该民警在此聘期内已是该校的法治辅导员。"})
        appointment = CounsellorAppointment.objects.create(
            school=school,
            station_id=station_id,
            officer=officer,
            starts_on=starts_on,
            ends_on=ends_on,
            letter_number=number,
            appointed_by=acting_user,
            submission=submission,
        )
        _audit(
            acting_user,
            "education.appoint",
            appointment,
            school,
            org_id=station_id,
            after={
                "officer": officer.get_full_name() or officer.username,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
        )
        return appointment

    with transaction.atomic():
        appointment, _created = once(CounsellorAppointment.objects.filter(school=school), submission, create)
    return appointment


def visit_record(
    *,
    acting_user,
    appointment: CounsellorAppointment,
    visited_on: dt.date,
    content: str,
    head_count: int = 0,
    submission: str = "",
) -> CounsellorVisit:
    """The officer records one visit to the school of his appointment, on a day of his term."""
    if not access.is_officer(acting_user, appointment):
        raise PermissionDenied("只有该校的法治辅导员本人可以记录进校情况。")
    visited_on = _past_day(visited_on, "visited_on", "进校日期")
    if not appointment.covers(visited_on):
        raise ValidationError({"visited_on": "进校日期：须在聘期内。"})
    content = _text(content, "content", "工作内容", limit=1000)
    head_count = _count(head_count, "head_count", "受教育人数", low=0)

    def create() -> CounsellorVisit:
        visit = CounsellorVisit.objects.create(
            appointment=appointment,
            visited_on=visited_on,
            content=content,
            head_count=head_count,
            recorded_by=acting_user,
            submission=submission,
        )
        _audit(
            acting_user,
            "education.visit",
            visit,
            appointment.school,
            org_id=appointment.station_id,
            after={"visited_on": visited_on.isoformat(), "head_count": head_count},
        )
        return visit

    with transaction.atomic():
        visit, _created = once(CounsellorVisit.objects.filter(appointment=appointment), submission, create)
    return visit


def letter_issue(*, acting_user, appointment: CounsellorAppointment) -> bytes:
    """The 聘书 of an appointment as a .docx, for whoever sees the appointment (the 派出所, the
    officer, the school, the 学区); each one issued is an audit event."""
    data = render_docx(Document.LETTER, letter_context(appointment))
    with transaction.atomic():
        _audit(
            acting_user,
            "education.letter",
            appointment,
            appointment.school,
            org_id=None,
            after={"number": appointment.letter_number},
        )
    return data


# --- Reminders -----------------------------------------------------------------------------------


def _school_keepers(org_ids: list[int]) -> dict[int, list]:
    """The users holding `education.record` in each school unit (its safety lead, its principal)."""
    roles = [code for code, role in ROLES.items() if Cap.EDUCATION_RECORD in role.caps]
    rows = (
        Membership.objects.active()
        .filter(organisation_id__in=org_ids, role__in=roles, user__is_active=True)
        .select_related("user")
    )
    out: dict[int, list] = defaultdict(list)
    for membership in rows:
        out[membership.organisation_id].append(membership.user)
    return out


def remind_occasions(today: dt.date | None = None) -> int:
    """`HUXIAO_EDUCATION_REMIND_DAYS` days before each dated occasion, tell the safety leads and
    principals of each school that has not recorded an activity for it this year. Once per
    school, occasion and year (`dedupe_key`); returns how many (school, occasion) reminders went
    out now."""
    today = today or timezone.localdate()
    told = 0
    for occasion, day in occasions.upcoming(today, settings.HUXIAO_EDUCATION_REMIND_DAYS):
        done = EducationActivity.objects.filter(occasion=occasion, held_on__year=day.year).values("school_id")
        schools = list(
            School.objects.active()
            .filter(organisation__isnull=False)
            .exclude(pk__in=done)
            .order_by("pk")
            .values_list("pk", "organisation_id")
        )
        keys = {pk: f"education.remind:{pk}:{occasion}:{day.year}" for pk, _org in schools}
        sent = set(
            Notification.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True)
        )
        pending = [(pk, org) for pk, org in schools if keys[pk] not in sent]
        keepers = _school_keepers([org for _pk, org in pending])
        label, days = Occasion(occasion).label, (day - today).days
        when = "今天" if days == 0 else f"还有{days}天"
        for pk, org in pending:
            if not keepers.get(org):
                continue
            notify_on_commit(
                lambda users=keepers[org]: users,
                kind=NotifyKind.REMIND,
                title=f"{label}（{day.month}月{day.day}日）{when}，本校（园）今年尚未记录该主题的安全教育活动",
                url=f"{reverse('education:activity-create')}?occasion={occasion}",
                dedupe_key=keys[pk],
            )
            told += 1
    return told
