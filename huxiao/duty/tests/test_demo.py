"""The demo month: idempotent, with exactly the gaps it promises."""

from __future__ import annotations

import pytest
import time_machine

from huxiao.duty import coverage
from huxiao.duty.models import DutyPost, DutyRecord
from huxiao.duty.tests.factories import at
from huxiao.hazards.models import Hazard
from huxiao.schools.models import School


@pytest.mark.django_db
@time_machine.travel(at(2026, 11, 29, 9, 0), tick=False)
def test_the_demo_month_has_realistic_gaps():
    from huxiao.demo.loader import load_demo

    first = load_demo()
    second = load_demo()
    keys = ("duty_posts", "duty_records", "patrol_logs")
    assert {k: first[k] for k in keys} == {k: second[k] for k in keys}
    assert first["duty_posts"] == 14
    assert not DutyPost.objects.filter(school__name="蒲吕大庙村小学").exists()
    backfilled = DutyRecord.objects.get(is_backfilled=True)
    assert backfilled.period.kind == "afternoon" and backfilled.backfill_reason
    records = DutyRecord.objects.order_by("date")
    start, end = records.first().date, records.last().date
    tally = coverage.totals(School.objects.all(), start, end)
    # four afternoons never stood (one of them on the last school day), one morning without a
    # guard; everything else staffed
    assert tally.required - tally.staffed == 5
    last_day = records.last().date
    assert (
        coverage.totals(School.objects.all(), last_day, last_day).required
        > coverage.totals(School.objects.all(), last_day, last_day).staffed
    )
    assert tally.backfilled == 1
    assert Hazard.objects.filter(source_ref__startswith="duty.patrol:").count() == 1
