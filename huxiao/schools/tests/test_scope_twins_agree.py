"""The school rule has an SQL form (`school_scope_q`, every school-keyed `visible_to`) and a
Python form (`school_org_ids`, "for which of my units do I act at this school?"), and is read
the other way round by `units_reaching` (which units reach a school). All three are built from
the same kernel; on random scopes they must agree school by school, or one of them drifted."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huxiao.accounts.roles import ROLES, Cap
from huxiao.accounts.scope import Grant, Scope
from huxiao.core.models import Organisation, Region
from huxiao.schools.models import School
from huxiao.schools.scope import school_org_ids, school_scope_q, units_reaching
from huxiao.testsupport.cast import make_school

CAPS = [Cap.SCHOOL_VIEW, Cap.HAZARD_REPORT, Cap.DUTY_MANAGE]


class Someone:
    """A signed-in user whose scope is given (the kernel reads the cached scope)."""

    is_authenticated = True
    is_active = True

    def __init__(self, scope: Scope):
        self._huxiao_scope = scope


@pytest.fixture
def world(cast):
    # a few more schools, so every combination of region and unit occurs
    make_school("蒲吕只有学区小学", cast.shilong_village, school_district=cast.pulv_centre)
    make_school("巴川派出所小学", cast.pulv_community, police_station=cast.bachuan_police)
    make_school("滨河自有单位小学", cast.binhe_community, own_unit=True)
    return {
        "paths": list(Region.objects.values_list("path", flat=True)),
        "orgs": list(Organisation.objects.values_list("pk", flat=True)),
        "schools": list(School.objects.select_related("region")),
    }


def grants(paths, orgs):
    return st.lists(
        st.builds(
            Grant,
            org_id=st.sampled_from(orgs),
            org_kind=st.just("x"),
            region_paths=st.lists(st.sampled_from(paths), max_size=2, unique=True).map(tuple),
            role=st.sampled_from(sorted(ROLES)),
            caps=st.frozensets(st.sampled_from(CAPS), max_size=3),
        ),
        max_size=4,
    )


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_sql_and_python_agree_on_random_scopes(world, data):
    scope = Scope(data.draw(grants(world["paths"], world["orgs"])))
    cap = data.draw(st.sampled_from(CAPS))
    user = Someone(scope)
    in_sql = set(School.objects.filter(school_scope_q(user, cap)).values_list("pk", flat=True))
    in_python = {s.pk for s in world["schools"] if school_org_ids(user, s, cap)}
    assert in_sql == in_python, (scope, cap)


@pytest.mark.django_db
def test_units_reaching_is_the_rule_read_the_other_way(world):
    """A unit reaches a school exactly when a member holding a capability there may act at it."""
    for org in Organisation.objects.prefetch_related("jurisdiction_regions"):
        member = Someone(
            Scope(
                [
                    Grant(
                        org_id=org.pk,
                        org_kind=org.kind,
                        region_paths=tuple(r.path for r in org.jurisdiction_regions.all()),
                        role="leader",
                        caps=frozenset({Cap.SCHOOL_VIEW}),
                    )
                ]
            )
        )
        for school in world["schools"]:
            reaches = units_reaching(school).filter(pk=org.pk).exists()
            assert reaches == bool(school_org_ids(member, school, Cap.SCHOOL_VIEW)), (org, school)
