"""The 数据看板 and the 大屏's data fragment cost a fixed number of queries per role, however
many schools the user oversees (every figure is an aggregate in SQL)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from huxiao.campaigns import services as campaign_services
from huxiao.hazards.choices import Severity, State
from huxiao.schools.models import School
from huxiao.standards.services import evaluate_schools
from huxiao.standards.tests.helpers import file_profile
from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, make_school
from huxiao.testsupport.hazards import make_hazard

# The board's own queries (boards.hazard_part and sections.sections):
#   registry aggregate 1, hazard aggregate with the 12-month trend 1, overdue list 1, escalated
#   list 1, risk ranking 1
HAZARD_PART = 5
#   the current campaign (campaigns.selectors): current campaigns 1, its phases 1, task counts 1
CAMPAIGN = 3
#   四个100% (standards.selectors.four_rates: the school count, then one row per school with each
#   target's passed and failed counts = 2) and the per-category rates (region_compliance: schools,
#   evaluations, grouped results, rule titles)
COMPLIANCE = 2 + 4
#   inspection frequency (inspections.selectors.supervision_summary): the schools, this semester's counts,
#   the frequency rules
INSPECTIONS = 3
#   monthly 统计表 submission (selectors.report_submission): units grouped by region, the
#   campaigns that set due days, the first late units
MONTHLY = 3
#   护学岗 (duty.coverage.totals over this month): schools and set-up schools, required periods,
#   the regions' minimums, the records' counts (staffed periods and 人次 in one scan)
DUTY = 4
BOARD = HAZARD_PART + CAMPAIGN + COMPLIANCE + INSPECTIONS + DUTY + MONTHLY
# The dashboard page adds the signed-in page's own queries (session, user, scope, inbox badge …);
# the fragment is rendered without context processors: session, user and scope, and the session save.
FRAGMENT_OVERHEAD = SIGNED_IN_PAGE_QUERIES - 1  # no inbox badge
MEMBERS = ["official", "safety_officer", "police", "centre_officer", "qingsong_lead", "observer"]


@pytest.fixture(autouse=True)
def on_the_29th():
    """2026-11-29: the campaign's 验收 phase runs and November's 统计表 (due the 28th) is late,
    so every part of the board takes its longest path."""
    with time_machine.travel(
        dt.datetime(2026, 11, 29, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    ):
        yield


def make_campaign(cast):
    """A running campaign over 铜梁区 (every cast member's region) with two tasks."""
    campaign = campaign_services.campaign_create(
        acting_user=None,
        region=cast.tongliang,
        name="2026年护校安园专项行动",
        year=2026,
        status="active",
        phases=[
            {"name": "摸排", "start": dt.date(2026, 3, 1), "end": dt.date(2026, 5, 25)},
            {"name": "整改", "start": dt.date(2026, 5, 26), "end": dt.date(2026, 11, 25)},
            {"name": "验收", "start": dt.date(2026, 11, 26), "end": dt.date(2027, 1, 31)},
        ],
    )
    for due in (dt.date(2026, 5, 20), dt.date(2026, 12, 20)):
        campaign_services.task_create(
            acting_user=None,
            campaign=campaign,
            title="完成校园安全隐患排查",
            organisation=cast.pulv_safety_office,
            due=due,
            notify_owner=False,
        )
    return campaign


@pytest.fixture
def register(cast, media_root):
    make_hazard(cast, state=State.OPEN, severity=Severity.MAJOR)
    make_hazard(cast, cast.mingde, state=State.CLOSED)
    make_campaign(cast)
    # a 三防 profile and an evaluation, so the compliance rates read real results
    file_profile(cast.qingsong, cast.qingsong_lead, fulltime_guards=3, licensed_guards=3)
    evaluate_schools(School.objects.select_related("region").order_by("pk"), sync=False)


@pytest.mark.parametrize("extra", [0, 30])
@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize(
    ("name", "overhead"),
    [("dashboards:overview", SIGNED_IN_PAGE_QUERIES), ("dashboards:screen-data", FRAGMENT_OVERHEAD)],
    ids=["overview", "screen-data"],
)
def test_the_board_query_count_is_fixed(
    cast, register, client, django_assert_num_queries, member, extra, name, overhead
):
    for i in range(extra):
        make_school(f"蒲吕测试学校{i:02d}", cast.pulv_community, police_station=cast.pulv_police)
    client.force_login(getattr(cast, member))
    with django_assert_num_queries(overhead + BOARD):
        assert client.get(reverse(name)).status_code == 200
