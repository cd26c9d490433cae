"""directory:organisation-list — regions and organisations, for the system administrator."""

from django.urls import reverse

from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since

URL = reverse("directory:organisation-list")


class OrganisationListTests(HuxiaoTestCase):
    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(URL))

    def test_it_refuses_everyone_but_the_sysadmin(self):
        for user in (self.observer, self.official, self.safety_officer, self.auditor):
            self.login(user)
            assert self.client.get(URL).status_code == 403, user

    def test_it_lists_regions_and_organisations(self):
        self.login(self.sysadmin)
        mark = audit_mark()
        response = self.client.get(URL)
        assert response.status_code == 200
        page = response.content.decode()
        assert "蒲吕派出所" in page and "巴川街道" in page
        assert len(response.context["organisations"]) == 10
        assert audit_since(mark) == []
