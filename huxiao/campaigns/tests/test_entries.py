"""Gates are enforced, not only shown: a school enters 验收 through a record — it applies
(申请进入验收), the office records 验收通过 or sends it back (退回) — and the services refuse
both steps while the school has an open 重大 hazard, naming the gate and linking the hazards."""

from __future__ import annotations

import pytest

from huxiao.campaigns import services
from huxiao.campaigns.choices import CampaignStatus, EntryStatus
from huxiao.campaigns.gates import GateBlocked
from huxiao.campaigns.models import PhaseEntry
from huxiao.campaigns.tests.factories import make_campaign, phase, today_fixture  # noqa: F401
from huxiao.core.errors import ConflictError
from huxiao.hazards.choices import Severity, State
from huxiao.notifications.models import Notification
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.hazards import drive, make_hazard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "today")]


def _url(campaign, school, action: str) -> str:
    acceptance = phase(campaign, "验收")
    return f"/campaigns/{campaign.pk}/phases/{acceptance.pk}/schools/{school.pk}/{action}/"


@pytest.fixture
def campaign(cast):
    return make_campaign(cast)


@pytest.fixture
def wall(cast):
    """青松中学's open 重大 hazard."""
    return make_hazard(
        cast, cast.qingsong, severity=Severity.MAJOR, state=State.RECTIFYING, title="东侧围墙倒塌风险"
    )


def test_a_school_with_an_open_major_hazard_cannot_apply(cast, client, campaign, wall):
    client.force_login(cast.qingsong_lead)
    mark = audit_mark()
    response = client.post(
        _url(campaign, cast.qingsong, "apply"), {"version": 0, "application": "已整改完毕"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "蒲吕青松中学不能申请进入验收阶段" in page and "不符合验收阶段的进入条件" in page
    assert "“无未销号的重大隐患”" in page
    assert f'href="/hazards/{wall.pk}/"' in page and "东侧围墙倒塌风险" in page
    assert not PhaseEntry.objects.exists() and audit_since(mark) == []


def test_the_office_cannot_record_a_pass_for_it_either(cast, client, campaign, wall):
    client.force_login(cast.centre_officer)
    response = client.post(_url(campaign, cast.qingsong, "pass"), {"version": 0, "note": "现场看过"})
    assert f'href="/hazards/{wall.pk}/"' in response.content.decode()
    assert not PhaseEntry.objects.exists()
    with pytest.raises(GateBlocked, match=r"不能记录验收通过.*无未销号的重大隐患.*东侧围墙倒塌风险"):
        services.entry_pass(
            acting_user=None, phase=phase(campaign, "验收"), school=cast.qingsong, expected_version=0
        )


def test_once_the_hazard_is_closed_the_school_applies_and_the_office_passes(
    cast, client, campaign, wall, django_capture_on_commit_callbacks
):
    drive(cast, wall, State.CLOSED)
    client.force_login(cast.qingsong_lead)
    mark = audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(campaign, cast.qingsong, "apply"), {"version": 0, "application": "围墙已加固并销号"}
        )
    assert response.status_code == 302 and response.url == f"/campaigns/{campaign.pk}/gates/"
    entry = PhaseEntry.objects.get(school=cast.qingsong)
    assert (entry.status, entry.applied_by, entry.application) == (
        EntryStatus.APPLIED,
        cast.qingsong_lead,
        "围墙已加固并销号",
    )
    (event,) = audit_since(mark)
    assert (event.action, event.actor, event.organisation) == (
        "campaign.entry_apply",
        cast.qingsong_lead,
        cast.qingsong.organisation,
    )
    assert Notification.objects.filter(user=cast.centre_officer, title__contains="申请进入验收阶段").exists()

    client.force_login(cast.centre_officer)
    mark = audit_mark()
    response = client.post(_url(campaign, cast.qingsong, "pass"), {"version": entry.version, "note": "同意"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.decided_by, entry.decision_note, entry.label) == (
        EntryStatus.PASSED,
        cast.centre_officer,
        "同意",
        "验收通过",
    )
    (event,) = audit_since(mark)
    assert event.action == "campaign.entry_pass" and event.before["status"] == "applied"
    page = client.get(f"/campaigns/{campaign.pk}/gates/").content.decode()
    assert "未申请 <b>1</b> · 已申请 <b>0</b> · 验收通过 <b>1</b>" in page  # the 学区's 青松 and 明德


def test_a_hazard_reported_after_the_page_was_drawn_is_caught(cast, client, campaign):
    client.force_login(cast.qingsong_lead)
    page = client.get(f"/campaigns/{campaign.pk}/gates/").content.decode()
    assert "申请进入验收" in page  # clean when the page was drawn …
    make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.REPORTED, title="食堂燃气泄漏")
    response = client.post(_url(campaign, cast.qingsong, "apply"), {"version": 0, "application": "申请"})
    assert "食堂燃气泄漏" in response.content.decode()  # … but the service checks again
    assert not PhaseEntry.objects.exists()


def test_a_general_hazard_does_not_block_the_major_gate(cast, campaign):
    make_hazard(cast, cast.mingde, severity=Severity.GENERAL, state=State.OPEN)
    entry = services.entry_pass(
        acting_user=cast.centre_officer,
        phase=phase(campaign, "验收"),
        school=cast.mingde,
        expected_version=0,
        note="现场验收",
    )
    assert entry.status == EntryStatus.PASSED and entry.applied_at is None  # passed without applying


def test_the_office_returns_and_the_school_applies_again(cast, client, campaign):
    acceptance = phase(campaign, "验收")
    entry = services.entry_apply(
        acting_user=cast.mingde_lead,
        phase=acceptance,
        school=cast.mingde,
        expected_version=0,
        application="申请",
    )
    client.force_login(cast.centre_officer)
    response = client.post(_url(campaign, cast.mingde, "return"), {"version": entry.version, "reason": ""})
    assert "请填写退回理由" in response.content.decode()
    client.post(_url(campaign, cast.mingde, "return"), {"version": entry.version, "reason": "台账不全"})
    entry.refresh_from_db()
    assert (entry.status, entry.decision_note) == (EntryStatus.RETURNED, "台账不全")
    client.force_login(cast.mingde_lead)
    client.post(_url(campaign, cast.mingde, "apply"), {"version": entry.version, "application": "已补齐台账"})
    entry.refresh_from_db()
    assert (entry.status, entry.application, entry.decided_at) == (EntryStatus.APPLIED, "已补齐台账", None)


def test_applying_needs_a_text_and_cannot_be_repeated(cast, campaign):
    acceptance = phase(campaign, "验收")
    with pytest.raises(Exception, match="请填写申请说明"):
        services.entry_apply(
            acting_user=cast.mingde_lead,
            phase=acceptance,
            school=cast.mingde,
            expected_version=0,
            application=" ",
        )
    entry = services.entry_apply(
        acting_user=cast.mingde_lead,
        phase=acceptance,
        school=cast.mingde,
        expected_version=0,
        application="申请",
    )
    with pytest.raises(Exception, match="蒲吕明德小学已申请，无需重复申请"):
        services.entry_apply(
            acting_user=cast.mingde_lead,
            phase=acceptance,
            school=cast.mingde,
            expected_version=entry.version,
            application="再申请",
        )


def test_two_officers_act_on_one_application_and_one_wins(cast, client, campaign):
    entry = services.entry_apply(
        acting_user=cast.mingde_lead,
        phase=phase(campaign, "验收"),
        school=cast.mingde,
        expected_version=0,
        application="申请",
    )
    client.force_login(cast.centre_officer)
    assert client.post(_url(campaign, cast.mingde, "pass"), {"version": entry.version}).status_code == 302
    client.force_login(cast.safety_officer)  # had the page open with the application
    response = client.post(
        _url(campaign, cast.mingde, "return"), {"version": entry.version, "reason": "不全"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "已由孙主任于2026年11月29日" in page and "当前：验收通过" in page  # who, when, what
    assert PhaseEntry.objects.get(pk=entry.pk).status == EntryStatus.PASSED


def test_a_second_first_application_is_a_conflict_not_a_duplicate(cast, campaign):
    acceptance = phase(campaign, "验收")
    services.entry_pass(
        acting_user=cast.centre_officer, phase=acceptance, school=cast.mingde, expected_version=0
    )
    with pytest.raises(ConflictError, match="当前：验收通过"):
        services.entry_apply(
            acting_user=cast.mingde_lead,
            phase=acceptance,
            school=cast.mingde,
            expected_version=0,
            application="申请",
        )
    assert PhaseEntry.objects.count() == 1


def test_a_version_for_a_school_without_a_record_is_a_conflict_not_a_500(cast, client, campaign):
    """A tampered page (found by core/tests/test_hostile_input.py) for a school that has not
    applied: the old code asserted a record existed and answered 500."""
    client.force_login(cast.centre_officer)
    for version in (1, 7):
        response = client.post(_url(campaign, cast.mingde, "pass"), {"version": version, "note": "同意"})
        assert response.status_code == 409 and "请刷新页面后重试" in response.content.decode()
    assert not PhaseEntry.objects.exists()


def test_who_may_act(cast, client, campaign):
    apply = {"version": 0, "application": "申请"}
    # another subdistrict: the campaign does not exist for it
    client.force_login(cast.outsider)
    for action in ("apply", "pass", "return"):
        assert client.post(_url(campaign, cast.qingsong, action), apply).status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/gates/").status_code == 404
    # another school's lead does not see 青松 at all
    client.force_login(cast.mingde_lead)
    assert client.post(_url(campaign, cast.qingsong, "apply"), apply).status_code == 404
    assert client.post(_url(campaign, cast.mingde, "pass"), {"version": 0}).status_code == 403
    # the police see the school but neither apply for it nor decide
    client.force_login(cast.police)
    assert client.post(_url(campaign, cast.qingsong, "apply"), apply).status_code == 403
    assert client.post(_url(campaign, cast.qingsong, "pass"), {"version": 0}).status_code == 403
    # read-only
    client.force_login(cast.observer)
    assert client.post(_url(campaign, cast.qingsong, "pass"), {"version": 0}).status_code == 403
    # a school outside the campaign's region is not one of its schools
    client.force_login(cast.official)
    assert client.post(_url(campaign, cast.binhe, "pass"), {"version": 0}).status_code == 404
    client.logout()
    assert_redirects_to_login(client.post(_url(campaign, cast.qingsong, "apply"), apply))
    assert not PhaseEntry.objects.exists()


def test_only_an_active_campaigns_gated_phase_takes_entries(cast, campaign):
    with pytest.raises(Exception, match="巩固提高阶段没有设置进入条件"):
        services.entry_pass(
            acting_user=None, phase=phase(campaign, "巩固提高"), school=cast.mingde, expected_version=0
        )
    services.campaign_update(
        acting_user=None, campaign=campaign, expected_version=campaign.version, status=CampaignStatus.CLOSED
    )
    with pytest.raises(Exception, match="本次行动已总结"):
        services.entry_pass(
            acting_user=None, phase=phase(campaign, "验收"), school=cast.mingde, expected_version=0
        )


def test_the_gate_page_shows_each_schools_standing_and_the_right_buttons(cast, client, campaign, wall):
    acceptance = phase(campaign, "验收")
    services.entry_apply(
        acting_user=cast.mingde_lead,
        phase=acceptance,
        school=cast.mingde,
        expected_version=0,
        application="申请",
    )
    client.force_login(cast.safety_officer)  # 平安办: every school of 蒲吕
    page = client.get(f"/campaigns/{campaign.pk}/gates/").content.decode()
    assert "未申请 <b>2</b> · 已申请 <b>1</b> · 验收通过 <b>0</b> · 已退回 <b>0</b>" in page
    assert "不符合条件，不能办理验收通过" in page  # 青松: no pass button
    assert page.count("确认验收通过") == 2 and page.count("确认退回") == 1  # 明德, 石龙; 明德
    assert "提交申请" not in page  # the office does not apply for schools
    client.force_login(cast.qingsong_lead)
    page = client.get(f"/campaigns/{campaign.pk}/gates/").content.decode()
    assert "整改销号后可申请" in page and "提交申请" not in page and "确认验收通过" not in page
    client.force_login(cast.mingde_lead)
    page = client.get(f"/campaigns/{campaign.pk}/gates/").content.decode()
    assert "已申请" in page and "提交申请" not in page  # waiting for the office


def test_a_pass_followed_by_a_new_major_hazard_is_flagged(cast, client, campaign):
    services.entry_pass(
        acting_user=None, phase=phase(campaign, "验收"), school=cast.mingde, expected_version=0
    )
    make_hazard(cast, cast.mingde, severity=Severity.MAJOR, state=State.OPEN)
    client.force_login(cast.centre_officer)
    page = client.get(f"/campaigns/{campaign.pk}/gates/").content.decode()
    assert "通过后出现不符合条件的隐患" in page and "确认退回" in page


def test_the_campaign_page_counts_the_users_schools(cast, client, campaign):
    acceptance = phase(campaign, "验收")
    services.entry_pass(acting_user=None, phase=acceptance, school=cast.mingde, expected_version=0)
    services.entry_apply(
        acting_user=cast.qingsong_lead,
        phase=acceptance,
        school=cast.qingsong,
        expected_version=0,
        application="申",
    )
    client.force_login(cast.centre_officer)  # 学区: 青松 and 明德
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "进入验收阶段（2所学校）：未申请 <b>0</b> · 已申请 <b>1</b> · 验收通过 <b>1</b>" in page
    client.force_login(cast.safety_officer)  # 平安办: the whole subdistrict
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "进入验收阶段（3所学校）：未申请 <b>1</b>" in page
    client.force_login(cast.qingsong_lead)  # a school: itself only
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "进入验收阶段（1所学校）：未申请 <b>0</b> · 已申请 <b>1</b> · 验收通过 <b>0</b>" in page


@pytest.mark.parametrize("entries", [0, 2])
def test_gate_page_queries(cast, client, django_assert_num_queries, campaign, entries):
    acceptance = phase(campaign, "验收")
    for school in [cast.mingde, cast.shilong][:entries]:
        services.entry_pass(acting_user=None, phase=acceptance, school=school, expected_version=0)
    make_hazard(cast, cast.qingsong, severity=Severity.MAJOR, state=State.OPEN)
    client.force_login(cast.official)
    # campaign, schools, phases, entries, the gate (one query), can-manage
    with django_assert_num_queries(SIGNED_IN_PAGE_QUERIES + 6):
        response = client.get(f"/campaigns/{campaign.pk}/gates/")
    assert response.status_code == 200


def test_a_pass_is_called_验收通过_only_in_an_acceptance_phase(cast, campaign):
    assert phase(campaign, "验收").pass_label == "验收通过"
    assert phase(campaign, "巩固提高").pass_label == "准予进入"
