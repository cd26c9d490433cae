"""Signal handlers (connected in apps.py). They only schedule work: the recompute runs after the
surrounding transaction commits, so a rolled-back profile never triggers an evaluation."""

from __future__ import annotations

from django.db import transaction


def profile_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    from huxiao.standards.services import schedule_recompute

    schedule_recompute(instance.school_id)


def school_saved(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    """Size, type, boarding or region changes change which rules apply and how strict."""
    if raw or created:
        return
    from huxiao.standards.services import schedule_recompute

    schedule_recompute(instance.pk)


def facts_changed(sender, school_id: int, **kwargs) -> None:
    """Another app's record behind a school's facts changed (a guard added to the staff register):
    sent after that transaction committed, so the evaluation runs now, in its own transaction."""
    from huxiao.standards.services import schedule_recompute

    with transaction.atomic():
        schedule_recompute(school_id)


def seed_after_migrate(sender, using="default", **kwargs) -> None:
    from huxiao.standards.seed import seed_rulesets

    seed_rulesets()


def hazard_source_url(hazard, code: str) -> str | None:
    """The hazard page's 「来源记录」 link: the school's 三防达标 table at the rule."""
    from django.urls import reverse

    return f"{reverse('standards:school', args=[hazard.school_id])}#rule-{code}"
