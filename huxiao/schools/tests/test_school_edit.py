"""schools:school-edit — editing the registry entry of a school."""

from django.urls import reverse

from huxiao.schools.models import School
from huxiao.testsupport.cast import (
    HuxiaoTestCase,
    assert_redirects_to_login,
    audit_mark,
    audit_since,
    school_form_data,
)


def url(school):
    return reverse("schools:school-edit", args=[school.pk])


class SchoolEditTests(HuxiaoTestCase):
    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(url(self.qingsong)))
        assert_redirects_to_login(self.client.post(url(self.qingsong), school_form_data(self.qingsong)))

    def test_it_answers_404_outside_the_scope(self):
        self.login(self.outsider)
        assert self.client.get(url(self.qingsong)).status_code == 404
        response = self.client.post(url(self.qingsong), school_form_data(self.qingsong, name="改名"))
        assert response.status_code == 404
        assert School.objects.get(pk=self.qingsong.pk).name == "蒲吕青松中学"

    def test_it_answers_403_to_a_read_only_observer(self):
        self.login(self.observer)
        assert self.client.get(url(self.qingsong)).status_code == 403
        mark = audit_mark()
        response = self.client.post(url(self.qingsong), school_form_data(self.qingsong, staff=1))
        assert response.status_code == 403
        assert School.objects.get(pk=self.qingsong.pk).staff == 112
        assert audit_since(mark) == []

    def test_it_answers_403_to_roles_that_see_but_do_not_edit_the_registry(self):
        for user in (self.police, self.qingsong_lead, self.official):
            self.login(user)
            assert self.client.get(url(self.qingsong)).status_code == 403, user

    def test_it_shows_the_form_with_the_current_version(self):
        self.login(self.centre_officer)
        response = self.client.get(url(self.qingsong))
        assert response.status_code == 200
        assert response.context["form"]["version"].value() == 1

    def test_it_saves_the_change_and_records_before_and_after(self):
        self.login(self.centre_officer)
        mark = audit_mark()
        response = self.client.post(url(self.qingsong), school_form_data(self.qingsong, staff=120))
        assert response.status_code == 302
        assert response.url == reverse("schools:school-detail", args=[self.qingsong.pk])
        school = School.objects.get(pk=self.qingsong.pk)
        assert (school.staff, school.version) == (120, 2)
        [event] = audit_since(mark)
        assert event.action == "school.update"
        assert event.actor == self.centre_officer
        assert (event.before["staff"], event.after["staff"]) == (112, 120)
        assert (event.before["version"], event.after["version"]) == (1, 2)
        assert event.region_path == self.pulv_community.path
