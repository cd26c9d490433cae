"""The parts of the board other apps feed: each equals what that app's own selector says, on
fixed data (the campaign's phases and tasks, 四个100%, inspection frequency, 护学岗, 统计表)."""

import datetime as dt

import pytest
import time_machine

from huxiao.dashboards import sections, selectors
from huxiao.dashboards.tests.test_board_queries import make_campaign
from huxiao.monthly.selectors import submission_status
from huxiao.schools.models import School
from huxiao.standards.selectors import four_rates
from huxiao.standards.services import evaluate_schools
from huxiao.standards.tests.helpers import file_profile

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(
        dt.datetime(2026, 11, 29, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    ):
        yield


def test_the_campaign_timeline_marks_today_in_the_current_phase(cast):
    make_campaign(cast)
    s = sections.campaign_section(cast.official, TODAY)
    (timeline,) = s.charts
    assert [b.label for b in timeline.bands] == ["摸排", "整改", "验收"]
    assert [b.current for b in timeline.bands] == [False, False, True]
    current = timeline.bands[2]
    assert current.x <= timeline.today_x <= current.x + current.w
    # one task due 5/20 (摸排, overdue and not done), one due 12/20 (验收)
    assert [b.progress for b in timeline.bands] == [0.0, None, 0.0]
    assert s.lines[0][1] == "0/2（0%）"
    assert "逾期任务 1 项" in s.note


def test_without_a_running_campaign_the_section_says_so(cast):
    s = sections.campaign_section(cast.official, TODAY)
    assert not s.charts and "没有正在进行的专项行动" in s.note


def test_the_four_rates_are_the_standards_engines(cast):
    file_profile(cast.qingsong, cast.qingsong_lead, fulltime_guards=3, licensed_guards=3)
    evaluate_schools(School.objects.select_related("region").order_by("pk"), sync=False)
    s = sections.compliance_section(cast.safety_officer, TODAY)
    expected = four_rates(cast.safety_officer)
    assert [g.title for g in s.gauges] == ["专职保安配备", "封闭化管理", "一键报警与视频联网", "护学岗设置"]
    assert [g.rate for g in s.gauges] == [r.rate for r in expected]
    assert all(g.detail.startswith(f"达标{r.achieved}所") for g, r in zip(s.gauges, expected, strict=True))


def test_schools_below_the_inspection_minimum_are_listed(cast):
    s = sections.inspection_section(cast.safety_officer, TODAY)
    (gauge,) = s.gauges
    # no inspection yet this semester: none of 蒲吕's three schools meets the ≥2 rule
    assert gauge.rate == 0.0
    assert {label for label, _, _ in s.lines} == {"蒲吕青松中学", "蒲吕明德小学", "蒲吕石龙村小学"}
    assert {value for _, value, _ in s.lines} == {"0/2次"}


def test_duty_coverage_is_the_duty_apps(cast):
    from huxiao.duty.selectors import coverage_summary

    s = sections.duty_section(cast.police, TODAY)
    tally = coverage_summary(cast.police, TODAY.replace(day=1), TODAY)
    assert [g.rate for g in s.gauges] == [tally.setup_rate, tally.staffing_rate]


@pytest.fixture
def reports(cast):
    """青松 submitted October's table (due 2026-11-28) and 蒲吕学区 accepted it; 明德 submitted
    nothing."""
    from huxiao.monthly import services as monthly_services

    report = monthly_services.report_submit(
        acting_user=cast.qingsong_lead,
        unit=cast.qingsong.organisation,
        year=2026,
        month=10,
        expected_version=None,
    )
    monthly_services.report_accept(
        acting_user=cast.centre_officer, report=report, expected_version=report.version
    )


@pytest.mark.usefixtures("reports")
@pytest.mark.parametrize(
    "member", ["official", "safety_officer", "police", "centre_officer", "qingsong_lead", "outsider"]
)
def test_report_submission_equals_the_monthly_apps_status(cast, member):
    user = getattr(cast, member)
    mine = selectors.report_submission(user, 2026, 10, TODAY)
    theirs = submission_status(user, 2026, 10)
    assert (mine.due, mine.submitted, mine.accepted, mine.late) == (
        len(theirs.due),
        len(theirs.submitted),
        len(theirs.accepted),
        len(theirs.late),
    )
    assert {name for name, _ in mine.late_units} <= {s.unit.name for s in theirs.late}
    if member in ("official", "safety_officer", "centre_officer", "qingsong_lead"):
        assert mine.accepted == 1


@pytest.mark.usefixtures("reports")
def test_an_accepted_report_counts_as_submitted(cast):
    status = selectors.report_submission(cast.centre_officer, 2026, 10, TODAY)
    assert status.submitted == status.accepted == 1
    assert "蒲吕青松中学" not in {name for name, _ in status.late_units}
    assert "蒲吕明德小学" in {name for name, _ in status.late_units}


def test_the_monthly_donut_adds_up(cast):
    s = sections.monthly_section(cast.official, TODAY)
    # the month now due is October (due 2026-11-28); November is not due until 2026-12-28
    status = selectors.report_submission(cast.official, 2026, 10, TODAY)
    (donut,) = s.charts
    assert status.due > 0 and status.late == status.due  # nobody has submitted, the 28th has passed
    assert selectors.report_submission(cast.official, 2026, 11, TODAY).late == 0
    assert sum(a.value for a in donut.arcs) == status.due
    assert donut.centre_value == "0%"
