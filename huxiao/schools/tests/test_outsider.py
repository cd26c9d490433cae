"""The outsider from 巴川街道 finds nothing of 蒲吕 on any school page: every 蒲吕 school answers
404 (never 403, which would betray that it exists), and lists, exports and the home page leave
蒲吕 out."""

import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from huxiao.schools import services
from huxiao.testsupport.cast import HuxiaoTestCase, audit_mark, audit_since


def without_csrf(content: bytes) -> bytes:
    """The page without its per-request (masked) CSRF tokens."""
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+"', rb"\1", content)


SCHOOL_PAGES = ["school-detail", "school-edit", "school-archive", "profile-edit"]


class OutsiderTests(HuxiaoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for school in (cls.qingsong, cls.mingde):
            services.profile_file(acting_user=cls.centre_officer, school=school, base_version=None)

    def setUp(self):
        self.login(self.outsider)

    def test_every_pulv_school_page_answers_404(self):
        mark = audit_mark()
        for school in (self.qingsong, self.mingde, self.shilong):
            for page in SCHOOL_PAGES:
                url = reverse(f"schools:{page}", args=[school.pk])
                assert self.client.get(url).status_code in (404, 405), url
                assert self.client.post(url, {"reason": "x"}).status_code == 404, url
            version = reverse("schools:profile-version", args=[school.pk, 1])
            assert self.client.get(version).status_code == 404
        assert audit_since(mark) == []

    def test_a_pulv_school_looks_the_same_as_one_that_does_not_exist(self):
        real = self.client.get(reverse("schools:school-detail", args=[self.qingsong.pk]))
        missing = self.client.get(reverse("schools:school-detail", args=[999_999]))
        assert real.status_code == missing.status_code == 404
        assert without_csrf(real.content) == without_csrf(missing.content)

    def test_the_list_the_home_page_and_the_export_leave_pulv_out(self):
        for name in ("schools:school-list", "dashboards:home"):
            page = self.client.get(reverse(name)).content.decode()
            assert "蒲吕" not in page, name
        export = self.client.get(reverse("schools:school-export"))
        book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
        cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
        assert not [c for c in cells if "蒲吕" in c]
