"""The fixed cast itself: built through the services, so it leaves a valid audit chain."""

from huxiao.accounts.models import User
from huxiao.core.audit import verify_chain
from huxiao.schools.models import School


def test_it_builds_four_schools_and_eleven_people(cast):
    assert School.objects.count() == 4
    assert User.objects.count() == 11
    assert not User.objects.filter(must_change_password=True).exists()


def test_it_leaves_an_intact_audit_chain(cast):
    assert verify_chain().ok
