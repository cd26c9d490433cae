"""Two filings of the 三防 profile from the same base version: the second is refused with who
filed first, and the database holds one new version, not two."""

import pytest
from django.test import Client
from django.urls import reverse

from huxiao.core.errors import ConflictError
from huxiao.schools import services
from huxiao.schools.models import SecurityProfile
from huxiao.testsupport.cast import HuxiaoTestCase, audit_mark, audit_since, profile_form_data


class ProfileConflictTests(HuxiaoTestCase):
    def test_it_refuses_the_second_of_two_filings_from_the_same_base_version(self):
        services.profile_file(acting_user=self.qingsong_lead, school=self.qingsong, base_version=None)
        url = reverse("schools:profile-edit", args=[self.qingsong.pk])
        lead, centre = Client(), Client()
        lead.force_login(self.qingsong_lead)
        centre.force_login(self.centre_officer)
        assert lead.get(url).context["form"]["base_version"].value() == 1
        assert centre.get(url).context["form"]["base_version"].value() == 1

        mark = audit_mark()
        assert lead.post(url, profile_form_data(1, fulltime_guards=3)).status_code == 302
        response = centre.post(url, profile_form_data(1, fulltime_guards=9, licensed_guards=0))

        assert response.status_code == 200
        page = response.content.decode()
        assert "三防档案已由罗志强在" in page and "更新为第2版，您的修改未保存。" in page
        profiles = SecurityProfile.objects.filter(school=self.qingsong).order_by("version")
        assert [(p.version, p.fulltime_guards) for p in profiles] == [(1, None), (2, 3)]
        assert [e.actor for e in audit_since(mark)] == [self.qingsong_lead]

    def test_two_first_filings_make_one_version(self):
        services.profile_file(acting_user=self.qingsong_lead, school=self.qingsong, base_version=None)
        with pytest.raises(ConflictError, match="更新为第1版"):
            services.profile_file(acting_user=self.centre_officer, school=self.qingsong, base_version=None)
        assert SecurityProfile.objects.filter(school=self.qingsong).count() == 1
