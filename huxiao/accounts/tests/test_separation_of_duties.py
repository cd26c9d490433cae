"""三员分立 (GB/T 22239-2019 level 3): the 系统管理员 manages accounts, regions and organisations and
reads no business record; the 安全审计员 reads the audit log only; the 安全管理员 manages the
security settings and login locks only; no account holds two of the three roles.

The scope matrix is not a hand-kept list: the demo is loaded, the pages the working accounts
reach (and the pages those link to) are collected, and every one of them is asked for as each of
the three administrators — a page added tomorrow is covered without anyone remembering to."""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import Resolver404, resolve

from huxiao.accounts import services
from huxiao.accounts.models import User
from huxiao.accounts.roles import ROLES, SEPARATED_ROLES, Cap, RoleCode
from huxiao.demo.loader import load_demo

WORKERS = ["pinganban", "minjing", "suozhang", "quzhengfa", "xuequ", "anquan", "jiancha"]
ADMINS = {"admin": RoleCode.SYSADMIN, "shenji": RoleCode.AUDITOR, "anguan": RoleCode.SECADMIN}
# What the three administrators' own work is (URL namespaces): accounts, organisations, audit,
# security, the document templates (org.manage), the inbox and the signed-in home page.
OWN_WORK = {"accounts", "directory", "audit", "security", "notifications"}
OWN_URL_NAMES = {
    "dashboards:home",
    "reports:template-list",
    "reports:template-upload",
    "reports:template-download",
    "reports:template-reset",
}
SKIP = re.compile(r"logout|\.xlsx|\.docx|\.pdf|/media/|/static/")
HREF = re.compile(r'href="(/[^"#]*)"')


def crawl(client: Client, limit: int = 120) -> set[str]:
    """Same-site pages reachable from the home page (at most two per URL pattern)."""
    seen: set[str] = set()
    per_pattern: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or SKIP.search(url):
            continue
        try:
            match = resolve(url.split("?")[0])
        except Resolver404:
            continue
        if per_pattern.get(match.route, 0) >= 2:
            continue
        per_pattern[match.route] = per_pattern.get(match.route, 0) + 1
        seen.add(url)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            queue.extend(u.replace("&amp;", "&") for u in HREF.findall(response.content.decode()))
    return seen


def namespace_of(url: str) -> tuple[str, str]:
    match = resolve(url.split("?")[0])
    return match.namespace, f"{match.namespace}:{match.url_name}"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_three_administrators_reach_no_business_page(db):
    """One demo load for the whole matrix (the demo is the richest data there is)."""
    load_demo()
    business: dict[str, str] = {}  # URL pattern → one URL of it
    for worker in WORKERS:
        for url in sorted(crawl(signed_in(worker))):
            namespace, name = namespace_of(url)
            if namespace not in OWN_WORK and name not in OWN_URL_NAMES:
                business.setdefault(resolve(url.split("?")[0]).route, url)
    kinds = {namespace_of(u)[0] for u in business.values()}
    # the crawl really reached the business of the platform (a broken crawl proves nothing)
    assert {"schools", "hazards", "inspections", "duty", "campaigns", "monthly", "people"} <= kinds, kinds
    assert len(business) > 60, len(business)
    leaks = []
    for admin in ADMINS:
        client = signed_in(admin)
        for url in sorted(business.values()):
            status = client.get(url).status_code
            if status not in (403, 404):
                leaks.append(f"{admin} {url} → {status}")
    assert not leaks, "\n".join(leaks)

    # their home page shows no school and no figure of the business
    for admin in ADMINS:
        page = signed_in(admin).get("/").content.decode()
        assert "青松中学" not in page and "隐患" not in page, admin

    # and each reaches their own work, not the other two's
    expected = {
        "admin": {
            "/accounts/users/": 200,
            "/directory/organisations/": 200,
            "/audit/": 403,
            "/security/": 403,
        },
        "shenji": {
            "/accounts/users/": 403,
            "/directory/organisations/": 403,
            "/audit/": 200,
            "/security/": 403,
        },
        "anguan": {
            "/accounts/users/": 403,
            "/directory/organisations/": 403,
            "/audit/": 403,
            "/security/": 200,
        },
    }
    for admin, pages in expected.items():
        client = signed_in(admin)
        assert {url: client.get(url).status_code for url in pages} == pages, admin


def test_the_roles_carry_no_business_capability():
    business = {cap for role in ROLES.values() if role.code not in SEPARATED_ROLES for cap in role.caps}
    assert ROLES[RoleCode.SYSADMIN].caps == {Cap.ACCOUNT_MANAGE, Cap.ORG_MANAGE}
    assert ROLES[RoleCode.AUDITOR].caps == {Cap.AUDIT_VIEW}
    assert ROLES[RoleCode.SECADMIN].caps == {Cap.SECURITY_MANAGE}
    for code in SEPARATED_ROLES:
        assert not (ROLES[code].caps & business - {Cap.AUDIT_VIEW}), code


@pytest.mark.parametrize(
    ("held", "asked"), [(a, b) for a in sorted(SEPARATED_ROLES) for b in sorted(SEPARATED_ROLES) if a != b]
)
def test_no_account_holds_two_of_the_three(cast, held, asked):
    user = services.account_create(
        acting_user=cast.sysadmin, username="zhang3", full_name="张三", password="Zhang#2026x"
    )
    services.membership_grant(
        acting_user=cast.sysadmin, user=user, organisation=cast.education_bureau, role=held
    )
    with pytest.raises(ValidationError, match="三员分立"):
        services.membership_grant(
            acting_user=cast.sysadmin, user=user, organisation=cast.education_bureau, role=asked
        )
    assert set(user.memberships.values_list("role", flat=True)) == {held}


def test_the_grant_page_says_why_in_chinese(cast, client):
    client.force_login(cast.sysadmin)
    response = client.post(
        f"/accounts/users/{cast.auditor.pk}/",
        {"organisation": cast.education_bureau.pk, "role": RoleCode.SECADMIN, "title": ""},
    )
    assert response.status_code == 200
    assert "三员分立：该账号已是安全审计员" in response.content.decode()
    assert not cast.auditor.memberships.filter(role=RoleCode.SECADMIN).exists()


def test_an_administrator_cannot_give_themselves_a_role(cast, client):
    client.force_login(cast.sysadmin)
    response = client.post(
        f"/accounts/users/{cast.sysadmin.pk}/",
        {"organisation": cast.pulv_office.pk, "role": RoleCode.LEADER, "title": ""},
    )
    assert response.status_code == 200
    assert "不能给自己的账号添加角色" in response.content.decode()
    assert set(cast.sysadmin.memberships.values_list("role", flat=True)) == {RoleCode.SYSADMIN}
