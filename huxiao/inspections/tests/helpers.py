"""Small builders for the inspection tests: the seed checklists, an inspection started and
answered through the services."""

from __future__ import annotations

from decimal import Decimal

from huxiao.inspections import services
from huxiao.inspections.choices import AnswerType, Result
from huxiao.inspections.models import Inspection
from huxiao.testsupport.files import photo


def start(user, school, kind, template, **kwargs) -> Inspection:
    from django.utils import timezone

    kwargs.setdefault("date", timezone.localdate())
    return services.inspection_create(acting_user=user, school=school, kind=kind, template=template, **kwargs)


def answer_all(inspection: Inspection, user, fail: tuple[int, ...] = (), with_photo: bool = True) -> None:
    """Answer every item (pass; numbers above their minimum); items numbered in `fail` fail,
    with a photo where `with_photo`."""
    for item in services.numbered_items(inspection.checklist):
        failing = getattr(item, "no", 0) in fail
        kwargs: dict = {"note": "现场检查发现问题。" if failing else ""}
        if item.answer_type == AnswerType.PASS_FAIL:
            kwargs["result"] = Result.FAIL if failing else Result.PASS
        elif item.answer_type == AnswerType.NUMBER:
            base = item.min_value or Decimal("1")
            kwargs["number"] = base - 1 if failing else base + 1
        elif item.answer_type == AnswerType.TEXT:
            kwargs["text"] = "已查看"
        services.answer_save(acting_user=user, inspection=inspection, item_id=item.pk, **kwargs)
        if failing and with_photo:
            services.photo_add(acting_user=user, inspection=inspection, item_id=item.pk, upload=photo())


def submit(inspection: Inspection, user):
    inspection.refresh_from_db()
    return services.inspection_submit(
        acting_user=user, inspection=inspection, expected_version=inspection.version
    )
