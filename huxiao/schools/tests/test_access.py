"""`access_school` / `access_profile_version`: 404 outside the scope (existence is never
leaked), 403 for a role that may only look."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.roles import Cap
from huxiao.schools import services
from huxiao.schools.access import access_profile_version, access_school


def test_it_returns_a_school_in_scope(cast):
    assert access_school(cast.police, cast.qingsong.pk) == cast.qingsong


def test_it_answers_404_for_a_school_outside_the_scope(cast):
    with pytest.raises(Http404):
        access_school(cast.outsider, cast.qingsong.pk)


def test_it_answers_404_for_a_school_of_the_same_subdistrict_not_linked_to_the_station(cast):
    with pytest.raises(Http404):
        access_school(cast.police, cast.shilong.pk)


def test_it_answers_404_for_a_school_that_does_not_exist(cast):
    with pytest.raises(Http404):
        access_school(cast.official, 999_999)


def test_it_answers_404_not_403_for_a_write_outside_the_scope(cast):
    with pytest.raises(Http404):
        access_school(cast.outsider, cast.qingsong.pk, write=True)


def test_it_answers_403_for_a_read_only_role_asking_to_write(cast):
    with pytest.raises(PermissionDenied):
        access_school(cast.observer, cast.qingsong.pk, write=True)


def test_it_answers_403_for_a_safety_lead_editing_the_registry_entry(cast):
    with pytest.raises(PermissionDenied):
        access_school(cast.qingsong_lead, cast.qingsong.pk, write=True, cap=Cap.SCHOOL_EDIT)


def test_it_lets_a_safety_lead_file_her_own_profile(cast):
    school = access_school(cast.qingsong_lead, cast.qingsong.pk, write=True, cap=Cap.PROFILE_EDIT)
    assert school == cast.qingsong


def test_it_lets_a_coordinator_edit(cast):
    assert access_school(cast.safety_officer, cast.shilong.pk, write=True) == cast.shilong


def test_it_answers_404_for_a_profile_version_outside_the_scope(cast):
    services.profile_file(acting_user=cast.qingsong_lead, school=cast.qingsong, base_version=None)
    assert access_profile_version(cast.police, cast.qingsong.pk, 1).version == 1
    with pytest.raises(Http404):
        access_profile_version(cast.outsider, cast.qingsong.pk, 1)


def test_it_answers_404_for_a_profile_version_that_does_not_exist(cast):
    with pytest.raises(Http404):
        access_profile_version(cast.police, cast.qingsong.pk, 7)
