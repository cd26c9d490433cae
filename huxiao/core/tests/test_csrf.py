"""A state-changing POST without the CSRF token is refused and changes nothing."""

from django.test import Client
from django.urls import reverse

from huxiao.schools.models import School
from huxiao.testsupport.cast import audit_mark, audit_since


def test_a_post_without_the_csrf_token_is_refused(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.safety_officer)
    mark = audit_mark()
    response = browser.post(reverse("schools:school-archive", args=[cast.shilong.pk]), {"reason": "撤并"})
    assert response.status_code == 403
    assert not School.objects.get(pk=cast.shilong.pk).is_archived
    assert audit_since(mark) == []


def test_a_post_with_the_token_from_the_page_goes_through(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.safety_officer)
    browser.get(reverse("schools:school-detail", args=[cast.shilong.pk]))
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        reverse("schools:school-archive", args=[cast.shilong.pk]),
        {"reason": "撤并", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert School.objects.get(pk=cast.shilong.pk).is_archived
