"""directory:organisation-create — adding an organisation with its jurisdiction."""

from django.urls import reverse

from huxiao.core.models import Organisation
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since

URL = reverse("directory:organisation-create")


class OrganisationCreateTests(HuxiaoTestCase):
    def data(self, **changes):
        return {
            "name": "蒲吕卫生院",
            "short_name": "蒲吕卫",
            "kind": "health",
            "region": self.pulv.pk,
            "parent": "",
            "jurisdiction_regions": [self.pulv.pk],
            "phone": "023-45678901",
            **changes,
        }

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.post(URL, self.data()))
        assert not Organisation.objects.filter(name="蒲吕卫生院").exists()

    def test_it_refuses_a_read_only_observer(self):
        self.login(self.observer)
        assert self.client.get(URL).status_code == 403
        mark = audit_mark()
        assert self.client.post(URL, self.data()).status_code == 403
        assert not Organisation.objects.filter(name="蒲吕卫生院").exists()
        assert audit_since(mark) == []

    def test_it_refuses_a_coordinator(self):
        self.login(self.safety_officer)
        assert self.client.post(URL, self.data()).status_code == 403

    def test_it_adds_the_organisation_and_records_it(self):
        self.login(self.sysadmin)
        assert self.client.get(URL).status_code == 200
        mark = audit_mark()
        response = self.client.post(URL, self.data())
        assert response.status_code == 302
        org = Organisation.objects.get(name="蒲吕卫生院")
        assert (org.kind, org.region, list(org.jurisdiction_regions.all())) == (
            "health",
            self.pulv,
            [self.pulv],
        )
        [event] = audit_since(mark)
        assert event.action == "organisation.create"
        assert event.actor == self.sysadmin
        assert event.before is None
        assert event.after["name"] == "蒲吕卫生院" and event.after["jurisdiction"] == ["500151104"]

    def test_it_rejects_a_duplicate_name_in_chinese(self):
        self.login(self.sysadmin)
        mark = audit_mark()
        response = self.client.post(URL, self.data(name="蒲吕派出所"))
        assert response.status_code == 200
        assert "name" in response.context["form"].errors
        assert "单位名称：" in response.content.decode()
        assert Organisation.objects.filter(name="蒲吕派出所").count() == 1
        assert audit_since(mark) == []
