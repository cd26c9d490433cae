"""Every service writes exactly one audit event in its own transaction (DESIGN §4.2), and a
service that fails writes none."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huxiao.accounts import directory as core
from huxiao.accounts import services as accounts
from huxiao.core.audit import verify_chain
from huxiao.core.errors import ConflictError
from huxiao.schools import services as schools
from huxiao.schools.models import School
from huxiao.testsupport.cast import audit_mark, audit_since

# (expected action, a call on the cast that runs the service once)
CALLS = [
    (
        "region.create",
        lambda c: core.region_create(
            acting_user=c.sysadmin, code="500151104202", name="大庙村", level="village", parent=c.pulv
        ),
    ),
    (
        "region.update",
        lambda c: core.region_update(
            acting_user=c.sysadmin, region=c.shilong_village, name="石龙", code_official=False
        ),
    ),
    (
        "organisation.create",
        lambda c: core.organisation_create(
            acting_user=c.sysadmin, name="蒲吕卫生院", kind="health", region=c.pulv
        ),
    ),
    (
        "organisation.update",
        lambda c: core.organisation_update(acting_user=c.sysadmin, organisation=c.pulv_police, phone="110"),
    ),
    (
        "account.create",
        lambda c: accounts.account_create(
            acting_user=c.sysadmin, username="newcomer", full_name="新同事", password="Xin#Tong2026"
        ),
    ),
    (
        "membership.grant",
        lambda c: accounts.membership_grant(
            acting_user=c.sysadmin, user=c.observer, organisation=c.pulv_centre, role="observer"
        ),
    ),
    (
        "membership.revoke",
        lambda c: accounts.membership_revoke(acting_user=c.sysadmin, membership=c.observer.memberships.get()),
    ),
    (
        "account.set_active",
        lambda c: accounts.account_set_active(acting_user=c.sysadmin, user=c.police, active=False),
    ),
    (
        "account.password_change",
        lambda c: accounts.password_change(acting_user=c.police, user=c.police, new_password="Jing#Cha2026"),
    ),
    (
        "account.password_reset",
        lambda c: accounts.password_reset_by_admin(
            acting_user=c.sysadmin, user=c.police, new_password="Lin#Shi2026"
        ),
    ),
    ("account.logout_everywhere", lambda c: accounts.logout_everywhere(acting_user=c.police, user=c.police)),
    (
        "school.create",
        lambda c: schools.school_create(
            acting_user=c.safety_officer,
            name="蒲吕红星小学",
            region=c.pulv_community,
            school_type="primary",
            students=10,
            staff=2,
        ),
    ),
    (
        "school.update",
        lambda c: schools.school_update(
            acting_user=c.safety_officer, school=c.shilong, expected_version=1, staff=10
        ),
    ),
    (
        "school.archive",
        lambda c: schools.school_archive(acting_user=c.safety_officer, school=c.shilong, reason="撤并"),
    ),
    (
        "school.link_organisation",
        lambda c: schools.school_link_organisation(
            acting_user=None, school=c.shilong, organisation=c.pulv_office
        ),
    ),
    (
        "profile.file",
        lambda c: schools.profile_file(acting_user=c.qingsong_lead, school=c.qingsong, base_version=None),
    ),
]


@pytest.mark.parametrize(("action", "call"), CALLS, ids=[a for a, _ in CALLS])
def test_each_service_writes_exactly_one_event(cast, action, call):
    mark = audit_mark()
    call(cast)
    [event] = audit_since(mark)
    assert event.action == action
    assert verify_chain().ok


def test_a_system_action_is_recorded_as_the_system(cast):
    mark = audit_mark()
    schools.school_archive(acting_user=None, school=cast.shilong, reason="撤并")
    [event] = audit_since(mark)
    assert (event.actor, event.actor_label) == (None, "系统")


def test_a_refused_placement_writes_nothing(cast):
    mark = audit_mark()
    # A placement outside the user's reach is refused as a field error on 区划 (the form shows it).
    with pytest.raises(ValidationError) as refused:
        schools.school_create(
            acting_user=cast.outsider, name="越界小学", region=cast.pulv_community, school_type="primary"
        )
    assert "region" in refused.value.message_dict
    assert not School.objects.filter(name="越界小学").exists()
    assert audit_since(mark) == []


def test_a_conflict_writes_nothing(cast):
    mark = audit_mark()
    with pytest.raises(ConflictError):
        schools.school_update(
            acting_user=cast.safety_officer, school=cast.shilong, expected_version=7, staff=1
        )
    assert audit_since(mark) == []


def test_an_invalid_password_writes_nothing(cast):
    mark = audit_mark()
    with pytest.raises(ValidationError):
        accounts.password_change(acting_user=cast.police, user=cast.police, new_password="short")
    assert audit_since(mark) == []


def test_a_service_refuses_a_user_without_the_capability(cast):
    with pytest.raises(PermissionDenied):
        core.region_create(
            acting_user=cast.observer, code="500151104299", name="X", level="village", parent=cast.pulv
        )
    with pytest.raises(PermissionDenied):
        accounts.account_create(
            acting_user=cast.safety_officer, username="x1", full_name="X", password="Xin#Tong2026"
        )
