"""Bad input on the school form gets a clear Chinese error naming the field; nothing is saved
and nothing is audited (DESIGN §4.5)."""

import re

from django.urls import reverse

from huxiao.schools.models import School
from huxiao.testsupport.cast import HuxiaoTestCase, audit_mark, audit_since, school_form_data

CREATE = reverse("schools:school-create")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


class SchoolFormErrorTests(HuxiaoTestCase):
    def setUp(self):
        self.login(self.safety_officer)

    def assert_refused(self, response, label, message):
        """200, the form shown again with a Chinese `message` that the page ties to `label`
        (field errors are printed as “label：message”; form-wide ones name the field themselves)."""
        assert response.status_code == 200
        errors = [e for field_errors in response.context["form"].errors.values() for e in field_errors]
        assert any(message in e and CHINESE.search(e) for e in errors), errors
        pattern = re.escape(label) + "：?[^<]*" + re.escape(message)
        assert re.search(pattern, response.content.decode()), pattern

    def create(self, **changes):
        before = School.objects.count()
        mark = audit_mark()
        data = school_form_data(**{"name": "蒲吕新学校", "region": self.pulv_community, **changes})
        response = self.client.post(CREATE, data)
        assert School.objects.count() == before
        assert audit_since(mark) == []
        return response

    def test_it_rejects_more_boarders_than_students(self):
        response = self.create(is_boarding=True, students=100, boarders=101)
        self.assert_refused(response, "寄宿生数", "寄宿生数不能多于在校学生数。")

    def test_it_rejects_boarders_at_a_day_school(self):
        response = self.create(is_boarding=False, students=100, boarders=5)
        self.assert_refused(response, "寄宿生数", "非寄宿制学校的寄宿生数应为0")

    def test_it_rejects_negative_numbers(self):
        self.assert_refused(self.create(students=-1), "在校学生（幼儿）数", "0")
        self.assert_refused(self.create(staff=-3), "教职工数", "0")

    def test_it_rejects_a_latitude_outside_china(self):
        self.assert_refused(self.create(latitude="91", longitude="106.1"), "纬度", "54")

    def test_it_rejects_a_longitude_outside_china(self):
        self.assert_refused(self.create(latitude="29.9", longitude="200"), "经度", "136")

    def test_it_rejects_a_second_school_of_the_same_name_in_the_region(self):
        response = self.create(name="蒲吕明德小学")
        self.assert_refused(response, "学校名称", "同一区划内已有同名学校。")

    def test_it_accepts_the_same_name_in_another_region(self):
        response = self.client.post(
            CREATE, school_form_data(name="蒲吕明德小学", region=self.shilong_village)
        )
        assert response.status_code == 302

    def test_it_rejects_a_duplicate_school_code(self):
        School.objects.filter(pk=self.mingde.pk).update(code="5001510102")
        response = self.create(code="5001510102")
        self.assert_refused(response, "学校标识码", "已被其他学校使用。")

    def test_it_rejects_the_same_bad_input_on_edit(self):
        url = reverse("schools:school-edit", args=[self.mingde.pk])
        mark = audit_mark()
        response = self.client.post(url, school_form_data(self.mingde, boarders=10))
        self.assert_refused(response, "寄宿生数", "非寄宿制学校的寄宿生数应为0")
        response = self.client.post(url, school_form_data(self.mingde, name="蒲吕青松中学"))
        self.assert_refused(response, "学校名称", "同一区划内已有同名学校。")
        school = School.objects.get(pk=self.mingde.pk)
        assert (school.name, school.boarders, school.version) == ("蒲吕明德小学", 0, 1)
        assert audit_since(mark) == []
