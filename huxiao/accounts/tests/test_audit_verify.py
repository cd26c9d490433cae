"""audit:verify — checking the hash chain from the audit page."""

from django.urls import reverse

from huxiao.core.models import AuditEvent
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since

URL = reverse("audit:verify")


class AuditVerifyTests(HuxiaoTestCase):
    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.post(URL))

    def test_it_refuses_roles_without_audit_view(self):
        self.login(self.observer)
        assert self.client.post(URL).status_code == 403

    def test_it_accepts_only_post(self):
        self.login(self.auditor)
        assert self.client.get(URL).status_code == 405

    def test_it_reports_an_intact_chain(self):
        self.login(self.auditor)
        mark = audit_mark()
        response = self.client.post(URL, follow=True)
        assert response.redirect_chain[-1][0] == reverse("audit:list")
        assert f"审计链完整：已核验 {mark} 条记录，未发现篡改或删除。" in response.content.decode()
        assert audit_since(mark) == []

    def test_it_reports_an_edited_row(self):
        AuditEvent.objects.filter(seq=5).update(after={"name": "篡改"})
        self.login(self.official)
        response = self.client.post(URL, follow=True)
        assert "审计链异常：第 5 条的内容与其哈希不符（记录已被修改）。" in response.content.decode()
