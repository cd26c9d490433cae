"""A roll-up reads its rows at once (`registry.figures_of_groups`): every registered per-school
form sums to its provider's own answer over any set of schools, and each group's figures equal
`registry.figures` over that group — on one month's data from every app that contributes."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.core import registry
from huxiao.duty.tests.factories import make_post, make_record
from huxiao.inspections.choices import Kind
from huxiao.inspections.tests.conftest import seeded  # noqa: F401
from huxiao.inspections.tests.helpers import answer_all, start, submit
from huxiao.monthly.tests.helpers import build_history, clock_fixture  # noqa: F401
from huxiao.schools.models import School
from huxiao.standards.tests.helpers import file_profile

pytestmark = pytest.mark.usefixtures("media_root")

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture
def month_of_everything(cast, clock, seeded):  # noqa: F811
    """Hazards and notices (build_history), 护学岗 records at two schools, a submitted
    inspection, a 三防 profile — so every per-school provider has something to count."""
    build_history(cast, clock)
    for school, days in ((cast.qingsong, (5, 6, 7)), (cast.mingde, (6,))):
        post = make_post(school)
        for day in days:
            make_record(post, "morning", dt.date(2026, 11, day), by=cast.police)
    template = seeded["校园三防"]
    inspection = start(cast.police, cast.qingsong, Kind.SPOT, template, date=dt.date(2026, 11, 10))
    answer_all(inspection, cast.police)
    submit(inspection, cast.police)
    file_profile(cast.qingsong, cast.qingsong_lead, fulltime_guards=3, licensed_guards=3)


def _sets(cast) -> dict:
    everyone = School.objects.filter(is_archived=False)
    sets = {"all": everyone, "蒲吕": everyone.filter(pk__in=[s.pk for s in cast.pulv_schools])}
    for school in everyone:
        sets[school.name] = everyone.filter(pk=school.pk)
    return sets


@pytest.mark.parametrize("period", [OCT, NOV], ids=["october", "november"])
def test_every_per_school_form_sums_to_its_provider(cast, month_of_everything, period):
    assert registry._PER_SCHOOL, "no provider registered a per-school form"
    everyone = School.objects.filter(is_archived=False)
    for group, per_school in registry._PER_SCHOOL.items():
        provider = dict(registry._FIGURES)[group]
        assert provider is not None
        keys = registry._computed_keys(group)
        by_school = per_school(everyone, *period)
        for name, schools in _sets(cast).items():
            ids = set(schools.values_list("pk", flat=True))
            expected = provider(schools, *period)
            summed = {k: sum(v.get(k, 0) for sid, v in by_school.items() if sid in ids) for k in keys}
            assert summed == {k: int(expected.get(k, 0) or 0) for k in keys}, (per_school.__module__, name)


def test_the_data_is_not_all_zeros(cast, month_of_everything):
    """The check above means something only if the month has figures in every app."""
    values = registry.figures(School.objects.filter(is_archived=False), *NOV)
    for key in ("haz_found", "haz_notices", "duty_periods_staffed", "insp_police", "std_guards_actual"):
        assert values[key] > 0, key


@pytest.mark.parametrize("period", [OCT, NOV], ids=["october", "november"])
def test_groups_at_once_equal_each_group_alone(cast, month_of_everything, period):
    sets = _sets(cast)
    union = sets["all"]
    at_once = registry.figures_of_groups(sets, union, *period)
    for name, schools in sets.items():
        assert at_once[name] == registry.figures(schools, *period), name
