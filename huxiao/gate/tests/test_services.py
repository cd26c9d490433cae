"""The gate log's writes: one audit event each (none on a refusal), Chinese errors naming the
field, the personal fields encrypted at rest, one record for a form sent twice, 离校 once only,
and the police's search: audited with a masked key, scoped to the station's schools."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from huxiao.accounts.roles import RoleCode
from huxiao.core.errors import ConflictError
from huxiao.core.models import AuditEvent
from huxiao.gate import services
from huxiao.gate.models import PickupException, VehicleEntry, VisitorEntry
from huxiao.gate.tests.builders import (
    NOW,
    at,
    bad_id_number,
    gatekeeper,
    id_number,
    keeper_at,
    pickup,
    vehicle,
    visitor,
)
from huxiao.testsupport.cast import audit_mark, audit_since, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]


@pytest.fixture
def guard(cast):
    return gatekeeper(cast)


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM gate_{table} WHERE id = %s", [pk])
        return cur.fetchone()[0]


# --- Registering ----------------------------------------------------------------------------------


def test_a_visitor_is_registered_now_audited_once_and_the_id_number_encrypted(cast, guard):
    mark = audit_mark()
    entry = visitor(guard, cast.qingsong, 1, screening_note="发现管制刀具已暂存门卫室")
    assert entry.entered_at == NOW and entry.left_at is None and entry.screened and entry.logged_by == guard
    events = audit_since(mark)
    assert [e.action for e in events] == ["gate.visitor"]
    assert events[0].organisation == cast.qingsong.organisation
    assert events[0].region_path == cast.qingsong.region.path
    assert "来访人1" not in str(events[0].after) + events[0].object_repr
    raw = stored("visitorentry", "id_number_enc", entry.pk)
    assert id_number(1) not in raw and entry.plain("id_number") == id_number(1)
    assert entry.id_index and id_number(1) not in entry.id_index


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"id_number": bad_id_number()}, "id_number", "身份证号：校验位不正确"),
        ({"id_number": "12345"}, "id_number", "身份证号：须为18位"),
        ({"id_number": ""}, "id_number", "身份证号：必填"),
        ({"name": "  "}, "name", "姓名：必填"),
        ({"reason": ""}, "reason", "事由：必填"),
        ({"host": ""}, "host", "被访人/部门：必填"),
        ({"entered_at": NOW + dt.timedelta(hours=1)}, "entered_at", "入校时间：不能晚于现在"),
    ],
)
def test_bad_visitor_input_is_refused_in_chinese_naming_the_field(cast, guard, changes, field, words):
    mark = audit_mark()
    with pytest.raises(ValidationError) as err:
        visitor(guard, cast.qingsong, **changes)
    assert field in err.value.message_dict and words in str(err.value)
    assert not VisitorEntry.objects.exists() and not audit_since(mark)


@pytest.mark.parametrize(
    ("typed", "plate"),
    [
        ("渝A12345", "渝A12345"),
        ("渝a·1234 5", "渝A12345"),
        ("渝AD12345", "渝AD12345"),
        ("川A12345D", "川A12345D"),
        ("渝ａ７Ｈ２６１", "渝A7H261"),
    ],
)
def test_a_plate_is_stored_normalised(cast, guard, typed, plate):
    assert vehicle(guard, cast.qingsong, typed).plate == plate


@pytest.mark.parametrize("typed", ["12345", "渝A1234", "渝AI2345", "渝A123456", "AA12345", "沪12345A", ""])
def test_a_bad_plate_is_refused_naming_the_plate(cast, guard, typed):
    mark = audit_mark()
    with pytest.raises(ValidationError) as err:
        vehicle(guard, cast.qingsong, typed)
    assert list(err.value.message_dict) == ["plate"] and "车牌号：" in str(err.value)
    assert not VehicleEntry.objects.exists() and not audit_since(mark)


def test_a_form_sent_twice_makes_one_record_and_one_event(cast, guard):
    mark = audit_mark()
    first = visitor(guard, cast.qingsong, 1, submission="same-token")
    again = visitor(guard, cast.qingsong, 1, submission="same-token")
    car = vehicle(guard, cast.qingsong, submission="car-token")
    assert vehicle(guard, cast.qingsong, submission="car-token") == car
    taken = pickup(guard, cast.qingsong, submission="pickup-token")
    assert pickup(guard, cast.qingsong, submission="pickup-token") == taken
    assert first == again and VisitorEntry.objects.count() == 1
    assert [e.action for e in audit_since(mark)] == ["gate.visitor", "gate.vehicle", "gate.pickup"]


@pytest.mark.parametrize("who", ["mingde_lead", "centre_officer", "police", "sysadmin", "outsider"])
def test_nobody_but_the_schools_own_keepers_logs_at_its_gate(cast, who):
    mark = audit_mark()
    with pytest.raises(PermissionDenied):
        visitor(getattr(cast, who), cast.qingsong)
    with pytest.raises(PermissionDenied):
        vehicle(getattr(cast, who), cast.qingsong)
    assert not audit_since(mark) and not VisitorEntry.objects.exists()


def test_the_safety_lead_and_the_principal_log_too(cast):
    principal = make_user("principal", cast.qingsong.organisation, RoleCode.PRINCIPAL)
    assert visitor(cast.qingsong_lead, cast.qingsong, 1).logged_by == cast.qingsong_lead
    assert vehicle(principal, cast.qingsong).logged_by == principal


def test_a_pickup_exception_keeps_the_childs_name_encrypted(cast, guard):
    mark = audit_mark()
    record = pickup(guard, cast.qingsong)
    assert [e.action for e in audit_since(mark)] == ["gate.pickup"]
    assert "张小明" not in stored("pickupexception", "child_name_enc", record.pk)
    assert record.plain("child_name") == "张小明" and record.plain("id_number") == id_number(500)
    assert "张小明" not in str(audit_since(mark)[0].after) + audit_since(mark)[0].object_repr


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"approved_by": ""}, "approved_by", "审批人：必填"),
        ({"child_name": ""}, "child_name", "学生姓名：必填"),
        ({"child_class": ""}, "child_class", "班级：必填"),
        ({"relation": "uncle"}, "relation", "与学生关系"),
        ({"id_number": bad_id_number(500)}, "id_number", "接走人身份证号：校验位不正确"),
    ],
)
def test_bad_pickup_input_is_refused_naming_the_field(cast, guard, changes, field, words):
    with pytest.raises(ValidationError) as err:
        pickup(guard, cast.qingsong, **changes)
    assert list(err.value.message_dict) == [field] and words in str(err.value)
    assert not PickupException.objects.exists()


def test_the_collectors_id_number_is_optional(cast, guard):
    assert pickup(guard, cast.qingsong, id_number="").id_index == ""


# --- 离校 ------------------------------------------------------------------------------------------


def test_leaving_is_one_audited_tap(cast, guard):
    entry = visitor(guard, cast.qingsong, entered_at=at(9, 0))
    mark = audit_mark()
    left = services.entry_leave(acting_user=guard, entry=entry, expected_version=entry.version)
    assert left.left_at == NOW and left.version == entry.version + 1
    events = audit_since(mark)
    assert [e.action for e in events] == ["gate.leave"] and events[0].after["kind"] == "visitor"


def test_a_second_tap_is_told_the_entry_has_left_already(cast, guard):
    car = vehicle(guard, cast.qingsong, entered_at=at(8, 0))
    services.entry_leave(acting_user=guard, entry=car, expected_version=car.version)
    mark = audit_mark()
    with pytest.raises(ConflictError) as err:
        services.entry_leave(acting_user=cast.qingsong_lead, entry=car, expected_version=car.version)
    assert "已于10:00登记离校" in err.value.message
    assert not audit_since(mark)


def test_a_stale_page_is_refused(cast, guard):
    entry = visitor(guard, cast.qingsong)
    VisitorEntry.objects.filter(pk=entry.pk).update(version=entry.version + 1)
    with pytest.raises(ConflictError):
        services.entry_leave(acting_user=guard, entry=entry, expected_version=entry.version)
    entry.refresh_from_db()
    assert entry.left_at is None


def test_leaving_before_coming_in_is_refused_naming_the_time(cast, guard):
    entry = visitor(guard, cast.qingsong, entered_at=at(9, 30))
    mark = audit_mark()
    with pytest.raises(ValidationError) as err:
        services.entry_leave(acting_user=guard, entry=entry, expected_version=None, left_at=at(9, 0))
    assert list(err.value.message_dict) == ["left_at"]
    assert "离校时间：不能早于入校时间（11月26日 09:30）" in str(err.value)
    entry.refresh_from_db()
    assert entry.left_at is None and not audit_since(mark)


def test_another_school_cannot_mark_a_departure(cast, guard):
    entry = visitor(guard, cast.qingsong)
    with pytest.raises(PermissionDenied):
        services.entry_leave(acting_user=cast.mingde_lead, entry=entry, expected_version=None)


# --- The police's search -----------------------------------------------------------------------------


@pytest.fixture
def binhe_guard(cast):
    """巴川's school (巴川派出所): outside 蒲吕派出所's reach."""
    return keeper_at(cast.binhe, "binhe_guard")


def test_the_police_find_a_plate_in_their_schools_and_the_search_is_audited_masked(cast, guard, binhe_guard):
    vehicle(guard, cast.qingsong, "渝A12345", driver="王大力", entered_at=at(8, 0))
    vehicle(cast.mingde_lead, cast.mingde, "渝A12345", driver="李四", entered_at=at(9, 0))
    vehicle(binhe_guard, cast.binhe, "渝A12345")  # another station's school
    vehicle(guard, cast.qingsong, "渝B99999")
    mark = audit_mark()
    result = services.gate_search(acting_user=cast.police, key="渝a 12345")
    assert [m.school for m in result.matches] == ["蒲吕明德小学", "蒲吕青松中学"]
    assert {m.who for m in result.matches} == {"王*力", "李*"}
    assert result.kind == "plate" and result.masked == "渝A***45"
    events = audit_since(mark)
    assert [e.action for e in events] == ["gate.search"]
    event = events[0]
    assert event.after == {"kind": "plate", "key": "渝A***45", "matches": 2}
    assert "12345" not in str(event.after) + event.object_repr
    assert event.organisation == cast.pulv_police and event.actor == cast.police


def test_the_police_find_a_person_by_id_number_in_visitors_and_collectors(cast, guard, binhe_guard):
    visitor(guard, cast.qingsong, 7, name="赵大宝", reason="维修")
    pickup(cast.mingde_lead, cast.mingde, id_number=id_number(7), picked_up_by="赵大宝")
    visitor(binhe_guard, cast.binhe, 7)
    visitor(guard, cast.qingsong, 8)
    mark = audit_mark()
    result = services.gate_search(acting_user=cast.police, key=id_number(7).lower())
    assert sorted((m.school, m.kind, m.who) for m in result.matches) == [
        ("蒲吕明德小学", "接送异常", "赵*宝"),
        ("蒲吕青松中学", "访客", "赵*宝"),
    ]
    event = audit_since(mark)[0]
    assert event.after["kind"] == "id_number" and event.after["key"] == "5002**********" + id_number(7)[-4:]
    assert id_number(7) not in str(event.after) + event.object_repr
    assert "张小明" not in str([m.__dict__ for m in result.matches])


@pytest.mark.parametrize("who", ["centre_officer", "qingsong_lead", "official", "sysadmin"])
def test_only_the_police_may_search(cast, guard, who):
    vehicle(guard, cast.qingsong)
    mark = audit_mark()
    with pytest.raises(PermissionDenied):
        services.gate_search(acting_user=getattr(cast, who), key="渝A12345")
    assert not audit_since(mark)


@pytest.mark.parametrize(
    ("key", "words"),
    [("", "必填"), ("渝A1", "请输入车牌号"), (bad_id_number(), "校验位不正确"), ("12345", "须为18位")],
)
def test_a_bad_search_key_is_refused_and_not_audited(cast, key, words):
    mark = audit_mark()
    with pytest.raises(ValidationError) as err:
        services.gate_search(acting_user=cast.police, key=key)
    assert (
        list(err.value.message_dict) == ["key"]
        and "车牌号或身份证号：" in str(err.value)
        and words in str(err.value)
    )
    assert not audit_since(mark)
    assert not AuditEvent.objects.filter(action="gate.search").exists()


def test_key_rotation_keeps_every_record_readable(cast, guard, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    entry = visitor(guard, cast.qingsong, 1)
    record = pickup(guard, cast.qingsong)
    new = Fernet.generate_key().decode()
    settings.HUXIAO_PEOPLE_KEYS = [new, *settings.HUXIAO_PEOPLE_KEYS]
    call_command("rotate_register_keys", stdout=io.StringIO())
    settings.HUXIAO_PEOPLE_KEYS = [new]  # the old key is gone: every record still reads
    assert VisitorEntry.objects.get(pk=entry.pk).plain("id_number") == id_number(1)
    assert PickupException.objects.get(pk=record.pk).plain("child_name") == "张小明"
