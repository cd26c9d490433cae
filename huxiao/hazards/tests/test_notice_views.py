"""The notice, escalation and export pages (notice_views.py): for each, anonymous → login,
outside the scope → 404, without the capability → 403, permitted → the page, the database
change and the audit event."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.accounts import services as account_services
from huxiao.accounts.roles import RoleCode
from huxiao.accounts.scope import forget_scope
from huxiao.hazards import services
from huxiao.hazards.choices import Escalation, EventKind, State
from huxiao.hazards.exports import HEADERS
from huxiao.hazards.models import Hazard, HazardEvent, RectificationNotice
from huxiao.hazards.tests.notice_factories import (
    DEADLINE,
    frozen,  # noqa: F401  (fixture)
    issue,
    listed,
    noticed,
    police_of_bachuan,
    rung,
)
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.hazards import drive, fresh, make_hazard

pytestmark = pytest.mark.usefixtures("frozen", "media_root")


def u(name, *args):
    return reverse(f"hazards:{name}", args=args)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- notice_list ---------------------------------------------------------------------------


def test_the_notice_list_needs_a_login_and_a_role_that_sees_schools(cast, client):
    assert_redirects_to_login(client.get(u("notice-list")))
    client.force_login(cast.auditor)
    assert client.get(u("notice-list")).status_code == 403


def test_the_notice_list_shows_the_notices_in_scope_only(cast, client):
    notice = noticed(cast)
    for member, sees in [
        ("police", True),
        ("qingsong_lead", True),
        ("observer", True),
        ("safety_officer", True),
        ("mingde_lead", False),
        ("outsider", False),
    ]:
        client.force_login(getattr(cast, member))
        response = client.get(u("notice-list"))
        assert response.status_code == 200
        assert (notice in list(response.context["page"])) is sees, member


def test_the_police_see_their_own_stations_notices_by_default_and_may_widen(cast, client):
    noticed(cast)
    # a second issuing unit for the same officer, so there is something to filter between
    account_services.membership_grant(
        acting_user=None, user=cast.police, organisation=cast.pulv_centre, role=RoleCode.POLICE
    )
    forget_scope(cast.police)
    other = make_hazard(cast, state=State.OPEN, title="食堂燃气报警器失效")
    services.notice_issue(
        acting_user=cast.police,
        issuer=cast.pulv_centre,
        school=cast.qingsong,
        hazards=[other],
        deadline=DEADLINE,
    )
    client.force_login(cast.police)
    response = client.get(u("notice-list"))
    form = response.context["form"]
    default = form["issuer"].value()
    shown = {n.issuer_id for n in response.context["page"]}
    assert len(shown) == 1 and str(shown.pop()) == str(default)
    everything = client.get(u("notice-list"), {"issuer": ""})
    assert {n.issuer_id for n in everything.context["page"]} == {cast.pulv_police.pk, cast.pulv_centre.pk}


def test_the_notice_list_filters_by_signed_and_year(cast, client):
    notice = noticed(cast)
    client.force_login(cast.qingsong_lead)
    assert "issuer" not in client.get(u("notice-list")).context["form"].fields
    assert list(client.get(u("notice-list"), {"signed": "no"}).context["page"]) == [notice]
    assert list(client.get(u("notice-list"), {"signed": "yes"}).context["page"]) == []
    assert list(client.get(u("notice-list"), {"year": "2026"}).context["page"]) == [notice]
    # a year nobody issued in is not a choice: the filter is ignored, with the form's error
    response = client.get(u("notice-list"), {"year": "1999"})
    assert response.status_code == 200 and response.context["form"].errors


# session, user, memberships, their regions, the issuing units, the years, page count, the
# unread count, the page of notices, and the session save (savepoint, update, release)
NOTICE_LIST_QUERIES = 12


@pytest.mark.parametrize("extra", [0, 6])
def test_the_notice_list_query_count_does_not_grow(cast, client, django_assert_num_queries, extra):
    noticed(cast)
    for i in range(extra):
        issue(cast, [make_hazard(cast, state=State.OPEN, title=f"隐患{i}")])
    client.force_login(cast.police)
    with django_assert_num_queries(NOTICE_LIST_QUERIES):
        response = client.get(u("notice-list"))
    assert len(response.context["page"].object_list) == 1 + extra


# --- notice_issue ---------------------------------------------------------------------------


def issue_data(cast, chosen, **changes):
    data = {
        "school": cast.qingsong.pk,
        "issuer": cast.pulv_police.pk,
        "hazards": [h.pk for h in chosen],
        "deadline": "2026-12-10",
        "requirements": "整改完成后附照片书面报告。",
    }
    data.update(changes)
    return data


def test_issuing_needs_a_login_and_the_notice_capability(cast, client):
    assert_redirects_to_login(client.get(u("notice-issue")))
    hazard = make_hazard(cast, state=State.OPEN)
    for member in ("observer", "qingsong_lead", "safety_officer", "sysadmin"):
        client.force_login(getattr(cast, member))
        mark = audit_mark()
        assert client.get(u("notice-issue"), {"school": cast.qingsong.pk}).status_code == 403, member
        assert client.post(u("notice-issue"), issue_data(cast, [hazard])).status_code == 403, member
        assert audit_since(mark) == []
    assert not RectificationNotice.objects.exists()


def test_a_police_officer_cannot_issue_to_another_stations_school(cast, client):
    hazard = make_hazard(cast, state=State.OPEN)
    client.force_login(police_of_bachuan(cast))
    assert client.get(u("notice-issue"), {"school": cast.qingsong.pk}).status_code == 404
    assert client.post(u("notice-issue"), issue_data(cast, [hazard])).status_code == 404
    assert client.get(u("notice-issue"), {"school": "abc"}).status_code == 404
    assert not RectificationNotice.objects.exists()


def test_without_a_school_the_officer_first_picks_one_of_theirs(cast, client):
    client.force_login(cast.police)
    response = client.get(u("notice-issue"))
    assert response.status_code == 200
    assert set(response.context["picker"].fields["school"].queryset) == {cast.qingsong, cast.mingde}


def test_the_form_preselects_the_hazards_and_the_latest_deadline(cast, client):
    early = make_hazard(cast, state=State.OPEN, deadline=dt.date(2026, 12, 3))
    late = make_hazard(cast, state=State.REPORTED, deadline=dt.date(2026, 12, 18))
    closed = make_hazard(cast, state=State.CLOSED)
    at_mingde = make_hazard(cast, cast.mingde, state=State.OPEN)
    client.force_login(cast.police)
    response = client.get(
        u("notice-issue"), {"school": cast.qingsong.pk, "hazards": f"{early.pk},{late.pk},{at_mingde.pk},x"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["hazards"] == [early.pk, late.pk]
    assert form.initial["deadline"] == dt.date(2026, 12, 18)
    assert form.initial["issuer"] == cast.pulv_police.pk
    choices = set(form.fields["hazards"].queryset)
    assert {early, late} <= choices and closed not in choices and at_mingde not in choices


def test_an_overdue_selection_gets_a_deadline_from_today(cast, client):
    overdue = make_hazard(
        cast, state=State.OPEN, found_on=dt.date(2026, 11, 2), deadline=dt.date(2026, 11, 11)
    )
    client.force_login(cast.police)
    form = client.get(u("notice-issue"), {"school": cast.qingsong.pk, "hazards": overdue.pk}).context["form"]
    assert form.initial["deadline"] > dt.date(2026, 11, 29)


def test_the_police_issue_a_notice(cast, client):
    first = make_hazard(cast, state=State.OPEN, title="宿舍楼消防通道堆放杂物")
    second = make_hazard(cast, state=State.REPORTED, title="校门防冲撞设施缺失")
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.post(u("notice-issue"), issue_data(cast, [first, second]))
    notice = RectificationNotice.objects.get()
    assert response.status_code == 302
    assert response.url == u("notice-detail", notice.pk)
    assert notice.number == "蒲吕派出所整字〔2026〕第0001号"
    assert notice.issuer == cast.pulv_police and notice.school == cast.qingsong
    assert set(notice.hazards.all()) == {first, second}
    assert notice.deadline == DEADLINE
    assert fresh(second).state == State.OPEN and fresh(first).deadline == DEADLINE
    [event] = audit_since(mark)
    assert event.action == "notice.issue"
    assert event.actor == cast.police
    assert event.after["number"] == notice.number


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadline": "2026-11-20"}, "整改期限不能早于今天"),
        ({"hazards": []}, "请至少选择一项隐患"),
        ({"deadline": "明天"}, "整改期限"),
    ],
)
def test_bad_input_is_answered_in_chinese_on_the_form(cast, client, changes, message):
    hazard = make_hazard(cast, state=State.OPEN)
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.post(u("notice-issue"), issue_data(cast, [hazard], **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RectificationNotice.objects.exists()
    assert audit_since(mark) == []


def test_a_hazard_of_another_school_cannot_be_slipped_in(cast, client):
    mine = make_hazard(cast, state=State.OPEN)
    theirs = make_hazard(cast, cast.mingde, state=State.OPEN)
    client.force_login(cast.police)
    response = client.post(u("notice-issue"), issue_data(cast, [mine, theirs]))
    assert response.status_code == 200
    assert response.context["form"].errors["hazards"]
    assert not RectificationNotice.objects.exists()


# --- notice_detail and notice_sign -------------------------------------------------------


def test_the_notice_page_follows_the_scope(cast, client):
    notice = noticed(cast)
    assert_redirects_to_login(client.get(u("notice-detail", notice.pk)))
    for member in ("outsider", "mingde_lead", "auditor"):
        client.force_login(getattr(cast, member))
        assert client.get(u("notice-detail", notice.pk)).status_code == 404, member
    client.force_login(cast.observer)
    response = client.get(u("notice-detail", notice.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert notice.number in html and "宿舍楼消防通道堆放杂物" in html and "校门防冲撞设施缺失" in html
    assert response.context["can_sign"] is False


def test_only_the_school_side_is_offered_the_sign_button(cast, client):
    notice = noticed(cast)
    client.force_login(cast.police)
    assert client.get(u("notice-detail", notice.pk)).context["can_sign"] is False
    client.force_login(cast.qingsong_lead)
    response = client.get(u("notice-detail", notice.pk))
    assert response.context["can_sign"] is True
    assert u("notice-sign", notice.pk) in response.content.decode()


def test_signing_follows_the_scope_and_the_role(cast, client):
    notice = noticed(cast)
    url = u("notice-sign", notice.pk)
    assert_redirects_to_login(client.post(url))
    mark = audit_mark()
    for member, status in [("outsider", 404), ("mingde_lead", 404), ("observer", 403), ("police", 403)]:
        client.force_login(getattr(cast, member))
        assert client.post(url).status_code == status, member
    client.force_login(cast.qingsong_lead)
    assert client.get(url).status_code == 405
    assert audit_since(mark) == []
    assert RectificationNotice.objects.get().signed_at is None


def test_the_school_signs_for_the_notice(cast, client):
    notice = noticed(cast)
    client.force_login(cast.qingsong_lead)
    mark = audit_mark()
    response = client.post(u("notice-sign", notice.pk), follow=True)
    assert response.status_code == 200
    assert any("已签收整改通知书" in m for m in messages_of(response))
    notice.refresh_from_db()
    assert notice.signed_by == cast.qingsong_lead and notice.signed_at is not None
    assert all(h.state == State.RECTIFYING for h in notice.hazards.all())
    [event] = audit_since(mark)
    assert event.action == "notice.sign" and event.actor == cast.qingsong_lead


def test_signing_twice_tells_who_signed_first(cast, client):
    notice = noticed(cast)
    client.force_login(cast.qingsong_lead)
    client.post(u("notice-sign", notice.pk))
    mark = audit_mark()
    response = client.post(u("notice-sign", notice.pk), follow=True)
    assert response.status_code == 200
    assert any("该通知书已由罗志强于2026年11月29日 10:00签收" in m for m in messages_of(response))
    assert audit_since(mark) == []


# --- notice_docx, escalation_docx, hazard_dossier: scope ----------------------------------


def test_the_documents_follow_the_scope(cast, client):
    notice = noticed(cast)
    hazard = listed(cast)
    urls = [
        u("notice-docx", notice.pk),
        u("escalation-docx", rung(hazard, Escalation.SUPERVISE).pk),
        u("escalation-docx", rung(hazard, Escalation.INTERVIEW).pk),
        u("escalation-docx", rung(hazard, Escalation.LISTED).pk),
        u("hazard-dossier", hazard.pk),
    ]
    for url in urls:
        assert_redirects_to_login(client.get(url))
    for member in ("outsider", "mingde_lead"):
        client.force_login(getattr(cast, member))
        for url in urls:
            assert client.get(url).status_code == 404, (member, url)
    client.force_login(cast.observer)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessing"
        )
        assert "attachment" in response["Content-Disposition"]


def test_a_document_is_named_by_its_number(cast, client):
    notice = noticed(cast)
    client.force_login(cast.qingsong_lead)
    disposition = client.get(u("notice-docx", notice.pk))["Content-Disposition"]
    assert "filename*=utf-8''" in disposition
    assert quote(f"{notice.number}.docx") in disposition


def test_an_unknown_rung_is_not_found(cast, client):
    client.force_login(cast.safety_officer)
    assert client.get(u("escalation-docx", 999)).status_code == 404
    assert client.get(u("escalation-record", 999)).status_code == 404


# --- listed_list -----------------------------------------------------------------------------


def test_the_listed_page_needs_a_login_and_a_role_that_sees_schools(cast, client):
    assert_redirects_to_login(client.get(u("listed-list")))
    client.force_login(cast.auditor)
    assert client.get(u("listed-list")).status_code == 403


def test_the_listed_page_shows_the_listed_hazards_and_the_lower_rungs(cast, client):
    hazard = listed(cast)
    client.force_login(cast.safety_officer)
    response = client.get(u("listed-list"))
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["hazard"] == hazard
    assert row["overdue_days"] == 25
    assert row["rung"].number == "蒲吕街道平安办挂牌〔2026〕第0001号"
    assert row["rung"].issuer == cast.pulv_safety_office
    levels = sorted(r.level for r in response.context["page"])
    assert levels == [Escalation.SUPERVISE, Escalation.INTERVIEW]
    html = response.content.decode()
    assert "蒲吕青松中学" in html and "25 个工作日" in html
    assert u("escalation-record", rung(hazard, Escalation.INTERVIEW).pk) in html  # the 平安办 records


def test_the_listed_page_shows_nothing_outside_the_scope(cast, client):
    hazard = listed(cast)
    client.force_login(cast.outsider)
    response = client.get(u("listed-list"))
    assert response.context["rows"] == [] and list(response.context["page"]) == []
    client.force_login(cast.police)
    response = client.get(u("listed-list"))
    assert [r["hazard"] for r in response.context["rows"]] == [hazard]
    assert u("escalation-record", rung(hazard, Escalation.INTERVIEW).pk) not in response.content.decode()


def test_a_closed_hazard_leaves_the_listed_section(cast, client):
    hazard = listed(cast)
    drive(cast, fresh(hazard), State.CLOSED)
    client.force_login(cast.safety_officer)
    response = client.get(u("listed-list"))
    assert response.context["rows"] == []
    assert all(r.lifted_at for r in response.context["page"])


# session, user, memberships, their regions, the listed hazards, their 挂牌 rungs, page count,
# the unread count, the page of rungs, and the session save (savepoint, update, release)
LISTED_QUERIES = 12


@pytest.mark.parametrize("extra", [0, 3])
def test_the_listed_page_query_count_does_not_grow(cast, client, django_assert_num_queries, extra):
    for i in range(1 + extra):
        listed(cast, description=f"第{i}项")
    client.force_login(cast.safety_officer)
    with django_assert_num_queries(LISTED_QUERIES):
        response = client.get(u("listed-list"))
    assert len(response.context["rows"]) == 1 + extra


# --- escalation_record -------------------------------------------------------------------


def test_recording_an_interview_follows_the_scope_and_the_issuer(cast, client):
    hazard = listed(cast)
    url = u("escalation-record", rung(hazard, Escalation.INTERVIEW).pk)
    data = {"attendees": "蒲吕街道平安办：林晓梅", "minutes": "学校承诺12月5日前整改完毕。"}
    assert_redirects_to_login(client.get(url))
    mark = audit_mark()
    for member, status in [
        ("outsider", 404),
        ("mingde_lead", 404),
        ("observer", 403),
        ("police", 403),  # reviews hazards, but the rung was issued by the 平安办
        ("qingsong_lead", 403),
    ]:
        client.force_login(getattr(cast, member))
        assert client.get(url).status_code == status, member
        assert client.post(url, data).status_code == status, member
    assert audit_since(mark) == []
    assert rung(hazard, Escalation.INTERVIEW).minutes == ""


def test_the_safety_office_records_the_interview(cast, client):
    hazard = listed(cast)
    interview = rung(hazard, Escalation.INTERVIEW)
    url = u("escalation-record", interview.pk)
    client.force_login(cast.safety_officer)
    assert client.get(url).status_code == 200
    mark = audit_mark()
    response = client.post(
        url,
        {
            "attendees": "蒲吕街道平安办：林晓梅\n蒲吕青松中学：罗志强",
            "minutes": "学校承诺12月5日前整改完毕。",
        },
    )
    assert response.status_code == 302 and response.url == u("listed-list")
    interview.refresh_from_db()
    assert interview.attendees == "蒲吕街道平安办：林晓梅\n蒲吕青松中学：罗志强"
    assert interview.minutes == "学校承诺12月5日前整改完毕。"
    assert interview.recorded_by == cast.safety_officer
    [event] = audit_since(mark)
    assert event.action == "hazard.interview_record"
    assert event.actor == cast.safety_officer
    assert event.organisation == cast.pulv_safety_office
    assert event.before == {"attendees": "", "minutes": ""}
    note = HazardEvent.objects.filter(hazard=hazard, kind=EventKind.ESCALATED).latest("pk")
    assert note.data["interview"] == interview.pk and "学校承诺" in note.note


def test_an_empty_interview_record_is_refused_in_chinese(cast, client):
    interview = rung(listed(cast), Escalation.INTERVIEW)
    client.force_login(cast.safety_officer)
    mark = audit_mark()
    response = client.post(u("escalation-record", interview.pk), {"attendees": " ", "minutes": ""})
    assert response.status_code == 200
    assert "参加人员" in response.content.decode()
    assert audit_since(mark) == []


def test_only_an_interview_rung_has_a_record(cast, client):
    supervise = rung(listed(cast), Escalation.SUPERVISE)
    client.force_login(cast.safety_officer)
    assert client.get(u("escalation-record", supervise.pk)).status_code == 404


# --- hazard_export ---------------------------------------------------------------------------


def sheet_rows(response):
    """(title, unit/date line, data rows as dicts) of the downloaded register."""
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["隐患台账"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[2]) == HEADERS
    return values[0][0], values[1][0], [dict(zip(HEADERS, row, strict=True)) for row in values[3:]]


def test_the_export_needs_a_login_and_the_export_capability(cast, client):
    assert_redirects_to_login(client.get(u("hazard-export")))
    for member in ("sysadmin", "auditor"):
        client.force_login(getattr(cast, member))
        assert client.get(u("hazard-export")).status_code == 403, member


def test_the_police_export_exactly_their_hazards_and_it_is_recorded(cast, client):
    notice = noticed(cast)
    at_mingde = make_hazard(cast, cast.mingde, state=State.OPEN, title="明德小学的隐患")
    formula = make_hazard(cast, state=State.OPEN, title='=HYPERLINK("http://x","点我")')
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.get(u("hazard-export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    title, unit_line, rows = sheet_rows(response)
    assert title == "安全隐患排查整治台账"
    assert "蒲吕派出所" in unit_line and "2026年11月29日" in unit_line
    visible = Hazard.objects.visible_to(cast.police)
    assert len(rows) == visible.count() == 4
    assert {r["学校"] for r in rows} == {"蒲吕青松中学", "蒲吕明德小学"}
    by_code = {r["编号"]: r for r in rows}
    assert by_code[formula.code]["隐患名称"] == '\'=HYPERLINK("http://x","点我")'
    first = notice.hazards.order_by("pk").first()
    assert by_code[first.code]["通知书文号"] == notice.number
    assert by_code[first.code]["整改期限"] == "2026年12月10日"
    assert by_code[first.code]["是否逾期"] == "否"
    [event] = audit_since(mark)
    assert event.action == "hazard.export" and event.actor == cast.police
    assert event.after == {"rows": 4}
    # the 明德 safety lead gets 明德's row only
    client.force_login(cast.mingde_lead)
    assert [r["编号"] for r in sheet_rows(client.get(u("hazard-export")))[2]] == [at_mingde.code]


def test_the_export_marks_overdue_and_escalated_hazards(cast, client):
    hazard = listed(cast)
    client.force_login(cast.safety_officer)
    _title, _unit, rows = sheet_rows(client.get(u("hazard-export")))
    [row] = [r for r in rows if r["编号"] == hazard.code]
    assert row["是否逾期"] == "是" and row["督办等级"] == "挂牌督办" and row["状态"] == "待整改"


def test_the_outsider_exports_nothing_of_pulv(cast, client):
    noticed(cast)
    client.force_login(cast.outsider)
    _title, _unit, rows = sheet_rows(client.get(u("hazard-export")))
    assert rows == []


def test_the_export_applies_the_register_filters(cast, client):
    noticed(cast)
    at_mingde = make_hazard(cast, cast.mingde, state=State.OPEN, title="明德小学的隐患")
    closed = make_hazard(cast, state=State.CLOSED, title="已整改的隐患")
    client.force_login(cast.police)
    _t, _u, rows = sheet_rows(client.get(u("hazard-export"), {"school": cast.mingde.pk}))
    assert [r["编号"] for r in rows] == [at_mingde.code]
    _t, _u, rows = sheet_rows(client.get(u("hazard-export"), {"state": "closed"}))
    assert [r["编号"] for r in rows] == [closed.code]
    assert rows[0]["销号时间"] == "2026年11月29日 10:00"


def test_a_double_click_on_issue_gives_one_numbered_notice(cast, client):
    """Hardening finding 9: two posts of the same form issued 第0024号 and 第0025号 for one hazard."""
    hazard = make_hazard(cast, state=State.OPEN)
    client.force_login(cast.police)
    token = client.get(u("notice-issue"), {"school": cast.qingsong.pk}).context["form"]["submission"].initial
    data = {**issue_data(cast, [hazard]), "submission": token}
    first, second = client.post(u("notice-issue"), data), client.post(u("notice-issue"), data)
    notice = RectificationNotice.objects.get()
    assert first.url == second.url == u("notice-detail", notice.pk)
    assert notice.number == "蒲吕派出所整字〔2026〕第0001号"
    assert HazardEvent.objects.filter(hazard=hazard, kind=EventKind.NOTICE_ISSUED).count() == 1
