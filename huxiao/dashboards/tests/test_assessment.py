"""等保自评: the 安全审计员 and the 安全管理员 read each level-3 control with evidence taken from
the running system (not typed); nobody else opens it."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from huxiao.dashboards import assessment

URL = reverse("dashboards:assessment")


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_auditor_and_the_security_administrator_read_it(cast, client):
    for user in (cast.auditor, cast.secadmin):
        text = page(client, user)
        for clause in (
            "8.1.4.1",
            "8.1.4.2",
            "8.1.4.3",
            "8.1.4.4",
            "8.1.4.7",
            "8.1.4.8",
            "8.1.4.9",
            "8.1.4.10",
            "8.1.4.11",
        ):
            assert clause in text
        assert "密钥编号：t1" in text  # the session's audit key, read from the settings


def test_nobody_else_opens_it(cast, client):
    for member in ("sysadmin", "official", "police", "safety_officer", "qingsong_lead", "observer"):
        client.force_login(getattr(cast, member))
        assert client.get(URL).status_code == 403, member


def test_the_evidence_follows_the_system(cast, settings):
    settings.HUXIAO_2FA_ENFORCED = True
    first = {c.clause: c for c in assessment.controls()}
    # the cast: sysadmin, auditor, secadmin, police, official, and who reads background checks
    # (centre_officer, qingsong_lead, mingde_lead) must enrol; nobody has yet
    assert "须启用的账号 8 个，已启用 0 个" in " ".join(first["8.1.4.1"].evidence)
    assert first["8.1.4.1"].status == assessment.PARTLY
    assert "兼任两种管理员角色的账号 0 个" in " ".join(first["8.1.4.2"].evidence)
    for name in ("sysadmin", "auditor", "secadmin", "police", "official", "centre_officer", "qingsong_lead"):
        TOTPDevice.objects.create(user=getattr(cast, name), name="手机验证器", confirmed=True)
    again = {c.clause: c for c in assessment.controls()}
    assert (
        "已启用 7 个" in " ".join(again["8.1.4.1"].evidence) and again["8.1.4.1"].status == assessment.PARTLY
    )
    TOTPDevice.objects.create(user=cast.mingde_lead, name="手机验证器", confirmed=True)
    again = {c.clause: c for c in assessment.controls()}
    assert (
        "已启用 8 个" in " ".join(again["8.1.4.1"].evidence) and again["8.1.4.1"].status == assessment.MEETS
    )
    settings.HUXIAO_2FA_ENFORCED = False
    assert {c.clause: c for c in assessment.controls()}["8.1.4.1"].status == assessment.FAILS
