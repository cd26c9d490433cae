"""A school created or moved is relinked to the venues around it (the only signal here: the
schools app does not know this app exists, and its service must not import it)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from huxiao.schools.models import School


@receiver(post_save, sender=School, dispatch_uid="surroundings_school_relink")
def relink_school_on_save(sender, instance: School, raw: bool = False, **kwargs) -> None:
    if raw:  # fixtures and loaddata: coordinates may reference venues not loaded yet
        return
    from huxiao.surroundings.services import school_relink

    school_relink(instance)
