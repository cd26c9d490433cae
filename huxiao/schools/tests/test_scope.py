"""`School.objects.visible_to(user)`: each cast member sees exactly the schools of their
jurisdiction (DESIGN §4.1)."""

import pytest

from huxiao.accounts import services as account_services
from huxiao.accounts.roles import Cap
from huxiao.schools.models import School, SecurityProfile

# cast member → the schools they must see, no more and no fewer
EXPECTED = {
    "official": {"qingsong", "mingde", "shilong", "binhe"},
    "safety_officer": {"qingsong", "mingde", "shilong"},
    "police": {"qingsong", "mingde"},
    "centre_officer": {"qingsong", "mingde"},
    "qingsong_lead": {"qingsong"},
    "mingde_lead": {"mingde"},
    "observer": {"qingsong", "mingde", "shilong"},
    "sysadmin": set(),  # 三员分立: accounts and organisations, no business records
    "auditor": set(),
    "secadmin": set(),
    "outsider": {"binhe"},
}


def _visible(cast, member, cap=Cap.SCHOOL_VIEW):
    return set(School.objects.visible_to(getattr(cast, member), cap))


@pytest.mark.parametrize(("member", "schools"), sorted(EXPECTED.items()))
def test_each_member_sees_exactly_the_schools_of_their_jurisdiction(cast, member, schools):
    assert _visible(cast, member) == {getattr(cast, s) for s in schools}


def test_the_police_officer_sees_only_the_schools_linked_to_his_station(cast):
    assert cast.shilong.region.path.startswith(cast.pulv.path)  # in 蒲吕, but not his station's
    assert _visible(cast, "police") == {cast.qingsong, cast.mingde}


def test_the_outsider_sees_nothing_of_pulv(cast):
    assert not School.objects.visible_to(cast.outsider).filter(region__path__startswith=cast.pulv.path)
    assert not SecurityProfile.objects.visible_to(cast.outsider).filter(school__in=cast.pulv_schools)


def test_an_anonymous_user_sees_no_school(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not School.objects.visible_to(AnonymousUser()).exists()


def test_a_disabled_account_sees_no_school(cast):
    account_services.account_set_active(acting_user=None, user=cast.safety_officer, active=False)
    cast.safety_officer.refresh_from_db()
    assert not School.objects.visible_to(cast.safety_officer).exists()


def test_a_revoked_membership_no_longer_grants_its_schools(cast):
    membership = cast.police.memberships.get()
    account_services.membership_revoke(acting_user=None, membership=membership)
    assert not School.objects.visible_to(cast.police).exists()


def test_an_archived_organisation_grants_nothing(cast):
    from huxiao.accounts import directory

    directory.organisation_update(acting_user=None, organisation=cast.pulv_police, is_archived=True)
    assert not School.objects.visible_to(cast.police).exists()


def test_a_person_with_two_memberships_sees_the_union(cast):
    account_services.membership_grant(
        acting_user=None, user=cast.police, organisation=cast.bachuan_police, role="police"
    )
    assert _visible(cast, "police") == {cast.qingsong, cast.mingde, cast.binhe}


def test_only_roles_that_edit_see_schools_as_editable(cast):
    assert _visible(cast, "safety_officer", Cap.SCHOOL_EDIT) == cast.pulv_schools
    assert _visible(cast, "centre_officer", Cap.SCHOOL_EDIT) == {cast.qingsong, cast.mingde}
    for member in ("official", "police", "qingsong_lead", "observer", "sysadmin", "auditor"):
        assert _visible(cast, member, Cap.SCHOOL_EDIT) == set(), member


def test_a_safety_lead_files_the_profile_of_her_own_school_only(cast):
    assert _visible(cast, "qingsong_lead", Cap.PROFILE_EDIT) == {cast.qingsong}
    assert _visible(cast, "mingde_lead", Cap.PROFILE_EDIT) == {cast.mingde}
