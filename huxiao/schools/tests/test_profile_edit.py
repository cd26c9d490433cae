"""schools:profile-edit — every filing of the 三防 profile is a new version; older ones stay."""

from django.urls import reverse

from huxiao.schools import services
from huxiao.schools.models import SecurityProfile
from huxiao.testsupport.cast import (
    HuxiaoTestCase,
    assert_redirects_to_login,
    audit_mark,
    audit_since,
    profile_form_data,
)


def url(school):
    return reverse("schools:profile-edit", args=[school.pk])


class ProfileEditTests(HuxiaoTestCase):
    def versions(self, school):
        return list(SecurityProfile.objects.filter(school=school).values_list("version", flat=True))

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.get(url(self.qingsong)))
        assert_redirects_to_login(self.client.post(url(self.qingsong), profile_form_data()))
        assert self.versions(self.qingsong) == []

    def test_it_answers_404_for_another_schools_safety_lead(self):
        self.login(self.mingde_lead)
        assert self.client.get(url(self.qingsong)).status_code == 404
        assert self.client.post(url(self.qingsong), profile_form_data()).status_code == 404
        assert self.versions(self.qingsong) == []

    def test_it_answers_404_outside_the_scope(self):
        self.login(self.outsider)
        assert self.client.post(url(self.qingsong), profile_form_data()).status_code == 404

    def test_it_answers_403_to_a_read_only_observer(self):
        self.login(self.observer)
        assert self.client.get(url(self.qingsong)).status_code == 403
        mark = audit_mark()
        assert self.client.post(url(self.qingsong), profile_form_data()).status_code == 403
        assert self.versions(self.qingsong) == []
        assert audit_since(mark) == []

    def test_it_answers_403_to_the_police_officer(self):
        self.login(self.police)
        assert self.client.get(url(self.qingsong)).status_code == 403

    def test_it_files_the_first_version(self):
        self.login(self.qingsong_lead)
        assert self.client.get(url(self.qingsong)).status_code == 200
        mark = audit_mark()
        response = self.client.post(url(self.qingsong), profile_form_data(change_note="首次填报"))
        assert response.status_code == 302
        profile = SecurityProfile.objects.get(school=self.qingsong)
        assert (profile.version, profile.created_by, profile.fulltime_guards) == (1, self.qingsong_lead, 2)
        assert profile.closed_management is True and profile.anti_climb is False
        assert profile.ped_vehicle_separated is None  # 未填报 stays unknown, never a pass
        assert profile.camera_coverage["gatehouse"] is True and profile.camera_coverage["canteen"] is False
        [event] = audit_since(mark)
        assert event.action == "profile.file"
        assert event.actor == self.qingsong_lead
        assert event.before is None
        assert event.after["fulltime_guards"] == 2
        assert event.object_repr == "蒲吕青松中学 三防档案 第1版"

    def test_it_adds_a_new_version_and_keeps_the_old_one_viewable(self):
        services.profile_file(
            acting_user=self.qingsong_lead, school=self.qingsong, base_version=None, fulltime_guards=2
        )
        self.login(self.centre_officer)
        form = self.client.get(url(self.qingsong)).context["form"]
        assert form["base_version"].value() == 1
        mark = audit_mark()
        response = self.client.post(url(self.qingsong), profile_form_data(1, fulltime_guards=4))
        assert response.status_code == 302
        assert sorted(self.versions(self.qingsong)) == [1, 2]
        assert SecurityProfile.objects.current_for(self.qingsong).fulltime_guards == 4
        [event] = audit_since(mark)
        assert (event.before["fulltime_guards"], event.after["fulltime_guards"]) == (2, 4)
        assert event.actor == self.centre_officer
        old = self.client.get(reverse("schools:profile-version", args=[self.qingsong.pk, 1]))
        assert old.status_code == 200
        assert old.context["profile"].fulltime_guards == 2

    def test_it_rejects_more_licensed_guards_than_guards(self):
        self.login(self.qingsong_lead)
        mark = audit_mark()
        response = self.client.post(
            url(self.qingsong), profile_form_data(fulltime_guards=1, licensed_guards=3)
        )
        assert response.status_code == 200
        assert "持证保安员数：持证保安员数不能多于专职保安员数。" in response.content.decode()
        assert self.versions(self.qingsong) == []
        assert audit_since(mark) == []
