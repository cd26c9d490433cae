"""The incident register: who sees an incident and who sees the people in it, reporting up with
签收 and escalation, the 三同步 lines, the people encrypted and revealed only with a reason, and
closing with the cause analysis (整改措施 become hazards; 重大 needs 责任倒查)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from huxiao.core.errors import ConflictError
from huxiao.core.models import AuditEvent
from huxiao.hazards.models import Hazard
from huxiao.incidents import figures, services
from huxiao.incidents.choices import Grade, NotifyKind, PersonRole, State, Track
from huxiao.incidents.models import Incident, IncidentPerson, Notice
from huxiao.incidents.selectors import detail, timeline
from huxiao.incidents.tests.builders import CHILD_ID, NOW, incident
from huxiao.notifications.models import Notification
from huxiao.schools.models import School

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


SEE_INCIDENT = {"official", "safety_officer", "police", "centre_officer", "qingsong_lead", "observer"}
SEE_PERSONS = {"official", "police", "qingsong_lead"}
EVERYONE = sorted(
    {"official", "safety_officer", "police", "centre_officer", "qingsong_lead", "mingde_lead", "observer"}
    | {"sysadmin", "auditor", "secadmin", "outsider"}
)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_sees_an_incident_and_who_sees_the_people_in_it(cast, who):
    case = incident(cast.qingsong_lead, cast.qingsong)
    services.person_add(
        acting_user=cast.qingsong_lead, incident=case, role=PersonRole.VICTIM, name="王小明", minor=True
    )
    user = getattr(cast, who)
    assert Incident.objects.visible_to(user).filter(pk=case.pk).exists() == (who in SEE_INCIDENT)
    assert IncidentPerson.objects.visible_to(user).exists() == (who in SEE_PERSONS)


def test_a_larger_incident_is_reported_up_at_once_and_each_unit_must_sign(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = incident(cast.qingsong_lead, cast.qingsong)
    units = set(case.notices.values_list("organisation__name", flat=True))
    assert units == {
        cast.pulv_centre.name,
        cast.pulv_police.name,
        cast.pulv_office.name,
        cast.political_legal.name,
        cast.education_bureau.name,
    }
    # those who can sign are told; the read-only observer and the 系统管理员 are not
    assert told(NotifyKind.REPORTED) == {"centre_officer", "police", "official"}
    assert events("incidents.report") == 1 and case.code.startswith("SJ2026-")

    signed = services.incident_acknowledge(acting_user=cast.police, incident=case)
    assert [n.organisation for n in signed] == [cast.pulv_police]
    assert services.incident_acknowledge(acting_user=cast.police, incident=case) == []  # a second tap
    assert events("incidents.acknowledge") == 1
    with pytest.raises(PermissionDenied):
        services.incident_acknowledge(acting_user=cast.mingde_lead, incident=case)


def test_a_general_incident_is_not_reported_up(cast):
    case = incident(cast.qingsong_lead, cast.qingsong, grade=Grade.GENERAL)
    assert not case.notices.exists()


def test_an_unsigned_report_escalates_once_after_the_set_time(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.HUXIAO_INCIDENT_ACK_MINUTES = 30
    case = incident(cast.qingsong_lead, cast.qingsong)
    services.incident_acknowledge(acting_user=cast.police, incident=case)
    assert services.escalate_unacknowledged(NOW + dt.timedelta(minutes=29)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_unacknowledged(NOW + dt.timedelta(minutes=31)) == 4  # all but the police
    assert services.escalate_unacknowledged(NOW + dt.timedelta(hours=5)) == 0
    assert Notice.objects.filter(escalated_at__isnull=False).count() == 4
    assert not Notice.objects.get(organisation=cast.pulv_police).escalated_at
    # the unit itself and the 区委政法委 above it are told which unit has not signed
    assert told(NotifyKind.UNACKNOWLEDGED) == {"centre_officer", "official"}
    assert events("incidents.escalate") == 4


def test_three_units_log_the_three_tracks(cast):
    case = incident(cast.qingsong_lead, cast.qingsong, grade=Grade.MAJOR)
    at = NOW - dt.timedelta(minutes=30)
    services.response_log(
        acting_user=cast.official, incident=case, track=Track.COMMAND, at=at, text="成立应急指挥部"
    )
    services.response_log(
        acting_user=cast.police, incident=case, track=Track.LINKAGE, at=at, text="控制嫌疑人"
    )
    services.response_log(
        acting_user=cast.centre_officer, incident=case, track=Track.OPINION, at=at, text="发布情况通报"
    )
    assert set(case.entries.values_list("organisation__name", "track")) == {
        (cast.political_legal.name, Track.COMMAND),
        (cast.pulv_police.name, Track.LINKAGE),
        (cast.pulv_centre.name, Track.OPINION),
    }
    assert events("incidents.response") == 3
    with pytest.raises(PermissionDenied):
        services.response_log(acting_user=cast.observer, incident=case, track=Track.COMMAND, at=at, text="x")
    with pytest.raises(ValidationError) as err:
        services.response_log(
            acting_user=cast.police,
            incident=case,
            track=Track.LINKAGE,
            at=NOW + dt.timedelta(days=1),
            text="x",
        )
    assert "时间" in str(err.value)


def test_the_people_are_encrypted_and_revealed_only_with_a_reason(cast):
    case = incident(cast.qingsong_lead, cast.qingsong)
    person = services.person_add(
        acting_user=cast.police,
        incident=case,
        role=PersonRole.VICTIM,
        name="王小明",
        id_number=CHILD_ID,
        note="左臂擦伤，已送医",
        minor=True,
        is_student=True,
    )
    with connection.cursor() as cur:
        cur.execute("SELECT name_enc, id_number_enc FROM incidents_incidentperson WHERE id = %s", [person.pk])
        name_enc, id_enc = cur.fetchone()
    assert "王小明" not in name_enc and CHILD_ID not in id_enc
    with pytest.raises(ValidationError):
        services.persons_reveal(acting_user=cast.police, incident=case, reason="  ")
    full = services.persons_reveal(acting_user=cast.police, incident=case, reason="案件侦办需要")
    assert full[person.pk] == {"name": "王小明", "id_number": CHILD_ID, "note": "左臂擦伤，已送医"}
    assert AuditEvent.objects.get(action="incidents.reveal").after["reason"] == "案件侦办需要"
    for outsider in (cast.centre_officer, cast.safety_officer, cast.observer):
        with pytest.raises(PermissionDenied):
            services.persons_reveal(acting_user=outsider, incident=case, reason="想看")
        with pytest.raises(PermissionDenied):
            services.person_add(acting_user=outsider, incident=case, role=PersonRole.WITNESS, name="李四")
    with pytest.raises(ValidationError) as err:
        services.person_add(
            acting_user=cast.police, incident=case, role=PersonRole.SUSPECT, name="某人", id_number="500151"
        )
    assert "身份证号" in str(err.value)


def test_closing_needs_the_cause_analysis_and_its_measures_become_hazards(cast):
    case = incident(cast.qingsong_lead, cast.qingsong)
    with pytest.raises(ValidationError) as err:
        services.incident_close(
            acting_user=cast.police, incident=case, expected_version=case.version, causes="", measures=""
        )
    assert {"causes", "measures"} <= set(err.value.message_dict)
    assert Incident.objects.get(pk=case.pk).state == State.OPEN and events("incidents.close") == 0
    with pytest.raises(PermissionDenied):
        services.incident_close(
            acting_user=cast.qingsong_lead,
            incident=case,
            expected_version=case.version,
            causes="c",
            measures="m",
        )
    closed, hazards = services.incident_close(
        acting_user=cast.police,
        incident=case,
        expected_version=case.version,
        causes="校门口放学时段无民警、保安力量不足，外来人员靠近无人劝离。",
        measures="1. 放学时段增派保安员到校门口\n2. 校门口设置硬质隔离设施\n",
        lessons="高峰时段护学岗必须到位。",
    )
    assert closed.state == State.CLOSED and closed.version == case.version + 1
    assert [h.title for h in hazards] == ["放学时段增派保安员到校门口", "校门口设置硬质隔离设施"]
    assert {h.source for h in hazards} == {"incident"} and {h.school for h in hazards} == {cast.qingsong}
    assert Hazard.objects.filter(source_ref__startswith=f"incidents.incident:{case.pk}:").count() == 2
    assert events("incidents.close") == 1
    with pytest.raises(ConflictError):
        services.incident_close(
            acting_user=cast.police, incident=case, expected_version=case.version, causes="c", measures="m"
        )


def test_a_major_incident_closes_only_with_its_accountability(cast):
    case = incident(cast.qingsong_lead, cast.qingsong, grade=Grade.MAJOR)
    with pytest.raises(ValidationError) as err:
        services.incident_close(
            acting_user=cast.police,
            incident=case,
            expected_version=case.version,
            causes="原因",
            measures="措施",
        )
    assert set(err.value.message_dict) == {"accountability", "decision"}
    services.incident_close(
        acting_user=cast.police,
        incident=case,
        expected_version=case.version,
        causes="原因",
        measures="措施",
        accountability="学校门卫值守不到位，负有直接责任。",
        decision="对学校分管安全副校长诫勉谈话。",
    )
    assert Incident.objects.get(pk=case.pk).state == State.CLOSED


def test_an_incident_in_the_future_or_without_a_right_is_refused(cast):
    with pytest.raises(ValidationError) as err:
        incident(cast.qingsong_lead, cast.qingsong, occurred_at=NOW + dt.timedelta(days=2))
    assert "发生时间" in str(err.value)
    with pytest.raises(PermissionDenied):
        incident(cast.qingsong_lead, cast.mingde)
    with pytest.raises(PermissionDenied):
        incident(cast.observer, cast.qingsong)
    assert not Incident.objects.exists() and events("incidents.report") == 0


def test_the_same_form_sent_twice_records_one_incident(cast):
    first = incident(cast.qingsong_lead, cast.qingsong, submission="abc")
    second = incident(cast.qingsong_lead, cast.qingsong, submission="abc")
    assert first.pk == second.pk and Incident.objects.count() == 1 and Notice.objects.count() == 5


def test_the_monthly_columns_count_incidents_of_the_month(cast):
    incident(cast.qingsong_lead, cast.qingsong)
    incident(cast.qingsong_lead, cast.qingsong, grade=Grade.GENERAL)
    incident(
        cast.qingsong_lead, cast.qingsong, occurred_at=dt.datetime(2026, 10, 31, 23, 0, tzinfo=NOW.tzinfo)
    )
    schools = School.objects.filter(pk=cast.qingsong.pk)
    november = figures.provider(schools, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (november["ic_incidents"], november["ic_reported_up"]) == (2, 1)
    assert figures.by_school(schools, dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == {
        cast.qingsong.pk: november
    }
    october = figures.provider(schools, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert (october["ic_incidents"], october["ic_reported_up"]) == (1, 1)


def test_the_timeline_says_who_knew_what_when(cast):
    case = incident(cast.qingsong_lead, cast.qingsong)
    services.incident_acknowledge(acting_user=cast.police, incident=case)
    services.response_log(
        acting_user=cast.police,
        incident=case,
        track=Track.LINKAGE,
        at=NOW - dt.timedelta(minutes=50),
        text="到场处置",
    )
    services.escalate_unacknowledged(NOW + dt.timedelta(minutes=31))

    rows = [(r["what"], r["who"]) for r in timeline(detail(case))]
    assert rows[:2] == [(f"发生：{case.title}", cast.qingsong.name), ("到场处置", cast.pulv_police.name)]
    sent = next(who for what, who in rows if what == "报告送达")
    assert cast.pulv_police.name in sent and cast.political_legal.name in sent  # one line for all units
    assert ("签收", cast.pulv_police.name) in rows
    assert sum(1 for what, _ in rows if what == "超时未签收，已催报") == 4
