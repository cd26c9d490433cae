"""Two people edit the same school from the same version: the first wins, the second is told
and nothing is overwritten (DESIGN §4.4)."""

import pytest
from django.test import Client
from django.urls import reverse

from huxiao.core.errors import ConflictError
from huxiao.schools import services
from huxiao.schools.models import School
from huxiao.testsupport.cast import HuxiaoTestCase, audit_mark, audit_since, school_form_data


class SchoolEditConflictTests(HuxiaoTestCase):
    def test_it_refuses_the_second_of_two_edits_from_the_same_version(self):
        url = reverse("schools:school-edit", args=[self.qingsong.pk])
        first, second = Client(), Client()
        first.force_login(self.safety_officer)
        second.force_login(self.centre_officer)
        form_one = first.get(url).context["form"]
        form_two = second.get(url).context["form"]
        assert form_one["version"].value() == form_two["version"].value() == 1

        mark = audit_mark()
        assert first.post(url, school_form_data(self.qingsong, staff=120)).status_code == 302
        response = second.post(url, school_form_data(self.qingsong, staff=99, principal_name="错改"))

        assert response.status_code == 200
        page = response.content.decode()
        assert "被他人修改（当前第2版），您的修改未保存。请刷新页面后重新填写。" in page
        school = School.objects.get(pk=self.qingsong.pk)
        assert (school.staff, school.principal_name, school.version) == (120, "", 2)
        assert [e.actor for e in audit_since(mark)] == [self.safety_officer]

    def test_the_service_refuses_a_stale_version(self):
        services.school_update(acting_user=None, school=self.mingde, expected_version=1, staff=60)
        with pytest.raises(ConflictError, match="当前第2版"):
            services.school_update(acting_user=None, school=self.mingde, expected_version=1, staff=61)
        assert School.objects.get(pk=self.mingde.pk).staff == 60

    def test_a_form_without_its_version_is_treated_as_stale(self):
        self.login(self.safety_officer)
        data = school_form_data(self.mingde, staff=61)
        del data["version"]
        response = self.client.post(reverse("schools:school-edit", args=[self.mingde.pk]), data)
        assert "您的修改未保存" in response.content.decode()
        assert School.objects.get(pk=self.mingde.pk).staff == 58
