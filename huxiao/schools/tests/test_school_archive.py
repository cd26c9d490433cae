"""schools:school-archive — a closed school is archived with a reason, never deleted."""

from django.urls import reverse

from huxiao.schools.models import School
from huxiao.testsupport.cast import HuxiaoTestCase, assert_redirects_to_login, audit_mark, audit_since


def url(school):
    return reverse("schools:school-archive", args=[school.pk])


class SchoolArchiveTests(HuxiaoTestCase):
    def archived(self, school):
        return School.objects.get(pk=school.pk).is_archived

    def test_it_sends_an_anonymous_visitor_to_login(self):
        assert_redirects_to_login(self.client.post(url(self.shilong), {"reason": "撤并"}))
        assert not self.archived(self.shilong)

    def test_it_answers_404_outside_the_scope(self):
        self.login(self.police)
        assert self.client.post(url(self.shilong), {"reason": "撤并"}).status_code == 404
        assert not self.archived(self.shilong)

    def test_it_answers_403_to_a_read_only_observer(self):
        self.login(self.observer)
        mark = audit_mark()
        assert self.client.post(url(self.shilong), {"reason": "撤并"}).status_code == 403
        assert not self.archived(self.shilong)
        assert audit_since(mark) == []

    def test_it_accepts_only_post(self):
        self.login(self.safety_officer)
        assert self.client.get(url(self.shilong)).status_code == 405

    def test_it_requires_a_reason(self):
        self.login(self.safety_officer)
        mark = audit_mark()
        response = self.client.post(url(self.shilong), {"reason": "  "}, follow=True)
        assert "归档原因：必填" in response.content.decode()
        assert not self.archived(self.shilong)
        assert audit_since(mark) == []

    def test_a_reason_with_a_control_character_is_refused_in_chinese(self):
        """It went straight into the audit record: on PostgreSQL a NUL took the page down (found
        by core/tests/test_hostile_input.py)."""
        self.login(self.safety_officer)
        for reason in ("\x00", "撤\x0b并"):
            response = self.client.post(url(self.shilong), {"reason": reason}, follow=True)
            assert "归档原因：不能包含控制字符" in response.content.decode()
        self.shilong.refresh_from_db()
        assert not self.shilong.is_archived

    def test_it_archives_and_records_the_reason(self):
        self.login(self.safety_officer)
        mark = audit_mark()
        response = self.client.post(url(self.shilong), {"reason": "并入蒲吕明德小学"})
        assert response.status_code == 302
        school = School.objects.get(pk=self.shilong.pk)  # still there: archived, not deleted
        assert school.is_archived and school.version == 2
        [event] = audit_since(mark)
        assert event.action == "school.archive"
        assert event.actor == self.safety_officer
        assert event.before == {"is_archived": False}
        assert event.after == {"is_archived": True, "reason": "并入蒲吕明德小学"}
