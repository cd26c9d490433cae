"""The home page costs a fixed number of queries, however many schools the user oversees."""

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.testsupport.cast import SIGNED_IN_PAGE_QUERIES, make_school

URL = reverse("dashboards:home")
# the page's own queries: the memberships line, plus the registry aggregate and the hazard
# aggregate (who sees schools), the audit count (who audits), the own-school card and the
# unsigned-notice count (school side); then who inspects: this semester's frequency (3: schools,
# counts, rules); who reports: this month's 统计表 of their unit (2: the unit with its report's
# state, the campaigns that set the due day); who stands 护学岗: this month's coverage (4); who
# watches 涉校稳定 (police, 政法委, 街道, 平安办, 学区): the 失控 and 扬言报复 counts (2); who keeps
# or checks a staff register (the school, the 学区): the 人员审查 overdue and 有异常 counts (1); the
# 派出所 and 学区 (schools without a 法治辅导员 or a visit) or a school (its next 宣传日): one (1). The
# 系统管理员 sees no school (三员分立): only the memberships line. Everyone who sees incidents: the
# reports their units must sign, and this month's alarms (2).
INSPECT, REPORT, DUTY, STABILITY, STAFF, EDUCATION, INCIDENTS = 3, 2, 4, 2, 1, 1, 2
OWN = {
    "official": 4 + STABILITY + INCIDENTS,
    "safety_officer": 3 + INSPECT + REPORT + STABILITY + INCIDENTS,
    "police": 3 + INSPECT + REPORT + DUTY + STABILITY + EDUCATION + INCIDENTS,
    "qingsong_lead": 5 + INSPECT + REPORT + DUTY + STAFF + EDUCATION + INCIDENTS,
    "sysadmin": 1,
    "auditor": 2,
}
EXPECTED = {member: SIGNED_IN_PAGE_QUERIES + n for member, n in OWN.items()}
# On a school day inside a term: on a day without school the 护学岗 card has no period to look up
# and costs one query less.
pytestmark = pytest.mark.frozen(dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))


@pytest.mark.parametrize("extra", [0, 30])
@pytest.mark.parametrize("member", sorted(EXPECTED))
def test_the_home_page_query_count_is_fixed(cast, client, django_assert_num_queries, member, extra):
    for i in range(extra):
        make_school(f"蒲吕测试学校{i:02d}", cast.pulv_community, police_station=cast.pulv_police)
    client.force_login(getattr(cast, member))
    with django_assert_num_queries(EXPECTED[member]):
        assert client.get(URL).status_code == 200
