"""数据看板 and 数据大屏: figures equal independent counts on fixed data, scope, access."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from huxiao.dashboards import selectors
from huxiao.dashboards.boards import board
from huxiao.hazards.choices import LIVE_STATES, Escalation, Severity, State
from huxiao.hazards.models import Hazard
from huxiao.testsupport.cast import assert_redirects_to_login, audit_mark, audit_since
from huxiao.testsupport.hazards import bachuan_school, make_hazard

pytestmark = pytest.mark.usefixtures("media_root")

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def hazards(cast):
    """A fixed register: 青松 and 明德 (蒲吕) with hazards in every state, one of them overdue
    and escalated, one closed late; one hazard in 巴川 that no 蒲吕 user may see."""
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=timezone.get_current_timezone()), tick=False):
        made = {
            "reported": make_hazard(cast, state=State.REPORTED),
            "open_major": make_hazard(cast, state=State.OPEN, severity=Severity.MAJOR, category="physical"),
            "rectifying": make_hazard(cast, cast.mingde, state=State.RECTIFYING, severity=Severity.LARGER),
            "submitted": make_hazard(cast, cast.mingde, state=State.SUBMITTED),
            "closed": make_hazard(cast, state=State.CLOSED, category="food"),
            "dismissed": make_hazard(cast, state=State.DISMISSED),
        }
        outside = bachuan_school(cast)
        made["bachuan"] = make_hazard(cast, outside, state=State.OPEN, by=cast.outsider, title="巴川独有隐患")
    # Every live hazard is due in a fortnight, except 明德's, which is 10 days past its deadline and on the 约谈 rung; the closed one was closed
    # after its deadline (late).
    Hazard.objects.filter(state__in=LIVE_STATES).update(deadline=TODAY + dt.timedelta(days=14))
    Hazard.objects.filter(pk=made["rectifying"].pk).update(
        deadline=TODAY - dt.timedelta(days=10), escalation=Escalation.INTERVIEW
    )
    Hazard.objects.filter(pk=made["closed"].pk).update(deadline=dt.date(2026, 8, 31))
    return made


def independent(user):
    """The same figures counted the slow, obvious way in Python."""
    rows = list(Hazard.objects.visible_to(user))
    live = [h for h in rows if h.state in LIVE_STATES]
    closed = [h for h in rows if h.state == State.CLOSED]
    return {
        "total": len(rows),
        "live": len(live),
        "overdue": sum(1 for h in live if h.deadline and h.deadline < TODAY),
        "escalated": sum(1 for h in live if h.escalation >= 1),
        "confirmed": sum(1 for h in rows if h.state not in (State.REPORTED, State.DISMISSED)),
        "closed": len(closed),
        "closed_on_time": sum(
            1 for h in closed if h.deadline is None or timezone.localtime(h.closed_at).date() <= h.deadline
        ),
        "live_major": sum(1 for h in live if h.severity == Severity.MAJOR),
        **{f"state_{s.value}": sum(1 for h in rows if h.state == s) for s in State},
    }


@pytest.mark.parametrize("member", ["official", "safety_officer", "police", "qingsong_lead", "outsider"])
def test_the_figures_equal_independent_counts(cast, hazards, member):
    user = getattr(cast, member)
    got = selectors.hazard_figures(user, TODAY)
    for key, value in independent(user).items():
        assert got[key] == value, (member, key)


def test_the_fixed_register_gives_the_expected_rates(cast, hazards):
    b = board(cast.safety_officer, TODAY)
    raw = b.raw["hazards"]
    assert (raw["live"], raw["overdue"], raw["escalated"], raw["closed"], raw["confirmed"]) == (4, 1, 1, 1, 4)
    assert b.raw["rectification_rate"] == 25.0  # 1 closed of 4 confirmed
    assert b.raw["on_time_rate"] == 0.0  # closed after its deadline
    figures = {f.label: f.value for f in b.figures}
    assert figures["整改率"] == "25%" and figures["按期整改率"] == "0%" and figures["逾期未整改"] == "1"
    assert [r.title for r in b.overdue] == [hazards["rectifying"].title]
    assert b.overdue[0].days_over == 10
    assert [r.escalation for r in b.escalated] == ["约谈"]


def test_schools_are_ranked_by_the_published_score(cast, hazards):
    ranked = {s.name: s for s in selectors.schools_by_risk(cast.safety_officer, TODAY)}
    # 青松: 重大1 + 一般1 (reported) → 5 + 1 = 6
    # 明德: 较大1 (overdue, 约谈 = rung 2) + 一般1 (submitted) → 3 + 1 + 2×1 + 2×2 = 10
    assert {n: s.score for n, s in ranked.items()} == {"蒲吕明德小学": 10, "蒲吕青松中学": 6}
    assert list(ranked) == ["蒲吕明德小学", "蒲吕青松中学"]


def test_closing_on_the_deadline_counts_as_on_time(cast, hazards):
    closed = hazards["closed"]
    Hazard.objects.filter(pk=closed.pk).update(deadline=timezone.localtime(closed.closed_at).date())
    assert selectors.hazard_figures(cast.safety_officer, TODAY)["closed_on_time"] == 1


def test_the_trend_counts_by_month_found_and_closed(cast, hazards):
    trend = selectors.hazard_trend(cast.safety_officer, TODAY)
    assert [r["month"] for r in trend][-1] == dt.date(2026, 11, 1) and len(trend) == 12
    by_month = {r["month"]: (r["found"], r["closed"]) for r in trend}
    assert by_month[dt.date(2026, 9, 1)] == (6, 1)
    assert sum(f for f, _ in by_month.values()) == 6


def test_a_bachuan_user_sees_nothing_of_pulv(cast, hazards, client):
    client.force_login(cast.outsider)
    b = board(cast.outsider, TODAY)
    assert b.raw["hazards"]["total"] == 1
    assert {r.name for r in b.risk_rows} <= {"巴川向阳小学", "巴川滨河小学"}
    for url in (
        reverse("dashboards:overview"),
        reverse("dashboards:screen"),
        reverse("dashboards:screen-data"),
    ):
        html = client.get(url).content.decode()
        assert "蒲吕" not in html, url


def test_a_pulv_user_never_sees_the_bachuan_hazard(cast, hazards, client):
    client.force_login(cast.safety_officer)
    for url in (reverse("dashboards:overview"), reverse("dashboards:screen-data")):
        assert "巴川独有隐患" not in client.get(url).content.decode()


@pytest.mark.parametrize("name", ["dashboards:overview", "dashboards:screen", "dashboards:screen-data"])
def test_anonymous_visitors_go_to_login(client, db, name):
    assert_redirects_to_login(client.get(reverse(name)))


@pytest.mark.parametrize("name", ["dashboards:overview", "dashboards:screen", "dashboards:screen-data"])
def test_the_auditor_without_school_view_is_refused(cast, client, name):
    client.force_login(cast.auditor)
    assert client.get(reverse(name)).status_code == 403


def test_the_pages_render_charts_and_write_nothing(cast, hazards, client):
    client.force_login(cast.official)
    mark = audit_mark()
    page = client.get(reverse("dashboards:overview")).content.decode()
    assert page.count('role="img"') >= 7
    assert "在办隐患等级" in page and selectors.RISK_FORMULA in page
    screen = client.get(reverse("dashboards:screen")).content.decode()
    assert "数据大屏" in screen and 'id="mainnav"' not in screen and "dashboards.js" in screen
    fragment = client.get(reverse("dashboards:screen-data"))
    assert fragment["Cache-Control"].startswith("max-age=0")
    assert "<html" not in fragment.content.decode() and "数据更新于" in fragment.content.decode()
    assert audit_since(mark) == []


def test_the_trend_counts_a_hazard_found_before_the_window_in_the_month_it_closed(cast, hazards):
    closed = hazards["closed"]
    Hazard.objects.filter(pk=closed.pk).update(
        found_on=dt.date(2025, 10, 1),
        closed_at=dt.datetime(2026, 2, 3, 9, tzinfo=timezone.get_current_timezone()),
    )
    by_month = {r["month"]: r for r in selectors.hazard_trend(cast.safety_officer, TODAY)}
    assert by_month[dt.date(2026, 2, 1)]["closed"] == 1
    assert sum(r["found"] for r in by_month.values()) == 5  # found in October 2025: outside the 12 months
