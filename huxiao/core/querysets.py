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
