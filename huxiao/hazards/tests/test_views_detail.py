"""hazards:hazard-detail — one hazard: facts, deadline, photos before/after, the timeline, and
only the actions the user may take now."""

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.hazards import services
from huxiao.hazards.escalation import escalate_overdue
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.files import photo, png_bytes, upload
from huxiao.testsupport.hazards import make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


def url(hazard):
    return reverse("hazards:hazard-detail", args=[hazard.pk])


def page_for(client, user, hazard):
    client.force_login(user)
    response = client.get(url(hazard))
    assert response.status_code == 200
    return response


def action_names(response):
    return [a["name"] for a in response.context["actions"]]


def test_it_sends_an_anonymous_visitor_to_login(cast, client):
    assert_redirects_to_login(client.get(url(make_hazard(cast))))


def test_it_answers_404_outside_the_scope(cast, client):
    hazard = make_hazard(cast)
    client.force_login(cast.outsider)
    assert client.get(url(hazard)).status_code == 404
    assert client.get(reverse("hazards:hazard-detail", args=[99999])).status_code == 404


def test_the_observer_reads_everything_but_may_do_nothing(cast, client):
    hazard = make_hazard(cast, photos=[photo()])
    mark = audit_mark()
    response = page_for(client, cast.observer, hazard)
    page = response.content.decode()
    assert hazard.title in page and hazard.code in page and "3号宿舍楼" in page
    assert action_names(response) == []
    assert response.context["evidence_form"] is None
    assert 'id="actions"' not in page
    assert audit_since(mark) == []


def test_the_timeline_lists_every_event_with_who_which_unit_and_when(cast, client):
    hazard = make_hazard(cast, state="submitted")
    page = page_for(client, cast.police, hazard).content.decode()
    timeline = page[page.index('id="timeline"') :]
    for kind in ("登记隐患", "核实立案", "开始整改", "提交验收"):
        assert kind in timeline
    assert "2026年3月10日 10:00" in timeline  # cn_datetime, Asia/Shanghai
    assert "赵警官 · 蒲吕派出所" in timeline
    assert "罗志强 · 蒲吕青松中学" in timeline
    assert "整改中 → 待验收" in timeline
    assert "整改完毕" in timeline  # the submit note


def test_before_and_after_photos_stand_side_by_side_through_the_scoped_view(cast, client):
    hazard = make_hazard(cast, state="rectifying", photos=[upload(png_bytes(), "before.png", "image/png")])
    services.hazard_transition(
        acting_user=cast.qingsong_lead,
        hazard=hazard,
        action="submit",
        expected_version=hazard.version,
        note="已清理",
        photos=[photo("after.jpg")],
    )
    response = page_for(client, cast.police, hazard)
    photos = response.context["file"].photos
    before, after = photos["before"][0], photos["after"][0]
    page = response.content.decode()
    compare = page[page.index('class="photo-compare"') : page.index('id="timeline"')]
    assert compare.index("整改前") < compare.index(f"/attachments/{before.pk}/thumb/")
    assert compare.index("整改后") < compare.index(f"/attachments/{after.pk}/thumb/")
    assert f'href="{reverse("hazards:attachment", args=[after.pk, "full"])}"' in compare
    assert "/media/" not in page
    # the event that brought each photo shows it too
    timeline = page[page.index('id="timeline"') :]
    assert f"/attachments/{after.pk}/thumb/" in timeline


@pytest.mark.parametrize(
    ("state", "member", "expected"),
    [
        ("reported", "police", ["confirm", "dismiss", "fix_on_spot"]),
        ("reported", "qingsong_lead", []),
        ("open", "qingsong_lead", ["start"]),
        ("open", "centre_officer", ["fix_on_spot"]),
        ("rectifying", "qingsong_lead", ["submit"]),
        ("submitted", "police", ["return", "accept"]),
        ("submitted", "qingsong_lead", []),
        ("closed", "safety_officer", ["reopen"]),
        ("dismissed", "police", []),
    ],
)
def test_it_offers_only_the_transitions_the_user_may_take_now(cast, client, state, member, expected):
    hazard = make_hazard(cast, state=state)
    response = page_for(client, getattr(cast, member), hazard)
    assert action_names(response) == expected
    page = response.content.decode()
    for name in expected:
        assert reverse("hazards:hazard-act", args=[hazard.pk, name]) in page
    assert page.count(f'name="expected_version" value="{hazard.version}"') == len(expected)


def test_the_documents_and_the_notice_link(cast, client):
    hazard = make_hazard(cast, state="open")
    page = page_for(client, cast.police, hazard).content.decode()
    assert reverse("hazards:hazard-dossier", args=[hazard.pk]) in page
    assert "整改档案（Word）" in page
    assert f"{reverse('hazards:notice-issue')}?school={cast.qingsong.pk}&amp;hazards={hazard.pk}" in page
    assert (
        reverse("hazards:notice-issue") not in page_for(client, cast.safety_officer, hazard).content.decode()
    )
    submitted = make_hazard(cast, state="submitted")  # no notice for a hazard awaiting acceptance
    assert reverse("hazards:notice-issue") not in page_for(client, cast.police, submitted).content.decode()


def test_the_confirm_form_names_the_current_deadline(cast, client):
    hazard = make_hazard(cast)
    page = page_for(client, cast.police, hazard).content.decode()
    assert "留空则保持现期限（2026年3月19日）。" in page


def test_overdue_with_its_escalation_rung_and_its_letter(cast, client):
    hazard = make_hazard(cast, state="open", found_on=dt.date(2026, 2, 2), deadline=dt.date(2026, 3, 2))
    escalate_overdue()
    response = page_for(client, cast.safety_officer, hazard)
    assert response.context["deadline"].overdue_days == 6
    page = response.content.decode()
    assert "逾期 6 个工作日" in page
    rungs = response.context["file"].escalations
    assert [r.get_level_display() for r in rungs] == ["督办", "约谈"]
    for rung in rungs:
        assert reverse("hazards:escalation-docx", args=[rung.pk]) in page
    assert '<span class="tag bad">约谈</span>' in page


def test_due_soon_and_the_estimate_warning_for_an_unpublished_year(cast, client):
    soon = make_hazard(cast, state="open", deadline=dt.date(2026, 3, 12))
    assert "还剩 2 个工作日" in page_for(client, cast.police, soon).content.decode()
    late = make_hazard(cast, state="open", deadline=dt.date(2099, 3, 12))
    page = page_for(client, cast.police, late).content.decode()
    assert "2099年放假调休安排尚未收录" in page


def test_the_notices_it_is_on_link_to_the_notice(cast, client):
    hazard = make_hazard(cast, state="open")
    notice = services.notice_issue(
        acting_user=cast.police,
        issuer=cast.pulv_police,
        school=cast.qingsong,
        hazards=[hazard],
        deadline=dt.date(2026, 3, 31),
    )
    page = page_for(client, cast.qingsong_lead, hazard).content.decode()
    link = reverse("hazards:notice-detail", args=[notice.pk])
    assert page.count(link) == 2  # in 期限与督办 and on the timeline's 下发整改通知书 entry
    assert notice.number in page


def test_a_major_hazard_shows_its_plan_and_who_may_make_it(cast, client):
    hazard = make_hazard(cast, state="open", severity="major")
    page = page_for(client, cast.police, hazard).content.decode()
    assert "重大隐患须由学区管理中心牵头制定整改方案" in page
    assert reverse("hazards:hazard-plan", args=[hazard.pk]) not in page
    page = page_for(client, cast.centre_officer, hazard).content.decode()
    assert reverse("hazards:hazard-plan", args=[hazard.pk]) in page
    services.plan_record(
        acting_user=cast.centre_officer,
        hazard=hazard,
        summary="分期加固",
        tasks=[("加固东墙", "总务处", dt.date(2026, 4, 30))],
    )
    page = page_for(client, cast.qingsong_lead, hazard).content.decode()
    assert "分期加固" in page and "加固东墙" in page and "2026年4月30日" in page
    assert "蒲吕学区管理中心 牵头" in page


def test_a_hazard_the_platform_raised_says_so_instead_of_none(cast, client):
    hazard = make_hazard(cast)
    type(hazard).objects.filter(pk=hazard.pk).update(found_by=None, found_by_org=None, source="standard")
    text = page_for(client, cast.police, hazard).content.decode()
    assert "· None" not in text and "平台自动发现（标准比对）" in text
