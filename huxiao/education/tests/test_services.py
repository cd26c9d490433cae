"""The writes: who records an activity (the school, its 法治辅导员) and who may not; a counsellor's
own lecture is also his visit; the 派出所 appoints its own officers only, and only as a 派出所;
the officer records his visits in his term; one audit event per write, none and nothing saved on
a refusal; photos checked before anything is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huxiao.accounts.models import User
from huxiao.accounts.roles import RoleCode
from huxiao.core.models import AuditEvent
from huxiao.education import services
from huxiao.education.choices import Occasion
from huxiao.education.models import ActivityPhoto, CounsellorAppointment, CounsellorVisit, EducationActivity
from huxiao.education.tests.builders import NOW, activity, appoint
from huxiao.testsupport.cast import audit_mark, audit_since, make_user
from huxiao.testsupport.files import photo, upload

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW), pytest.mark.usefixtures("media_root")]


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- Activities ----------------------------------------------------------------------------------


def test_a_school_records_its_activity_with_photos_and_one_audit_event(cast):
    mark = audit_mark()
    record = activity(cast.qingsong_lead, cast.qingsong, photos=[photo("a.jpg"), photo("b.jpg")])
    assert record.recording_unit == cast.qingsong.organisation and record.counsellor is None
    assert record.topics == ["fire", "electricity"] and record.audiences == ["students", "teachers"]
    assert ActivityPhoto.objects.filter(activity=record).count() == 2
    (event,) = audit_since(mark)
    assert event.action == "education.activity" and event.after["photos"] == 2
    assert event.region_path == cast.qingsong.region.path
    assert not CounsellorVisit.objects.exists()  # the school's record is not the officer's visit


def test_the_same_submission_twice_records_one_activity(cast):
    first = activity(cast.qingsong_lead, cast.qingsong, submission="t-1")
    again = activity(cast.qingsong_lead, cast.qingsong, submission="t-1")
    assert first.pk == again.pk and EducationActivity.objects.count() == 1
    assert events("education.activity") == 1


@pytest.mark.parametrize("who", ["mingde_lead", "centre_officer", "police", "official", "observer"])
def test_others_may_not_record_a_schools_activity(cast, who):
    with pytest.raises(PermissionDenied):
        activity(getattr(cast, who), cast.qingsong)
    assert not EducationActivity.objects.exists() and not events("education.activity")


def test_the_counsellors_own_lecture_is_also_his_visit(cast):
    appointment = appoint(cast)
    record = activity(
        cast.police, cast.qingsong, occasion=Occasion.CONSTITUTION_DAY, held_on=dt.date(2026, 11, 20)
    )
    assert record.counsellor == appointment and record.recording_unit == cast.pulv_police
    visit = CounsellorVisit.objects.get()
    assert visit.activity == record and visit.visited_on == dt.date(2026, 11, 20) and visit.head_count == 1200
    assert events("education.activity") == 1 and not events("education.visit")


def test_a_counsellor_records_nothing_outside_his_term_or_school(cast):
    appoint(cast, starts_on=dt.date(2026, 11, 1))
    with pytest.raises(PermissionDenied):
        activity(cast.police, cast.qingsong, held_on=dt.date(2026, 10, 30))
    with pytest.raises(PermissionDenied):
        activity(cast.police, cast.mingde)
    assert not EducationActivity.objects.exists()


def test_a_school_names_only_its_own_counsellor_in_his_term(cast):
    at_mingde = appoint(cast, cast.mingde)
    with pytest.raises(ValidationError) as refused:
        activity(cast.qingsong_lead, cast.qingsong, counsellor=at_mingde)
    assert "法治辅导员" in str(refused.value)
    ours = appoint(cast, starts_on=dt.date(2026, 11, 15))
    with pytest.raises(ValidationError):
        activity(cast.qingsong_lead, cast.qingsong, counsellor=ours, held_on=dt.date(2026, 11, 9))
    named = activity(cast.qingsong_lead, cast.qingsong, counsellor=ours, held_on=dt.date(2026, 11, 20))
    assert named.counsellor == ours and not CounsellorVisit.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"held_on": dt.date(2026, 11, 27)}, "held_on", "日期：不能晚于今天"),
        ({"occasion": "easter"}, "occasion", "时机"),
        ({"topics": []}, "topics", "主题：至少选择一项"),
        ({"topics": ["fire", "karate"]}, "topics", "主题：请从列表中选择"),
        ({"audiences": ["pets"]}, "audiences", "对象"),
        ({"head_count": 0}, "head_count", "参加人数"),
        ({"head_count": 100_001}, "head_count", "参加人数"),
        ({"head_count": 2**64}, "head_count", "参加人数"),
        ({"head_count": True}, "head_count", "参加人数"),
        ({"speaker": "  "}, "speaker", "主讲人：必填"),
        ({"title": "长" * 61}, "title", "活动名称"),
    ],
)
def test_bad_input_is_named_in_chinese_and_saves_nothing(cast, changes, field, words):
    with pytest.raises(ValidationError) as refused:
        activity(cast.qingsong_lead, cast.qingsong, **changes)
    assert field in refused.value.message_dict and words in str(refused.value.message_dict[field])
    assert not EducationActivity.objects.exists() and not events("education.activity")


def test_one_bad_photo_or_a_seventh_stores_nothing(cast, media_root):
    with pytest.raises(ValidationError) as refused:
        activity(cast.qingsong_lead, cast.qingsong, photos=[photo(), upload(b"not an image", "x.jpg")])
    assert "第2张照片" in str(refused.value)
    with pytest.raises(ValidationError):
        activity(cast.qingsong_lead, cast.qingsong, photos=[photo(f"{n}.jpg") for n in range(7)])
    assert not EducationActivity.objects.exists() and not ActivityPhoto.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


# --- Appointments --------------------------------------------------------------------------------


def test_the_station_appoints_its_officer_with_one_audit_event(cast):
    mark = audit_mark()
    appointment = appoint(cast, number="蒲吕派出所聘〔2026〕1号")
    assert appointment.station == cast.pulv_police and appointment.officer == cast.police
    (event,) = audit_since(mark)
    assert event.action == "education.appoint" and event.organisation == cast.pulv_police
    assert event.after["officer"] == "赵警官"


def test_a_leader_outside_a_station_holds_the_capability_but_appoints_no_one(cast):
    """`counsellor.appoint` is the leader's too, but it counts only in a 派出所."""
    with pytest.raises(PermissionDenied):
        appoint(cast, by=cast.official)
    assert not CounsellorAppointment.objects.exists() and not events("education.appoint")


def test_a_station_appoints_only_at_its_schools_and_only_its_officers(cast):
    with pytest.raises(PermissionDenied):
        appoint(cast, cast.shilong)  # no 派出所 named, none covers it
    with pytest.raises(PermissionDenied):
        appoint(cast, cast.binhe)  # 巴川's school
    bachuan_officer = make_user("bachuan_police", cast.bachuan_police, RoleCode.POLICE)
    with pytest.raises(ValidationError) as refused:
        appoint(cast, officer=bachuan_officer)
    assert "本所民警" in str(refused.value)
    with pytest.raises(ValidationError):
        appoint(cast, officer=cast.qingsong_lead)
    assert not CounsellorAppointment.objects.exists()


def test_a_station_leader_appoints_a_second_officer(cast):
    leader = make_user("suozhang", cast.pulv_police, RoleCode.LEADER)
    officer = make_user("minjing2", cast.pulv_police, RoleCode.POLICE, full_name="钱警官")
    appointment = appoint(cast, cast.mingde, officer=officer, by=leader)
    assert appointment.appointed_by == leader and appointment.officer == officer
    with pytest.raises(ValidationError):  # the leader records no visits: he is not a counsellor
        appoint(cast, cast.mingde, officer=leader, by=leader, number="另一号")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_on": dt.date(2027, 9, 1), "ends_on": dt.date(2027, 8, 31)}, "ends_on"),
        ({"starts_on": dt.date(2025, 9, 1), "ends_on": dt.date(2026, 8, 31)}, "ends_on"),  # over
        ({"starts_on": dt.date(2026, 9, 1), "ends_on": dt.date(2036, 8, 31)}, "ends_on"),  # > 5 years
        ({"number": "  "}, "letter_number"),
    ],
)
def test_a_bad_appointment_is_named_and_not_saved(cast, changes, field):
    args = {"starts_on": dt.date(2026, 9, 1), "ends_on": dt.date(2028, 8, 31), **changes}
    with pytest.raises(ValidationError) as refused:
        appoint(cast, **args)
    assert field in refused.value.message_dict
    assert not CounsellorAppointment.objects.exists() and not events("education.appoint")


def test_a_letter_number_and_a_term_are_not_given_twice(cast):
    appoint(cast, number="蒲吕派出所聘〔2026〕1号")
    with pytest.raises(ValidationError) as refused:
        appoint(cast, cast.mingde, number="蒲吕派出所聘〔2026〕1号")
    assert "letter_number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        appoint(cast, starts_on=dt.date(2027, 9, 1), ends_on=dt.date(2029, 8, 31), number="另一号")
    assert "已是该校的法治辅导员" in str(refused.value)
    assert CounsellorAppointment.objects.count() == 1 and events("education.appoint") == 1


# --- Visits --------------------------------------------------------------------------------------


def test_the_officer_records_his_visit_in_his_term(cast):
    appointment = appoint(cast, starts_on=dt.date(2026, 10, 1))
    mark = audit_mark()
    visit = services.visit_record(
        acting_user=cast.police,
        appointment=appointment,
        visited_on=dt.date(2026, 11, 20),
        content="检查护学岗",
        head_count=0,
    )
    (event,) = audit_since(mark)
    assert event.action == "education.visit" and event.object_id == str(visit.pk)
    for day in (dt.date(2026, 9, 30), dt.date(2026, 11, 27)):
        with pytest.raises(ValidationError):
            services.visit_record(
                acting_user=cast.police, appointment=appointment, visited_on=day, content="x"
            )
    with pytest.raises(ValidationError):
        services.visit_record(
            acting_user=cast.police, appointment=appointment, visited_on=dt.date(2026, 11, 20), content=" "
        )
    with pytest.raises(ValidationError):
        services.visit_record(
            acting_user=cast.police,
            appointment=appointment,
            visited_on=dt.date(2026, 11, 20),
            content="讲座",
            head_count=-1,
        )
    assert CounsellorVisit.objects.count() == 1 and events("education.visit") == 1


@pytest.mark.parametrize("who", ["qingsong_lead", "centre_officer", "official"])
def test_only_the_officer_records_his_visits(cast, who):
    appointment = appoint(cast)
    with pytest.raises(PermissionDenied):
        services.visit_record(
            acting_user=getattr(cast, who),
            appointment=appointment,
            visited_on=dt.date(2026, 11, 20),
            content="x",
        )
    assert not CounsellorVisit.objects.exists()


def test_an_officer_who_left_the_station_records_nothing(cast):
    appointment = appoint(cast)
    cast.police.memberships.update(is_active=False)
    gone = User.objects.get(pk=cast.police.pk)  # a new request: the scope is read afresh
    with pytest.raises(PermissionDenied):
        services.visit_record(
            acting_user=gone, appointment=appointment, visited_on=dt.date(2026, 11, 20), content="x"
        )
