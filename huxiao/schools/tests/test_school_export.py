"""schools:school-export — the register as .xlsx: exactly the user's schools, formulas defused."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from huxiao.schools.columns import HEADERS
from huxiao.testsupport.cast import (
    HuxiaoTestCase,
    assert_redirects_to_login,
    audit_mark,
    audit_since,
    make_school,
)

URL = reverse("schools:school-export")


def rows(response):
    """The data rows of the downloaded workbook (after title, unit/date and header rows)."""
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["学校名录"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[2]) == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in values[3:]]


class SchoolExportTests(HuxiaoTestCase):
    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(URL))

    def test_it_refuses_roles_without_export(self):
        for user in (self.auditor, self.sysadmin):
            self.login(user)
            assert self.client.get(URL).status_code == 403, user

    def test_it_exports_exactly_the_police_officers_schools_and_records_it(self):
        self.login(self.police)
        mark = audit_mark()
        response = self.client.get(URL)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        assert [r["学校名称"] for r in rows(response)] == ["蒲吕明德小学", "蒲吕青松中学"]
        [event] = audit_since(mark)
        assert event.action == "school.export"
        assert event.actor == self.police
        assert event.before is None and event.after == {"rows": 2}

    def test_it_gives_the_outsider_nothing_of_pulv(self):
        self.login(self.outsider)
        assert [r["学校名称"] for r in rows(self.client.get(URL))] == ["巴川滨河小学"]

    def test_it_lets_a_read_only_observer_export_and_applies_the_list_filters(self):
        self.login(self.observer)
        exported = rows(self.client.get(URL, {"q": "石龙"}))
        assert [r["学校名称"] for r in exported] == ["蒲吕石龙村小学"]
        assert exported[0]["所在区划代码"] == "500151104201"
        assert exported[0]["是否寄宿制"] == "否"

    def test_it_neutralises_cells_that_a_spreadsheet_would_run_as_formulas(self):
        make_school(
            '=HYPERLINK("http://example.invalid","点击")',
            self.pulv_community,
            address="@SUM(1+1)",
            principal_name="+86 138",
            police_station=self.pulv_police,
        )
        self.login(self.police)
        [row] = [r for r in rows(self.client.get(URL)) if r["学校名称"].startswith("'")]
        assert row["学校名称"] == '\'=HYPERLINK("http://example.invalid","点击")'
        assert row["地址"] == "'@SUM(1+1)"
        assert row["校长（园长）"] == "'+86 138"
