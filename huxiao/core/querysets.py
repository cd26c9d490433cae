"""QuerySets for regions and organisations."""

from __future__ import annotations

from django.db import models


class RegionQuerySet(models.QuerySet):
    def subtree(self, path: str):
        """The region with this path and all below it."""
        return self.filter(path__startswith=path)

    def active(self):
        return self.filter(is_archived=False)


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def of_kind(self, *kinds: str):
        return self.filter(kind__in=kinds)

    def located_around(self, region):
        """Units located in `region`, below it, or in a region above it (the units a campaign or a
        circular of `region` can name)."""
        from huxiao.core.regions import ancestors_and_self

        above = ancestors_and_self(region.path)
        return self.filter(models.Q(region__path__startswith=region.path) | models.Q(region__path__in=above))
