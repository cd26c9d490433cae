"""directory:organisation-edit — changing an organisation's jurisdiction, kind or name."""

from django.urls import reverse

from huxiao.core.models import Organisation
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since


def url(org):
    return reverse("directory:organisation-edit", args=[org.pk])


class OrganisationEditTests(HuxiaoTestCase):
    def data(self, org, **changes):
        return {
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind,
            "region": org.region_id,
            "parent": org.parent_id or "",
            "jurisdiction_regions": [r.pk for r in org.jurisdiction_regions.all()],
            "phone": org.phone,
            **changes,
        }

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(url(self.pulv_police)))

    def test_it_refuses_a_read_only_observer(self):
        self.login(self.observer)
        response = self.client.post(url(self.pulv_police), self.data(self.pulv_police, name="改名"))
        assert response.status_code == 403
        assert Organisation.objects.get(pk=self.pulv_police.pk).name == "蒲吕派出所"

    def test_it_answers_404_for_an_organisation_that_does_not_exist(self):
        self.login(self.sysadmin)
        assert self.client.get(reverse("directory:organisation-edit", args=[999_999])).status_code == 404

    def test_it_changes_the_jurisdiction_and_records_before_and_after(self):
        self.login(self.sysadmin)
        assert self.client.get(url(self.pulv_police)).status_code == 200
        mark = audit_mark()
        response = self.client.post(
            url(self.pulv_police), self.data(self.pulv_police, jurisdiction_regions=[self.shilong_village.pk])
        )
        assert response.status_code == 302
        assert list(self.pulv_police.jurisdiction_regions.all()) == [self.shilong_village]
        [event] = audit_since(mark)
        assert event.action == "organisation.update"
        assert event.actor == self.sysadmin
        assert (event.before["jurisdiction"], event.after["jurisdiction"]) == ([], ["500151104201"])
