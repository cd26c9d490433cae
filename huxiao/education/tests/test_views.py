"""The education pages as each role meets them: anonymous → login, out of reach → 404 (the three
administrators reach nothing), a read-only role → 403 on the forms, a school records through the
form with photos (once, however often it is sent), bad input is named in Chinese and saves
nothing, the 派出所 appoints and its officer records a visit through the pages, the schools
needing attention are listed for the station and the 学区, and the lists' queries are pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huxiao.core.models import AuditEvent
from huxiao.education import services
from huxiao.education.models import ActivityPhoto, CounsellorAppointment, CounsellorVisit, EducationActivity
from huxiao.education.tests.builders import NOW, activity, appoint
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, assert_redirects_to_login
from huxiao.testsupport.files import photo

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW), pytest.mark.usefixtures("media_root")]

LIST = reverse("education:activity-list")
CREATE = reverse("education:activity-create")
COUNSELLORS = reverse("education:counsellor-list")
APPOINT = reverse("education:appointment-create")


def form(at, **changes) -> dict:
    data = {
        "school": at.pk,
        "held_on": "2026-11-09",
        "occasion": "fire_day",
        "title": "消防疏散演练",
        "topics": ["fire", "electricity"],
        "audiences": ["students"],
        "grades": "全校",
        "head_count": "1200",
        "speaker": "区消防救援支队 李峰",
        "counsellor": "",
        "submission": "t-1",
    }
    data.update(changes)
    return data


@pytest.fixture
def records(cast):
    appointment = appoint(cast)
    record = activity(cast.qingsong_lead, cast.qingsong, photos=[photo()])
    return appointment, record


def _urls(appointment, record) -> list[str]:
    photo_pk = record.photos.get().pk
    return [
        LIST,
        CREATE,
        COUNSELLORS,
        APPOINT,
        reverse("education:activity-detail", args=[record.pk]),
        reverse("education:activity-photo", args=[record.pk, photo_pk, "thumb"]),
        reverse("education:visit-create", args=[appointment.pk]),
        reverse("education:appointment-letter", args=[appointment.pk]),
    ]


def test_anonymous_users_are_sent_to_log_in(client, records):
    for url in _urls(*records):
        assert_redirects_to_login(client.get(url))


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "secadmin"])
def test_the_three_administrators_reach_nothing(cast, client, records, who):
    client.force_login(getattr(cast, who))
    for url in _urls(*records):
        assert client.get(url).status_code == 404, url
    assert client.post(CREATE, form(cast.qingsong)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "mingde_lead"])
def test_a_record_out_of_reach_is_a_404(cast, client, records, who):
    appointment, record = records
    client.force_login(getattr(cast, who))
    for url in _urls(appointment, record)[4:]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("education:visit-create", args=[appointment.pk]), {}).status_code == 404


def test_a_read_only_role_reads_but_gets_no_form(cast, client, records):
    client.force_login(cast.observer)
    assert client.get(LIST).status_code == 200 and client.get(COUNSELLORS).status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form(cast.qingsong)).status_code == 403
    assert client.get(APPOINT).status_code == 403
    appointment, _record = records
    assert client.get(reverse("education:visit-create", args=[appointment.pk])).status_code == 403
    assert not EducationActivity.objects.filter(recorded_by=cast.observer).exists()


def test_a_school_records_through_the_form_once_however_often_it_is_sent(cast, client):
    client.force_login(cast.qingsong_lead)
    page = client.get(CREATE + "?occasion=constitution_day").content.decode()
    assert (
        "防不法侵害" in page and cast.mingde.name not in page and 'value="constitution_day" selected' in page
    )
    data = form(cast.qingsong, photos=[photo("a.jpg"), photo("b.jpg")])
    first = client.post(CREATE, data)
    data["photos"] = [photo("a.jpg"), photo("b.jpg")]
    second = client.post(CREATE, data)
    record = EducationActivity.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("education:activity-detail", args=[record.pk])
    assert record.head_count == 1200 and record.topics == ["fire", "electricity"]
    assert ActivityPhoto.objects.filter(activity=record).count() == 2
    event = AuditEvent.objects.get(action="education.activity")
    assert event.actor == cast.qingsong_lead and event.object_id == str(record.pk)
    detail = client.get(first["Location"]).content.decode()
    assert "防火、防电" in detail and "1200人次" in detail
    photo_pk = record.photos.first().pk
    for size in ("thumb", "full"):
        response = client.get(reverse("education:activity-photo", args=[record.pk, photo_pk, size]))
        assert response.status_code == 200 and response["Content-Type"].startswith("image/")
    assert (
        client.get(reverse("education:activity-photo", args=[record.pk, photo_pk, "huge"])).status_code == 404
    )
    assert (
        client.get(reverse("education:activity-photo", args=[record.pk, photo_pk + 99, "full"])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"held_on": "9999-12-31"}, "held_on", "日期"),
        ({"held_on": "2026-11-27"}, "held_on", "不能晚于今天"),
        ({"title": "消防\x0b演练"}, "title", "控制字符"),
        ({"speaker": "李\u202e峰"}, "speaker", "控制字符"),
        ({"head_count": str(2**64)}, "head_count", "参加人数"),
        ({"head_count": "0"}, "head_count", "参加人数"),
        ({"topics": ["fire", "karate"]}, "topics", "主题"),
        ({"topics": []}, "topics", "主题"),
        ({"occasion": "easter"}, "occasion", "时机"),
        ({"school": str(2**64)}, "school", "学校"),
        ({"counsellor": "999999"}, "counsellor", "法治辅导员"),
    ],
)
def test_bad_input_is_named_in_chinese_and_saves_nothing(cast, client, changes, field, words):
    client.force_login(cast.qingsong_lead)
    response = client.post(CREATE, form(cast.qingsong, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in response.content.decode()
    assert (
        not EducationActivity.objects.exists()
        and not AuditEvent.objects.filter(action="education.activity").exists()
    )


def test_seven_photos_are_refused_and_nothing_is_stored(cast, client, media_root):
    client.force_login(cast.qingsong_lead)
    response = client.post(CREATE, form(cast.qingsong, photos=[photo(f"{n}.jpg") for n in range(7)]))
    assert response.status_code == 200 and "最多上传6张照片" in response.content.decode()
    assert not EducationActivity.objects.exists() and not any(p.is_file() for p in media_root.rglob("*"))


def test_the_station_appoints_and_its_officer_records_a_visit_through_the_pages(cast, client):
    client.force_login(cast.police)
    page = client.get(APPOINT).content.decode()
    assert "蒲吕派出所聘〔2026〕1号" in page and cast.shilong.name not in page
    data = {
        "school": cast.mingde.pk,
        "officer": cast.police.pk,
        "starts_on": "2026-09-01",
        "ends_on": "2028-08-31",
        "letter_number": "蒲吕派出所聘〔2026〕1号",
        "submission": "a-1",
    }
    assert client.post(APPOINT, data).status_code == 302
    assert client.post(APPOINT, data).status_code == 302  # sent twice: one appointment
    appointment = CounsellorAppointment.objects.get()
    assert appointment.school == cast.mingde and appointment.officer == cast.police
    assert AuditEvent.objects.filter(action="education.appoint", actor=cast.police).count() == 1
    refused = client.post(APPOINT, {**data, "submission": "a-2", "school": cast.qingsong.pk})
    assert refused.status_code == 200 and "本所已有该编号的聘书" in refused.content.decode()
    visit = reverse("education:visit-create", args=[appointment.pk])
    bad = client.post(
        visit, {"visited_on": "2026-08-31", "content": "讲座", "head_count": "0", "submission": "v"}
    )
    assert bad.status_code == 200 and "进校日期：须在聘期内" in bad.content.decode()
    ok = {"visited_on": "2026-11-20", "content": "预防欺凌法治讲座", "head_count": "300", "submission": "v-1"}
    assert client.post(visit, ok).status_code == 302
    assert CounsellorVisit.objects.get().head_count == 300
    assert AuditEvent.objects.filter(action="education.visit", actor=cast.police).count() == 1
    listing = client.get(COUNSELLORS).content.decode()
    assert "我担任法治辅导员的学校" in listing and "2026年11月20日" in listing


@pytest.mark.parametrize("who", ["centre_officer", "qingsong_lead", "official"])
def test_others_do_not_appoint(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(APPOINT).status_code == 403
    assert not CounsellorAppointment.objects.exists()


def test_the_schools_needing_attention_are_listed_for_the_station_and_the_district(cast, client):
    at_qingsong = appoint(cast)
    services.visit_record(
        acting_user=cast.police, appointment=at_qingsong, visited_on=dt.date(2026, 10, 15), content="进校"
    )
    at_mingde = appoint(cast, cast.mingde, starts_on=dt.date(2026, 3, 1))
    services.visit_record(
        acting_user=cast.police, appointment=at_mingde, visited_on=dt.date(2026, 6, 10), content="上学期进校"
    )
    for who in ("police", "centre_officer"):
        client.force_login(getattr(cast, who))
        page = client.get(COUNSELLORS).content.decode()
        attention = page.split("需关注的学校")[1].split("</section>")[0]
        assert "需关注的学校（1）" in page, who
        assert cast.mingde.name in attention and "本学期未进校" in attention and "2026年6月10日" in attention
        assert cast.qingsong.name not in attention
    client.force_login(cast.official)
    attention = client.get(COUNSELLORS).content.decode().split("需关注的学校")[1].split("</section>")[0]
    assert cast.shilong.name in attention and "未配备法治辅导员" in attention and cast.binhe.name in attention


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_queries_are_pinned_and_do_not_grow_with_the_rows(cast, client):
    client.force_login(cast.police)
    appointment = appoint(cast)
    activity(cast.qingsong_lead, cast.qingsong, photos=[photo()])
    few = (_count(client, LIST), _count(client, COUNSELLORS))
    appoint(cast, cast.mingde)
    for n in range(4):
        activity(cast.mingde_lead, cast.mingde, held_on=dt.date(2026, 11, 10 + n), photos=[photo()])
        services.visit_record(
            acting_user=cast.police,
            appointment=appointment,
            visited_on=dt.date(2026, 11, 10 + n),
            content="进校",
        )
    many = (_count(client, LIST), _count(client, COUNSELLORS))
    # the list: the school filter's choices, the rows, whether the user records; the counsellors
    # page: the schools with their last visit, their current appointments, the appointments, his own
    assert few == many == (SIGNED_IN_PAGE_QUERIES + 3, SIGNED_IN_PAGE_QUERIES + 4)
