"""Every response carries the security headers (CSP, frame, sniffing, referrer)."""

import pytest
from django.urls import reverse

EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_secure(response):
    for header, value in EXPECTED.items():
        assert response.headers.get(header) == value, header
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp


def test_the_login_page_carries_the_security_headers(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert_secure(response)


@pytest.mark.parametrize("name", ["dashboards:home", "schools:school-list"])
def test_a_signed_in_page_carries_them_and_is_not_cached(cast, client, name):
    client.force_login(cast.official)
    response = client.get(reverse(name))
    assert_secure(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_an_error_page_carries_them_too(cast, client):
    client.force_login(cast.outsider)
    response = client.get(reverse("schools:school-detail", args=[cast.qingsong.pk]))
    assert response.status_code == 404
    assert_secure(response)
