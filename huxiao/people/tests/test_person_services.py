"""Registering and following a key person: encrypted at rest, found by the blind index, a visit
moves the next review, 失控 tells the 平安办 and 政法委 at once, every write audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from huxiao.core import crypto
from huxiao.notifications.models import Notification
from huxiao.people import services
from huxiao.people.choices import FoundState, PersonStatus, Risk
from huxiao.people.models import Category, KeyPerson
from huxiao.testsupport.cast import audit_mark, audit_since

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]
ID = "500151199001011233"  # a valid check digit


def register(cast, **changes):
    values = dict(
        acting_user=cast.police,
        station=cast.pulv_police,
        officer=cast.police,
        region=cast.pulv_community,
        category=Category.objects.get(name="严重精神障碍患者（易肇事肇祸）"),
        risk=Risk.HIGH,
        name="张小明",
        id_number=ID,
        phone="13812345678",
        address="蒲吕社区青松路8号",
        guardian="张大山（父）13900001111",
        notes="曾有伤人史，服药不规律。",
    )
    values.update(changes)
    return services.person_register(**values)


def test_the_station_registers_a_person_encrypted_at_rest(cast):
    mark = audit_mark()
    person = register(cast)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name_enc, id_number_enc, phone_enc FROM people_keyperson WHERE id = %s", [person.pk]
        )
        row = cursor.fetchone()
    for cipher in row:
        assert cipher and "张小明" not in cipher and ID not in cipher and "138" not in cipher
    assert person.plain("name") == "张小明" and person.plain("id_number") == ID
    assert person.review_due == dt.date(2026, 11, 26) + dt.timedelta(days=7)  # 高: every 7 days
    (event,) = audit_since(mark)
    assert event.action == "people.person_register" and "张" not in event.object_repr
    assert KeyPerson.objects.filter(name_index=crypto.blind_index("张 小明", "name")).get() == person
    assert KeyPerson.objects.filter(id_index=crypto.blind_index(ID.lower(), "id")).get() == person


def test_bad_input_names_the_field_and_nothing_is_saved(cast):
    for changes, field in (
        ({"id_number": "500151199001011234"}, "id_number"),  # wrong check digit
        ({"id_number": "123"}, "id_number"),
        ({"name": ""}, "name"),
        ({"name": "张\x0b三"}, "name"),
        ({"phone": "abc"}, "phone"),
        ({"listed_on": dt.date(9999, 12, 31)}, "listed_on"),
        ({"latitude": "91", "longitude": "106"}, "latitude"),
    ):
        with pytest.raises(ValidationError) as exc:
            register(cast, **changes)
        assert field in exc.value.message_dict, (changes, exc.value)
    assert not KeyPerson.objects.exists()


def test_a_second_registration_of_the_same_id_is_refused_and_a_double_click_creates_one(cast):
    first = register(cast, submission="a1b2")
    assert register(cast, submission="a1b2") == first  # the same form sent twice
    with pytest.raises(ValidationError) as exc:
        register(cast, submission="c3d4")
    assert first.code in exc.value.message_dict["id_number"][0]
    assert KeyPerson.objects.count() == 1


def test_only_the_station_registers(cast):
    for user in (cast.safety_officer, cast.centre_officer, cast.official, cast.sysadmin, cast.qingsong_lead):
        with pytest.raises(PermissionDenied):
            register(cast, acting_user=user)


def test_a_visit_finding_him_lost_tells_the_station_the_safety_office_and_the_district(
    cast, django_capture_on_commit_callbacks
):
    person = register(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_record(
            acting_user=cast.police,
            person=person,
            visited_on=dt.date(2026, 11, 26),
            found=FoundState.LOST,
            dynamics="家中无人，电话关机",
        )
    person.refresh_from_db()
    assert person.status == PersonStatus.LOST
    told = set(Notification.objects.filter(kind="people_lost").values_list("user__username", flat=True))
    assert {"police", "safety_officer", "official"} <= told
    assert "outsider" not in told and "centre_officer" not in told
    assert not Notification.objects.filter(title__contains="张").exists()  # no names in messages
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_record(
            acting_user=cast.police,
            person=person,
            visited_on=dt.date(2026, 11, 26),
            found=FoundState.IN_CONTROL,
        )
    person.refresh_from_db()
    assert person.status == PersonStatus.LISTED


def test_a_lost_key_gives_a_clear_error_and_rotation_keeps_every_record(cast, settings):
    from cryptography.fernet import Fernet

    person = register(cast)
    old = list(settings.HUXIAO_PEOPLE_KEYS)
    settings.HUXIAO_PEOPLE_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.SensitiveDataUnavailable) as exc:
        KeyPerson.objects.get(pk=person.pk).plain("name")
    assert "密钥" in exc.value.message
    new = Fernet.generate_key().decode()
    settings.HUXIAO_PEOPLE_KEYS = [new, *old]
    crypto.rotate_registers()
    settings.HUXIAO_PEOPLE_KEYS = [new]  # the old key is gone: every record still reads
    assert KeyPerson.objects.get(pk=person.pk).plain("name") == "张小明"


def test_the_station_head_delists_and_the_record_is_erased_after_the_retention(cast, settings, client):
    from huxiao.accounts.roles import RoleCode
    from huxiao.testsupport.cast import make_user

    person = register(cast)
    with pytest.raises(PermissionDenied):  # the officer cannot approve his own de-listing
        services.person_delist(
            acting_user=cast.police, person=person, expected_version=person.version, reason="病情稳定"
        )
    head = make_user("suozhang", cast.pulv_police, RoleCode.LEADER, full_name="李所长")
    person = services.person_delist(
        acting_user=head, person=person, expected_version=person.version, reason="病情稳定一年以上"
    )
    assert person.status == PersonStatus.DELISTED and person.events.filter(approver=head).exists()
    assert (
        services.erase_expired(
            dt.date(2026, 11, 26) + dt.timedelta(days=settings.HUXIAO_PEOPLE_RETENTION_DAYS)
        )
        == 0
    )
    later = dt.date(2026, 11, 27) + dt.timedelta(days=settings.HUXIAO_PEOPLE_RETENTION_DAYS)
    assert services.erase_expired(later) == 1
    person.refresh_from_db()
    assert person.erased_at and not person.name_enc and not person.id_number_enc and not person.name_index
    assert person.category.name and person.listed_on  # the aggregate trail stays
    assert services.erase_expired(later) == 0  # once
    client.force_login(cast.police)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "（已删除）" in page and "到期删除" in page


def test_an_overdue_review_tells_the_officer_then_the_station_head(cast, django_capture_on_commit_callbacks):
    from huxiao.accounts.roles import RoleCode
    from huxiao.testsupport.cast import make_user

    head = make_user("suozhang", cast.pulv_police, RoleCode.LEADER)
    person = register(cast)  # 高: due 2026-12-03
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_reviews(dt.date(2026, 12, 3)) == 0  # due today: not yet overdue
        assert services.remind_reviews(dt.date(2026, 12, 4)) == 1
    told = Notification.objects.filter(kind="people_review")
    assert set(told.values_list("user__username", flat=True)) == {"police"}
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_reviews(dt.date(2026, 12, 4))  # a second run sends nothing twice
        services.remind_reviews(dt.date(2026, 12, 6))  # three days late: the head too
    assert told.filter(user=cast.police).count() == 1 and told.filter(user=head).count() == 1
    assert person.code in told.get(user=head).title and "张" not in told.get(user=head).title


def test_an_erased_record_cannot_be_opened_for_editing(cast, client, settings):
    from huxiao.accounts.roles import RoleCode
    from huxiao.testsupport.cast import make_user

    person = register(cast)
    head = make_user("suozhang", cast.pulv_police, RoleCode.LEADER)
    services.person_delist(
        acting_user=head, person=person, expected_version=person.version, reason="病情稳定一年"
    )
    services.erase_expired(dt.date(2026, 11, 27) + dt.timedelta(days=settings.HUXIAO_PEOPLE_RETENTION_DAYS))
    client.force_login(cast.police)
    response = client.get(f"/people/{person.pk}/edit/")
    assert response.status_code == 302 and response.url == f"/people/{person.pk}/"
