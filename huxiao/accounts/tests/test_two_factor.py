"""双因素认证 (等保 level 3): the three administrators and every role that can read a sensitive
register pass a code from an authenticator app after the password; they enrol by QR code on their
first login; ten recovery codes stand in for a lost phone, once each; the 安全管理员 resets a lost
device (audited). Enforcement is switched on here (the rest of the suite signs the cast in without
a phone)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huxiao.accounts import twofactor
from huxiao.testsupport.cast import PASSWORD, audit_mark, audit_since, make_user

SETUP, VERIFY = reverse("accounts:2fa-setup"), reverse("accounts:2fa-verify")


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.HUXIAO_2FA_ENFORCED = True


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def sign_in(client, user) -> None:
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def enrol(client, user) -> list[str]:
    sign_in(client, user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": code(device), "next": "/"})
    assert response.status_code == 200
    return response.context["codes"]


def test_who_must_use_a_second_factor(cast):
    # 三员, who holds sensitive.view, and who reads background checks (a school's keepers, the 学区)
    must = {
        "sysadmin",
        "auditor",
        "secadmin",
        "police",
        "official",
        "centre_officer",
        "qingsong_lead",
        "mingde_lead",
    }
    for member in (
        "sysadmin",
        "auditor",
        "secadmin",
        "police",
        "official",
        "safety_officer",
        "centre_officer",
        "qingsong_lead",
        "mingde_lead",
        "observer",
        "outsider",
    ):
        assert twofactor.required(getattr(cast, member)) == (member in must), member
    assert not twofactor.required(make_user("yanshi", cast.education_bureau, "sysadmin", is_demo=True))


def test_first_login_enrols_by_qr_code_then_the_pages_open(cast, client):
    sign_in(client, cast.sysadmin)
    response = client.get(reverse("accounts:user-list"))
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    page = client.get(SETUP)
    text = page.content.decode()
    assert "<svg" in text and "扫描二维码" in text and page.context["secret"].replace(" ", "").isalnum()
    start = timezone.now()
    device = TOTPDevice.objects.get(user=cast.sysadmin)
    with time_machine.travel(start, tick=False):
        wrong = client.post(SETUP, {"code": "000000"})
        assert "验证码不正确或已过期" in wrong.content.decode()
        assert client.get(reverse("accounts:user-list")).status_code == 302
        # straight after a wrong code the next try waits (1 s, then 2, 4 …), and says so
        assert "请等待" in client.post(SETUP, {"code": code(device)}).content.decode()
    mark = audit_mark()
    with time_machine.travel(start + dt.timedelta(seconds=5), tick=False):
        done = client.post(SETUP, {"code": code(device), "next": "/accounts/users/"})
    codes = done.context["codes"]
    assert len(codes) == 10 == len(set(codes)) and all(c in done.content.decode() for c in codes)
    assert [e.action for e in audit_since(mark)] == ["account.2fa_enrol"]
    assert client.get(reverse("accounts:user-list")).status_code == 200


def test_an_enrolled_user_types_the_code_after_the_password(cast, client):
    enrol(client, cast.police)
    client.post(reverse("accounts:logout"))
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=90), tick=False):
        sign_in(client, cast.police)
        response = client.get("/hazards/")
        assert response.status_code == 302 and response["Location"].startswith(VERIFY)
        wrong = client.post(VERIFY, {"code": "123456", "next": "/hazards/"})
        assert "验证码不正确" in wrong.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=180), tick=False):
        right = client.post(
            VERIFY, {"code": code(TOTPDevice.objects.get(user=cast.police)), "next": "/hazards/"}
        )
        assert right.status_code == 302 and right["Location"] == "/hazards/"
        assert client.get("/hazards/").status_code == 200


def test_a_recovery_code_works_once_and_is_audited(cast, client):
    codes = enrol(client, cast.auditor)
    client.post(reverse("accounts:logout"))
    sign_in(client, cast.auditor)
    mark = audit_mark()
    assert client.post(VERIFY, {"code": codes[0].upper(), "next": "/audit/"}).status_code == 302
    assert [e.action for e in audit_since(mark)] == ["account.2fa_recovery"]
    assert client.get("/audit/").status_code == 200
    client.post(reverse("accounts:logout"))
    sign_in(client, cast.auditor)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=30), tick=False):  # past the throttle
        again = client.post(VERIFY, {"code": codes[0], "next": "/audit/"})
    assert again.status_code == 200 and "验证码不正确" in again.content.decode()
    assert StaticDevice.objects.get(user=cast.auditor).token_set.count() == 9


def test_an_optional_user_is_not_asked(cast, client):
    sign_in(client, cast.safety_officer)
    assert client.get("/hazards/").status_code == 200


def test_the_security_administrator_resets_a_lost_phone(cast, client):
    enrol(client, cast.police)
    epoch = type(cast.police).objects.get(pk=cast.police.pk).session_epoch
    admin, security = type(client)(), type(client)()
    enrol(admin, cast.sysadmin)
    assert admin.post(reverse("security:2fa-reset", args=[cast.police.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=cast.police).exists()
    enrol(security, cast.secadmin)
    page = security.get(reverse("security:overview")).content.decode()
    assert "双因素认证" in page and "police（赵警官）" in page
    mark = audit_mark()
    response = security.post(reverse("security:2fa-reset", args=[cast.police.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.police).exists()
    assert not StaticDevice.objects.filter(user=cast.police).exists()
    assert type(cast.police).objects.get(pk=cast.police.pk).session_epoch == epoch + 1
    assert [e.action for e in audit_since(mark)] == ["account.2fa_reset"]
    assert client.get("/hazards/").status_code == 302  # the police's sessions ended
