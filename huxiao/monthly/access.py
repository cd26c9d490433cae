"""The only way a view gets a reporting unit (DESIGN §4.1): outside the user's view → 404."""

from __future__ import annotations

from django.http import Http404

from huxiao.core.models import Organisation
from huxiao.monthly.units import units_visible_q


def access_unit(user, pk) -> Organisation:
    """The reporting unit `pk` if the user may read its reports; 404 otherwise (existence is
    not leaked)."""
    unit = (
        Organisation.objects.filter(units_visible_q(user), pk=pk)
        .select_related("region")
        .prefetch_related("jurisdiction_regions")
        .first()
    )
    if unit is None:
        raise Http404("该单位不存在或不在您的管辖范围内。")
    return unit
