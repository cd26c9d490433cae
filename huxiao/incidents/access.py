"""Single incidents come only through here (404 outside scope); who may act on one, as units."""

from __future__ import annotations

from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.choices import SCHOOL_KINDS
from huxiao.incidents.models import Drill, DrillPhoto, Incident
from huxiao.incidents.querysets import PERSON_READER_KINDS
from huxiao.schools.scope import school_org_ids


def access_incident(user, pk) -> Incident:
    incident = (
        Incident.objects.visible_to(user)
        .select_related("school__region", "reporting_unit", "reported_by", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if incident is None:
        raise Http404("案事件不存在或不在您的管辖范围内。")
    return incident


def access_drill_photo(user, pk) -> DrillPhoto:
    photo = DrillPhoto.objects.filter(drill__in=Drill.objects.visible_to(user), pk=pk).first()
    if photo is None:
        raise Http404("照片不存在或不在您的管辖范围内。")
    return photo


def sees_incidents(user) -> bool:
    return scope_of(user).has(Cap.SCHOOL_VIEW)


def may_report(user) -> bool:
    return scope_of(user).has(Cap.INCIDENT_REPORT)


def signing_units(user) -> list[int]:
    """The user's units that sign for reported incidents."""
    return list(scope_of(user).org_ids(Cap.INCIDENT_RESPOND))


def responding_orgs(user, incident: Incident) -> list[int]:
    """The user's units that reach the school and hold `incident.respond`."""
    return school_org_ids(user, incident.school, Cap.INCIDENT_RESPOND)


def closing_orgs(user, incident: Incident) -> list[int]:
    return school_org_ids(user, incident.school, Cap.INCIDENT_CLOSE)


def may_read_persons(user, incident: Incident) -> bool:
    """The police and 政法 over the school, and the school that reported (its own unit)."""
    school = incident.school
    return bool(
        school_org_ids(user, school, Cap.SENSITIVE_VIEW, kinds=PERSON_READER_KINDS)
        or school_org_ids(user, school, Cap.INCIDENT_REPORT, kinds=SCHOOL_KINDS)
    )


def may_record_persons(user, incident: Incident) -> bool:
    return may_read_persons(user, incident) and bool(
        school_org_ids(user, incident.school, Cap.INCIDENT_REPORT)
    )
