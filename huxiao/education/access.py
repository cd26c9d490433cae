"""Single records come only through here (404 outside scope), and who may act, as units:

- an activity is recorded by the school itself (`education.record` in its own unit) or by the
  school's 法治辅导员 (his appointment holds the day, and he still holds `education.record` in
  the 派出所 that appointed him);
- a 法治辅导员 is appointed by the 派出所 that covers the school (`counsellor.appoint`, counted
  only in a 派出所 — a 街道 leader holds the capability but appoints no one);
- a visit is recorded by the officer himself.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.choices import SCHOOL_KINDS
from huxiao.education.models import CounsellorAppointment, EducationActivity
from huxiao.education.querysets import STATION_KINDS
from huxiao.schools.scope import COUNTING_KINDS, school_org_ids

NOT_FOUND = "记录不存在或不在您的管辖范围内。"


def sees_education(user) -> bool:
    return scope_of(user).has(Cap.SCHOOL_VIEW)


def access_activity(user, pk) -> EducationActivity:
    activity = (
        EducationActivity.objects.visible_to(user)
        .select_related("school__region", "counsellor__officer", "recorded_by", "recording_unit")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404(NOT_FOUND)
    return activity


def access_appointment(user, pk) -> CounsellorAppointment:
    appointment = (
        CounsellorAppointment.objects.visible_to(user)
        .select_related("school__region", "station", "officer")
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        raise Http404(NOT_FOUND)
    return appointment


def school_units(user, school) -> list[int]:
    """The user's own-school units holding `education.record` at `school`."""
    return school_org_ids(user, school, Cap.EDUCATION_RECORD, kinds=SCHOOL_KINDS)


def is_officer(user, appointment: CounsellorAppointment) -> bool:
    """The appointed officer himself, still recording for the 派出所 that appointed him."""
    return appointment.officer_id == user.pk and scope_of(user).holds(
        appointment.station_id, Cap.EDUCATION_RECORD
    )


def is_counsellor(user, appointment: CounsellorAppointment, day: dt.date) -> bool:
    """The appointed officer himself, on a day of his term."""
    return appointment.covers(day) and is_officer(user, appointment)


def appointing_stations(user, school) -> list[int]:
    """The user's 派出所 that cover `school` and appoint its 法治辅导员."""
    return school_org_ids(user, school, Cap.COUNSELLOR_APPOINT, kinds=STATION_KINDS)


def may_appoint(user) -> bool:
    return bool(scope_of(user).org_ids(Cap.COUNSELLOR_APPOINT, kinds=STATION_KINDS))


def watches_counsellors(user) -> bool:
    """The 派出所 and the 学区: whose home page counts the schools missing a 法治辅导员 or a visit."""
    return bool(scope_of(user).org_ids(Cap.SCHOOL_VIEW, kinds=COUNTING_KINDS))


def records_as_school(user) -> bool:
    return bool(scope_of(user).org_ids(Cap.EDUCATION_RECORD, kinds=SCHOOL_KINDS))
