"""hazards:hazard-bulk — 核实立案 for the ticked 待核实 rows, each with the version its row
showed; every hazard is done or skipped with the reason, never half-applied."""

import pytest
from django.urls import reverse

from huxiao.accounts import services as account_services
from huxiao.accounts.roles import RoleCode
from huxiao.hazards import services
from huxiao.hazards.choices import State
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.hazards import bachuan_school, fresh, make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")

URL = reverse("hazards:hazard-bulk")


def bulk_data(*hazards, versions=None):
    data = {"action": "confirm", "ids": [h.pk for h in hazards], "back": "state=reported"}
    for h in hazards:
        data[f"v_{h.pk}"] = (versions or {}).get(h.pk, h.version)
    return data


def outcomes(response):
    return {o["pk"]: (o["done"], o["message"]) for o in response.context["outcomes"]}


def test_it_sends_an_anonymous_visitor_to_login(cast, client):
    hazard = make_hazard(cast)
    assert_redirects_to_login(client.post(URL, bulk_data(hazard)))
    assert fresh(hazard).state == State.REPORTED


def test_it_answers_403_to_a_read_only_role(cast, client):
    hazard = make_hazard(cast)
    client.force_login(cast.observer)
    assert client.post(URL, bulk_data(hazard)).status_code == 403
    assert fresh(hazard).state == State.REPORTED


def test_get_is_refused(cast, client):
    client.force_login(cast.police)
    assert client.get(URL).status_code == 405


def test_hazards_outside_the_scope_are_skipped_as_not_found(cast, client):
    hazard = make_hazard(cast)
    client.force_login(cast.outsider)
    mark = audit_mark()
    response = client.post(URL, bulk_data(hazard))
    assert response.status_code == 200
    assert outcomes(response) == {hazard.pk: (False, "隐患不存在或不在您的管辖范围内。")}
    assert hazard.title not in response.content.decode()
    assert fresh(hazard).state == State.REPORTED
    assert audit_since(mark) == []


def test_a_reviewer_confirms_the_ticked_hazards_one_by_one(cast, client):
    first, second = make_hazard(cast, title="甲"), make_hazard(cast, cast.mingde, title="乙")
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.post(URL, bulk_data(first, second))
    assert response.status_code == 200
    assert {pk: done for pk, (done, _m) in outcomes(response).items()} == {first.pk: True, second.pk: True}
    assert fresh(first).state == fresh(second).state == State.OPEN
    assert [(e.action, e.actor) for e in audit_since(mark)] == [("hazard.confirm", cast.police)] * 2
    page = response.content.decode()
    assert "已核实立案 <b>2</b> 项" in page
    assert reverse("hazards:hazard-list") + "?state=reported" in page


def test_a_stale_version_is_reported_and_the_others_still_go_through(cast, client):
    stale, other, done = (
        make_hazard(cast, title="被改过"),
        make_hazard(cast, title="正常"),
        make_hazard(cast, title="已立案"),
    )
    shown = {stale.pk: stale.version, other.pk: other.version, done.pk: done.version}
    # meanwhile someone else confirms one hazard and edits the version of another
    services.hazard_transition(
        acting_user=cast.safety_officer, hazard=done, action="confirm", expected_version=done.version
    )
    services.hazard_record_temp_measures(
        acting_user=cast.qingsong_lead, hazard=stale, text="拉警戒线"
    )  # no version bump
    services.hazard_transition(
        acting_user=cast.safety_officer,
        hazard=stale,
        action="dismiss",
        expected_version=stale.version,
        reason="重复登记",
    )
    client.force_login(cast.police)
    mark = audit_mark()
    response = client.post(URL, bulk_data(stale, other, done, versions=shown))
    result = outcomes(response)
    assert result[other.pk] == (True, "已核实立案，整改期限2026年3月19日。")
    assert result[stale.pk][0] is False
    assert (
        "该隐患已被林晓梅于2026年3月10日 10:00处理（当前状态：不予立案），您的操作未执行。"
        in result[stale.pk][1]
    )
    assert result[done.pk][0] is False and "当前状态：待整改" in result[done.pk][1]
    assert fresh(stale).state == State.DISMISSED and fresh(done).state == State.OPEN
    assert [e.action for e in audit_since(mark)] == ["hazard.confirm"]
    assert "跳过 <b>2</b> 项" in response.content.decode()


def test_a_row_without_its_version_is_skipped(cast, client):
    hazard = make_hazard(cast)
    client.force_login(cast.police)
    response = client.post(URL, {"action": "confirm", "ids": [hazard.pk]})
    assert outcomes(response) == {hazard.pk: (False, "缺少页面版本信息，请刷新页面后重试。")}
    assert fresh(hazard).state == State.REPORTED


def test_the_outsider_confirms_in_their_own_subdistrict(cast, client):
    hazard = make_hazard(cast, bachuan_school(cast))
    client.force_login(cast.outsider)
    response = client.post(URL, bulk_data(hazard))
    assert outcomes(response)[hazard.pk][0] is True
    assert fresh(hazard).state == State.OPEN


def test_a_hazard_the_user_only_may_view_is_skipped(cast, client):
    """A reviewer in 巴川 who is also a read-only observer of 蒲吕 sees 青松's hazard but may not
    confirm it."""
    hazard = make_hazard(cast)
    account_services.membership_grant(
        acting_user=None, user=cast.outsider, organisation=cast.pulv_office, role=RoleCode.OBSERVER
    )
    client.force_login(cast.outsider)
    response = client.post(URL, bulk_data(hazard))
    assert outcomes(response) == {hazard.pk: (False, "您的角色不能核实该校的隐患。")}
    assert fresh(hazard).state == State.REPORTED


def test_nothing_ticked_goes_back_to_the_register_with_a_message(cast, client):
    client.force_login(cast.police)
    response = client.post(URL, {"action": "confirm", "back": "state=reported"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("hazards:hazard-list") + "?state=reported"
    assert "请先勾选要处理的隐患。" in response.content.decode()


def test_a_crafted_back_link_stays_a_query_on_the_register(cast, client):
    client.force_login(cast.police)
    response = client.post(URL, {"action": "confirm", "back": "a=1\r\nSet-Cookie: x=y"})
    assert response.status_code == 302
    assert response.url == reverse("hazards:hazard-list") + "?a=1%0D%0ASet-Cookie%3A+x%3Dy"
