"""schools:school-create — registering a school needs `school.edit` over a whole region."""

from django.urls import reverse

from huxiao.schools.models import School
from huxiao.testsupport.cast import (
    HuxiaoTestCase,
    assert_redirects_to_login,
    audit_mark,
    audit_since,
    school_form_data,
)

URL = reverse("schools:school-create")


class SchoolCreateTests(HuxiaoTestCase):
    def data(self, **changes):
        return school_form_data(name="蒲吕红星小学", region=self.pulv_community, **changes)

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(URL))
        assert_redirects_to_login(self.client.post(URL, self.data()))
        assert not School.objects.filter(name="蒲吕红星小学").exists()

    def test_it_refuses_a_read_only_observer(self):
        self.login(self.observer)
        assert self.client.get(URL).status_code == 403
        mark = audit_mark()
        assert self.client.post(URL, self.data()).status_code == 403
        assert not School.objects.filter(name="蒲吕红星小学").exists()
        assert audit_since(mark) == []

    def test_it_refuses_a_school_district_centre_which_has_no_region_of_its_own(self):
        self.login(self.centre_officer)
        assert self.client.post(URL, self.data()).status_code == 403

    def test_it_rejects_a_school_placed_in_another_subdistrict(self):
        self.login(self.outsider)
        mark = audit_mark()
        response = self.client.post(URL, self.data())
        assert response.status_code == 200
        assert "region" in response.context["form"].errors
        assert "所在区划：" in response.content.decode()
        assert not School.objects.filter(name="蒲吕红星小学").exists()
        assert audit_since(mark) == []

    def test_it_offers_only_the_regions_of_the_users_jurisdiction(self):
        self.login(self.safety_officer)
        response = self.client.get(URL)
        assert response.status_code == 200
        assert set(response.context["form"].fields["region"].queryset) == {
            self.pulv,
            self.pulv_community,
            self.shilong_village,
        }

    def test_it_registers_a_school_and_records_who_did_it(self):
        self.login(self.safety_officer)
        mark = audit_mark()
        response = self.client.post(
            URL,
            self.data(
                code="5001510199",
                is_boarding=True,
                students=400,
                boarders=120,
                police_station=self.pulv_police,
                latitude="29.9",
                longitude="106.1",
            ),
        )
        school = School.objects.get(name="蒲吕红星小学")
        assert response.status_code == 302
        assert response.url == reverse("schools:school-detail", args=[school.pk])
        assert (school.region, school.students, school.boarders, school.police_station) == (
            self.pulv_community,
            400,
            120,
            self.pulv_police,
        )
        assert school.version == 1
        [event] = audit_since(mark)
        assert event.action == "school.create"
        assert event.actor == self.safety_officer
        assert event.object_id == str(school.pk)
        assert event.before is None
        assert event.after["name"] == "蒲吕红星小学"
        assert event.after["boarders"] == 120
        assert event.region_path == self.pulv_community.path
