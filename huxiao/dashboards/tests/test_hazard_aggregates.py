"""The dashboard's hazard aggregates as rewritten for speed (docs/performance.md) give the same
answers as the obvious formulations: the trend counts 销号 by local (Asia/Shanghai) date across
month boundaries, the figures and the trend read in one query equal the two separate ones, and
the risk ranking equals the ranking over every hazard with the live filter in each count."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from huxiao.dashboards import selectors
from huxiao.hazards.choices import LIVE_STATES, Escalation, Severity, State
from huxiao.hazards.models import Hazard
from huxiao.schools.models import School
from huxiao.testsupport.hazards import bachuan_school, make_hazard

pytestmark = pytest.mark.usefixtures("media_root")

TODAY = dt.date(2026, 11, 29)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def closed_around_midnight(cast, settings):
    """Closed hazards whose 销号时间 straddle local midnight at month ends — in UTC each of the
    first two falls on the 31 October, so a UTC date would put both in October."""
    assert settings.TIME_ZONE == "Asia/Shanghai"
    times = {
        "oct_last_minute": at(2026, 10, 31, 23, 59),  # October, locally
        "nov_first_minute": at(2026, 11, 1, 0, 0),  # November, locally (16:00 UTC on 31 October)
        "nov_small_hours": at(2026, 11, 1, 7, 59),  # November (23:59 UTC on 31 October)
        "before_window": at(2025, 11, 30, 23, 59),  # the day before the 12 months start
        "window_start": at(2025, 12, 1, 0, 0),  # the first instant of the window
        "this_month_end": at(2026, 11, 30, 23, 59),  # the last minute of this month
        "next_month": at(2026, 12, 1, 0, 0),  # after the window
    }
    made = {}
    for name, closed_at in times.items():
        h = make_hazard(cast, state=State.CLOSED)
        Hazard.objects.filter(pk=h.pk).update(closed_at=closed_at, found_on=dt.date(2024, 1, 1))
        made[name] = h
    # a live hazard whose closed_at is stale must not count as closed
    live = make_hazard(cast, state=State.OPEN)
    Hazard.objects.filter(pk=live.pk).update(closed_at=at(2026, 10, 15, 12), found_on=dt.date(2024, 1, 1))
    return made


def by_local_date(user) -> dict[dt.date, int]:
    """Closed hazards per month of their local 销号 date, counted in Python."""
    out: dict[dt.date, int] = {}
    for h in Hazard.objects.visible_to(user).filter(state=State.CLOSED):
        day = timezone.localtime(h.closed_at).date().replace(day=1)
        out[day] = out.get(day, 0) + 1
    return out


def test_the_trend_counts_closing_by_local_date_across_month_boundaries(cast, closed_around_midnight):
    trend = {r["month"]: r["closed"] for r in selectors.hazard_trend(cast.safety_officer, TODAY)}
    assert trend[dt.date(2026, 10, 1)] == 1
    assert trend[dt.date(2026, 11, 1)] == 3  # the first minute, the small hours, the last minute
    assert trend[dt.date(2025, 12, 1)] == 1  # the window's first instant counts, the minute before not
    assert sum(trend.values()) == 5
    python = by_local_date(cast.safety_officer)
    assert trend == {m: python.get(m, 0) for m in trend}


def test_figures_and_trend_in_one_query_equal_the_two_queries(
    cast, closed_around_midnight, django_assert_num_queries
):
    Hazard.objects.filter(pk=closed_around_midnight["oct_last_minute"].pk).update(
        deadline=dt.date(2026, 10, 31)
    )
    Hazard.objects.filter(pk=closed_around_midnight["nov_first_minute"].pk).update(
        deadline=dt.date(2026, 10, 31)
    )
    make_hazard(cast, cast.mingde, state=State.RECTIFYING, severity=Severity.LARGER)
    user = cast.safety_officer
    figures, trend = selectors.hazard_figures(user, TODAY), selectors.hazard_trend(user, TODAY)
    with django_assert_num_queries(1):
        both = selectors.hazard_figures_and_trend(user, TODAY)
    assert both == (figures, trend)
    # closed at 23:59 on its deadline is on time; at 00:00 the next day it is late
    assert figures["closed"] == 7 and figures["closed_on_time"] == 6


def old_ranking(user, today):
    """schools_by_risk as first written: every hazard joined, the live filter in each count."""
    live = Q(hazards__state__in=LIVE_STATES)
    w = selectors.RISK_WEIGHTS
    return list(
        School.objects.visible_to(user)
        .filter(is_archived=False)
        .annotate(
            major=Count("hazards", filter=live & Q(hazards__severity=Severity.MAJOR)),
            larger=Count("hazards", filter=live & Q(hazards__severity=Severity.LARGER)),
            general=Count("hazards", filter=live & Q(hazards__severity=Severity.GENERAL)),
            overdue=Count("hazards", filter=live & Q(hazards__deadline__lt=today)),
            escalation=Coalesce(Sum("hazards__escalation", filter=live), 0),
        )
        .annotate(
            score=F("major") * w["major"]
            + F("larger") * w["larger"]
            + F("general") * w["general"]
            + F("overdue") * w["overdue"]
            + F("escalation") * w["escalation"]
        )
        .filter(score__gt=0)
        .order_by("-score", "name", "pk")
    )


def test_the_risk_ranking_equals_the_ranking_over_every_hazard(cast, django_assert_num_queries):
    # 青松: live and closed hazards (a closed one on the 挂牌 rung must not count); 明德: only
    # closed and dismissed ones (no live hazard: not ranked); 巴川: outside the officer's scope.
    make_hazard(cast, state=State.OPEN, severity=Severity.MAJOR)
    late = make_hazard(cast, state=State.RECTIFYING, severity=Severity.LARGER)
    Hazard.objects.filter(pk=late.pk).update(
        deadline=TODAY - dt.timedelta(days=3), escalation=Escalation.SUPERVISE
    )
    old = make_hazard(cast, state=State.CLOSED, severity=Severity.MAJOR)
    Hazard.objects.filter(pk=old.pk).update(
        deadline=TODAY - dt.timedelta(days=30), escalation=Escalation.LISTED
    )
    make_hazard(cast, cast.mingde, state=State.CLOSED, severity=Severity.MAJOR)
    make_hazard(cast, cast.mingde, state=State.DISMISSED)
    make_hazard(cast, bachuan_school(cast), state=State.OPEN, by=cast.outsider)
    for user in (cast.safety_officer, cast.official, cast.qingsong_lead, cast.outsider):
        expected = old_ranking(user, TODAY)[:10]  # also computes the user's scope
        with django_assert_num_queries(1):
            new = selectors.schools_by_risk(user, TODAY)
        fields = ("pk", "major", "larger", "general", "overdue", "escalation", "score")
        assert [tuple(getattr(s, f) for f in fields) for s in new] == [
            tuple(getattr(s, f) for f in fields) for s in expected
        ]
    ranked = selectors.schools_by_risk(cast.safety_officer, TODAY)
    assert [(s.name, s.score) for s in ranked] == [("蒲吕青松中学", 5 + 3 + 2 + 2)]
