"""The school list's 区划 filter offers every region holding a school the user can see, at any
level — computed from the schools' region paths and their prefixes (no LIKE join of every region
with every school), with the same choices as the EXISTS … LIKE formulation."""

from django.db.models import Exists, OuterRef

from huxiao.core.choices import RegionLevel
from huxiao.core.models import Region
from huxiao.schools.forms import SchoolFilterForm, path_prefixes
from huxiao.schools.models import School
from huxiao.testsupport.cast import make_region, make_school


def test_a_path_gives_itself_and_every_ancestor():
    assert path_prefixes(["500000/500151/500151104/"]) == {
        "500000/",
        "500000/500151/",
        "500000/500151/500151104/",
    }
    assert path_prefixes(["9/1/", "9/2/", "9/1/"]) == {"9/", "9/1/", "9/2/"}
    assert path_prefixes([]) == set()


def old_choices(schools):
    holds = schools.filter(region__path__startswith=OuterRef("path"))
    return list(Region.objects.filter(Exists(holds)).order_by("path"))


def test_the_region_choices_are_the_regions_holding_a_visible_school(cast):
    # a region whose code extends a sibling's (…1041 after …104) must not count as its descendant,
    # and a region without schools is not offered
    odd = make_region("5001511041", "蒲吕东街道", RegionLevel.TOWNSHIP, cast.tongliang)
    make_school("蒲吕东测试学校", odd)
    make_region("500151104002", "无校社区", RegionLevel.VILLAGE, cast.pulv_community.parent)
    for user in (
        cast.official,
        cast.safety_officer,
        cast.police,
        cast.qingsong_lead,
        cast.outsider,
        cast.observer,
    ):
        schools = School.objects.visible_to(user)
        choices = list(SchoolFilterForm(schools=schools).fields["region"].queryset)
        assert choices == old_choices(schools), user
    official = [
        r.name
        for r in SchoolFilterForm(schools=School.objects.visible_to(cast.official)).fields["region"].queryset
    ]
    assert "无校社区" not in official and {"铜梁区", "蒲吕街道", "蒲吕社区", "蒲吕东街道"} <= set(official)
