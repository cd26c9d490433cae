"""schools:school-list — the register, scoped to the user."""

from django.urls import reverse

from huxiao.schools import services
from huxiao.testsupport.cast import (
    HuxiaoTestCase,
    assert_redirects_to_login,
    audit_mark,
    audit_since,
    make_school,
)

URL = reverse("schools:school-list")


class SchoolListTests(HuxiaoTestCase):
    def names(self, response):
        return {s.name for s in response.context["page"].object_list}

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(URL))

    def test_it_lists_exactly_the_schools_linked_to_the_police_station(self):
        self.login(self.police)
        mark = audit_mark()
        response = self.client.get(URL)
        assert response.status_code == 200
        assert self.names(response) == {"蒲吕青松中学", "蒲吕明德小学"}
        assert audit_since(mark) == []  # reading is not a write

    def test_it_shows_the_outsider_nothing_of_pulv(self):
        self.login(self.outsider)
        response = self.client.get(URL)
        assert self.names(response) == {"巴川滨河小学"}
        assert "蒲吕" not in response.content.decode()

    def test_it_refuses_a_role_without_school_view(self):
        self.login(self.auditor)
        assert self.client.get(URL).status_code == 403

    def test_it_shows_a_read_only_observer_the_whole_subdistrict(self):
        self.login(self.observer)
        response = self.client.get(URL)
        assert self.names(response) == {"蒲吕青松中学", "蒲吕明德小学", "蒲吕石龙村小学"}

    def test_it_filters_by_type_and_by_text(self):
        self.login(self.official)
        assert self.names(self.client.get(URL, {"school_type": "junior"})) == {"蒲吕青松中学"}
        assert self.names(self.client.get(URL, {"q": "石龙"})) == {"蒲吕石龙村小学"}
        assert self.names(self.client.get(URL, {"region": self.shilong_village.pk})) == {"蒲吕石龙村小学"}
        assert self.names(self.client.get(URL, {"police_station": self.pulv_police.pk})) == {
            "蒲吕青松中学",
            "蒲吕明德小学",
        }

    def test_it_hides_archived_schools_unless_asked(self):
        services.school_archive(acting_user=None, school=self.shilong, reason="撤并")
        self.login(self.safety_officer)
        assert "蒲吕石龙村小学" not in self.names(self.client.get(URL))
        assert "蒲吕石龙村小学" in self.names(self.client.get(URL, {"archived": "on"}))

    def test_it_ignores_a_region_filter_outside_the_scope(self):
        self.login(self.safety_officer)
        response = self.client.get(URL, {"region": self.binhe_community.pk})
        assert "region" in response.context["form"].errors
        assert "巴川滨河小学" not in self.names(response)

    def test_it_does_not_offer_another_subdistricts_police_station_as_a_filter(self):
        make_school("巴川第二小学", self.binhe_community, police_station=self.bachuan_police)
        self.login(self.safety_officer)
        form = self.client.get(URL).context["form"]
        assert set(form.fields["police_station"].queryset) == {self.pulv_police}

    def test_it_offers_registering_a_school_only_to_region_wide_editors(self):
        create = reverse("schools:school-create")
        for user, shown in (
            (self.safety_officer, True),
            (self.centre_officer, False),
            (self.observer, False),
        ):
            self.login(user)
            assert (create in self.client.get(URL).content.decode()) is shown, user
