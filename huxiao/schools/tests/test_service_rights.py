"""Services check rights themselves: a caller that skipped the view's access check gets nowhere."""

import pytest
from django.core.exceptions import PermissionDenied

from huxiao.schools import services
from huxiao.schools.models import SecurityProfile
from huxiao.testsupport.cast import audit_mark, audit_since


def test_it_refuses_to_archive_for_a_read_only_role(cast):
    mark = audit_mark()
    with pytest.raises(PermissionDenied):
        services.school_archive(acting_user=cast.observer, school=cast.qingsong, reason="撤并")
    cast.qingsong.refresh_from_db()
    assert not cast.qingsong.is_archived
    assert audit_since(mark) == []


def test_it_refuses_a_profile_filed_by_another_schools_lead(cast):
    with pytest.raises(PermissionDenied):
        services.profile_file(
            acting_user=cast.mingde_lead, school=cast.qingsong, base_version=None, fulltime_guards=9
        )
    assert not SecurityProfile.objects.filter(school=cast.qingsong, fulltime_guards=9).exists()
