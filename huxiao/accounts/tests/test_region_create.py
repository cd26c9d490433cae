"""directory:region-create — adding an administrative division under another."""

from django.urls import reverse

from huxiao.core.models import Region
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since

URL = reverse("directory:region-create")


class RegionCreateTests(HuxiaoTestCase):
    def data(self, **changes):
        return {
            "code": "500151104202",
            "name": "大庙村",
            "level": "village",
            "parent": self.pulv.pk,
            **changes,
        }

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.post(URL, self.data()))

    def test_it_refuses_a_read_only_observer(self):
        self.login(self.observer)
        mark = audit_mark()
        assert self.client.post(URL, self.data()).status_code == 403
        assert not Region.objects.filter(code="500151104202").exists()
        assert audit_since(mark) == []

    def test_it_adds_the_region_under_its_parent_and_records_it(self):
        self.login(self.sysadmin)
        assert self.client.get(URL).status_code == 200
        mark = audit_mark()
        assert self.client.post(URL, self.data()).status_code == 302
        region = Region.objects.get(code="500151104202")
        assert region.path == "500000/500151/500151104/500151104202/"
        assert region.code_official is False  # an unticked box
        [event] = audit_since(mark)
        assert (event.action, event.actor, event.before) == ("region.create", self.sysadmin, None)
        assert event.after["path"] == region.path
        assert event.region_path == region.path

    def test_it_rejects_a_code_that_is_not_6_to_12_digits(self):
        self.login(self.sysadmin)
        response = self.client.post(URL, self.data(code="50015A"))
        assert "区划代码：区划代码须为6至12位数字。" in response.content.decode()
        assert not Region.objects.filter(name="大庙村").exists()

    def test_it_rejects_a_code_already_in_use(self):
        self.login(self.sysadmin)
        mark = audit_mark()
        response = self.client.post(URL, self.data(code="500151104201"))
        assert response.status_code == 200
        assert "code" in response.context["form"].errors
        assert not Region.objects.filter(name="大庙村").exists()
        assert audit_since(mark) == []
