"""The register's writes: one audit event each, Chinese errors naming the field, stale forms
refused, the 有异常 path (the school records, the 学区 decides, the school carries it out), expiry
and its reminders, 查看完整信息 logged, and the personal fields encrypted at rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from huxiao.core.errors import ConflictError
from huxiao.core.models import AuditEvent
from huxiao.notifications.models import Notification
from huxiao.staff import services
from huxiao.staff.choices import CheckResult, Decision, NotifyKind, Standing
from huxiao.staff.models import StaffMember
from huxiao.staff.tests.builders import TODAY, adverse, cleared, guard, id_number, member

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(TODAY)]


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def standing(person) -> str:
    return StaffMember.objects.with_standing().get(pk=person.pk).standing


def test_registering_a_person_is_audited_and_the_id_number_is_encrypted(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    assert events("staff.register") == 1
    with connection.cursor() as cur:
        cur.execute("SELECT id_number_enc FROM staff_staffmember WHERE id = %s", [person.pk])
        stored = cur.fetchone()[0]
    assert id_number(1) not in stored and person.plain("id_number") == id_number(1)


def test_a_bad_check_digit_is_refused_naming_the_field(cast):
    bad = id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        member(cast.qingsong_lead, cast.qingsong, id_number=bad)
    assert "身份证号" in str(err.value) and "校验位" in str(err.value)
    assert not StaffMember.objects.exists() and events("staff.register") == 0


def test_a_licence_issued_in_the_future_is_refused(cast):
    with pytest.raises(ValidationError) as err:
        guard(cast.qingsong_lead, cast.qingsong, licence_issued_on=TODAY + dt.timedelta(days=1))
    assert "保安员证发证日期" in str(err.value)


def test_the_same_person_cannot_be_on_duty_twice_at_a_school(cast):
    member(cast.qingsong_lead, cast.qingsong, 1)
    with pytest.raises(ValidationError) as err:
        member(cast.qingsong_lead, cast.qingsong, 1, name="另一个名字")
    assert "请勿重复登记" in str(err.value)
    assert StaffMember.objects.count() == 1


def test_a_double_submit_creates_one_person(cast):
    first = member(cast.qingsong_lead, cast.qingsong, 1, submission="tok-1")
    again = member(cast.qingsong_lead, cast.qingsong, 1, submission="tok-1")
    assert first.pk == again.pk and StaffMember.objects.count() == 1


def test_only_the_school_keeps_its_register(cast):
    for user in (cast.centre_officer, cast.police, cast.mingde_lead):
        with pytest.raises(PermissionDenied):
            member(user, cast.qingsong)


def test_a_stale_edit_is_refused(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    fields = {f: getattr(person, f) for f in services.MEMBER_FIELDS}
    services.member_update(
        acting_user=cast.qingsong_lead, member=person, expected_version=1, **{**fields, "name": "改名"}
    )
    with pytest.raises(ConflictError):
        services.member_update(acting_user=cast.qingsong_lead, member=person, expected_version=1, **fields)
    assert StaffMember.objects.get(pk=person.pk).name == "改名"


def test_standing_follows_the_checks(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    assert standing(person) == Standing.NONE
    cleared(cast.qingsong_lead, person, on=dt.date(2025, 11, 1))  # valid until 2026-11-01
    assert standing(person) == Standing.EXPIRED
    cleared(cast.qingsong_lead, person, on=dt.date(2026, 6, 1))
    assert standing(person) == Standing.VALID
    adverse(cast.qingsong_lead, person)
    assert standing(person) == Standing.ADVERSE


def test_an_adverse_check_is_decided_by_the_school_district_and_carried_out_by_the_school(
    cast, django_capture_on_commit_callbacks
):
    person = member(cast.qingsong_lead, cast.qingsong)
    with django_capture_on_commit_callbacks(execute=True):
        check = adverse(cast.qingsong_lead, person)
    assert Notification.objects.filter(user=cast.centre_officer, kind=NotifyKind.CHECK_ADVERSE).exists()
    with pytest.raises(PermissionDenied):
        services.check_decide(
            acting_user=cast.qingsong_lead,
            check=check,
            expected_version=check.version,
            decision=Decision.REMOVE,
            reason="x",
        )
    with pytest.raises(ValidationError) as err:
        services.check_decide(
            acting_user=cast.centre_officer,
            check=check,
            expected_version=check.version,
            decision=Decision.REMOVE,
            reason=" ",
        )
    assert "决定理由" in str(err.value)
    decided = services.check_decide(
        acting_user=cast.centre_officer,
        check=check,
        expected_version=check.version,
        decision=Decision.REMOVE,
        reason="有盗窃犯罪记录，不宜从事校内工作",
    )
    assert decided.awaiting_completion and events("staff.decide") == 1
    with pytest.raises(ConflictError):
        services.check_decide(
            acting_user=cast.centre_officer,
            check=check,
            expected_version=check.version,
            decision=Decision.RETAIN,
            reason="y",
        )
    services.check_complete(
        acting_user=cast.qingsong_lead,
        check=decided,
        expected_version=decided.version,
        completed_on=TODAY,
        note="已调离",
    )
    person.refresh_from_db()
    assert person.left_on == TODAY and "调离" in person.left_reason
    assert events("staff.complete") == 1
    assert not StaffMember.objects.visible_to(cast.qingsong_lead).on_duty().exists()


def test_retaining_closes_the_check_without_a_further_step(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    check = adverse(cast.qingsong_lead, person)
    services.check_decide(
        acting_user=cast.centre_officer,
        check=check,
        expected_version=1,
        decision=Decision.RETAIN,
        reason="轻微违法，已改正",
    )
    assert standing(person) != Standing.ADVERSE


def test_a_pending_check_gets_its_answer_once(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    check = services.check_record(
        acting_user=cast.qingsong_lead, member=person, kind="criminal", requested_on=TODAY
    )
    assert standing(person) == Standing.PENDING
    services.check_result(
        acting_user=cast.qingsong_lead,
        check=check,
        expected_version=1,
        result=CheckResult.CLEAR,
        result_on=TODAY,
    )
    assert standing(person) == Standing.VALID
    with pytest.raises(ConflictError):
        services.check_result(
            acting_user=cast.qingsong_lead,
            check=check,
            expected_version=1,
            result=CheckResult.ADVERSE,
            result_on=TODAY,
            finding="x",
        )


def test_an_adverse_result_needs_its_finding(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    with pytest.raises(ValidationError) as err:
        services.check_record(
            acting_user=cast.qingsong_lead,
            member=person,
            kind="criminal",
            requested_on=TODAY,
            result="adverse",
            result_on=TODAY,
        )
    assert "异常情况" in str(err.value)


def test_reveal_is_logged_with_its_reason_and_refused_to_others(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    adverse(cast.qingsong_lead, person)
    full = services.member_reveal(acting_user=cast.centre_officer, member=person, reason="核查入职材料")
    assert full["id_number"] == id_number(1) and "盗窃" in next(iter(full["findings"].values()))
    event = AuditEvent.objects.get(action="staff.reveal")
    assert event.after["reason"] == "核查入职材料" and event.actor == cast.centre_officer
    with pytest.raises(PermissionDenied):
        services.member_reveal(acting_user=cast.police, member=person, reason="x")


def test_keepers_are_reminded_30_and_7_days_before_a_check_runs_out(cast, django_capture_on_commit_callbacks):
    person = member(cast.qingsong_lead, cast.qingsong)
    cleared(cast.qingsong_lead, person, on=TODAY - dt.timedelta(days=365 - 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_expiring(TODAY) == 1
        assert services.remind_expiring(TODAY) == 1  # counted again, but the inbox is deduplicated
    assert Notification.objects.filter(user=cast.qingsong_lead, kind=NotifyKind.CHECK_EXPIRING).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_expiring(TODAY + dt.timedelta(days=23)) == 1
    assert Notification.objects.filter(user=cast.qingsong_lead, kind=NotifyKind.CHECK_EXPIRING).count() == 2


def test_the_document_is_encrypted_served_audited_and_survives_a_key_rotation(cast, client, settings):
    from cryptography.fernet import Fernet
    from django.urls import reverse

    from huxiao.core import crypto
    from huxiao.testsupport.files import jpeg_bytes, photo

    person = member(cast.qingsong_lead, cast.qingsong)
    check = services.check_record(
        acting_user=cast.qingsong_lead,
        member=person,
        kind="criminal",
        result=CheckResult.CLEAR,
        result_on=TODAY,
        document=photo("无犯罪记录证明.jpg"),
    )
    with check.document_enc.open("rb") as fh:
        assert not fh.read().startswith(jpeg_bytes()[:3])  # no JPEG at rest
    new = Fernet.generate_key().decode()
    settings.HUXIAO_PEOPLE_KEYS = [new, *settings.HUXIAO_PEOPLE_KEYS]
    counts = crypto.rotate_registers()
    assert counts["人员审查"] == 1 and counts["教职员工"] == 1
    settings.HUXIAO_PEOPLE_KEYS = [new]  # the old key is gone: the number and the scan still read
    person.refresh_from_db()
    assert person.plain("id_number") == id_number(1)
    client.force_login(cast.centre_officer)
    response = client.get(reverse("staff:check-document", args=[check.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:3]
        == b"\xff\xd8\xff"
    )
    assert AuditEvent.objects.filter(action="staff.document", actor=cast.centre_officer).count() == 1
    client.force_login(cast.police)
    assert client.get(reverse("staff:check-document", args=[check.pk])).status_code == 404


def test_an_edit_without_a_number_keeps_the_one_on_file(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    fields = {f: getattr(person, f) for f in services.MEMBER_FIELDS}
    kept = services.member_update(
        acting_user=cast.qingsong_lead, member=person, expected_version=1, id_number="", **fields
    )
    assert kept.plain("id_number") == id_number(1) and kept.id_index
    changed = services.member_update(
        acting_user=cast.qingsong_lead, member=kept, expected_version=2, id_number=id_number(2), **fields
    )
    assert changed.plain("id_number") == id_number(2)
    assert AuditEvent.objects.filter(action="staff.update").order_by("-seq")[0].after == {
        "changed": ["id_number"]
    }


def test_audit_events_name_a_record_number_never_the_person_or_the_result(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    adverse(cast.qingsong_lead, person)
    for event in AuditEvent.objects.filter(action__startswith="staff."):
        assert person.name not in event.object_repr and f"人员#{person.pk}" in event.object_repr
        assert "adverse" not in str(event.after) and "盗窃" not in str(event.after)
    from huxiao.staff.access import reads_staff_audit

    assert reads_staff_audit(cast.centre_officer) and reads_staff_audit(cast.auditor)
    assert not reads_staff_audit(cast.police) and not reads_staff_audit(cast.sysadmin)


def test_leaving_does_not_wash_away_an_open_finding(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    adverse(cast.qingsong_lead, person)
    services.member_leave(
        acting_user=cast.qingsong_lead,
        member=person,
        expected_version=person.version,
        left_on=TODAY,
        reason="辞职",
    )
    for lead, school in ((cast.qingsong_lead, cast.qingsong), (cast.mingde_lead, cast.mingde)):
        with pytest.raises(ValidationError) as err:
            member(lead, school, 1, name="换个名字")
        assert "未办结" in str(err.value)


def test_a_reassigned_guard_is_not_counted_and_must_change_post_first(cast):
    from huxiao.staff.tests.builders import guard

    person = guard(cast.qingsong_lead, cast.qingsong)
    cleared(cast.qingsong_lead, person)
    check = adverse(cast.qingsong_lead, person)
    decided = services.check_decide(
        acting_user=cast.centre_officer,
        check=check,
        expected_version=1,
        decision=Decision.REASSIGN,
        reason="调离保安岗位",
    )
    with pytest.raises(ValidationError) as err:
        services.check_complete(
            acting_user=cast.qingsong_lead,
            check=decided,
            expected_version=decided.version,
            completed_on=TODAY,
            note="x",
        )
    assert "请先修改该人员的岗位" in str(err.value)
    assert not StaffMember.objects.qualified_guards().exists()
    fields = {f: getattr(person, f) for f in services.MEMBER_FIELDS}
    person = services.member_update(
        acting_user=cast.qingsong_lead,
        member=person,
        expected_version=person.version,
        **{**fields, "role": "worker"},
    )
    services.check_complete(
        acting_user=cast.qingsong_lead,
        check=decided,
        expected_version=decided.version,
        completed_on=TODAY,
        note="调后勤",
    )
    assert standing(person) == Standing.VALID


def test_a_pending_check_of_another_kind_does_not_hide_an_expired_one(cast):
    person = member(cast.qingsong_lead, cast.qingsong)
    cleared(cast.qingsong_lead, person, on=dt.date(2025, 1, 1))
    services.check_record(acting_user=cast.qingsong_lead, member=person, kind="other", requested_on=TODAY)
    assert standing(person) == Standing.EXPIRED
    services.check_record(acting_user=cast.qingsong_lead, member=person, kind="criminal", requested_on=TODAY)
    assert standing(person) == Standing.PENDING
