"""Services of the checklist editor (users with `Cap.STANDARDS_MANAGE`).

Only a draft version (not yet published) is edited. 「修订」 on a published version copies it
into a new draft (number + 1); publishing the draft makes it what new inspections use.
Inspections already started keep the version they were started on (it is frozen), so a
running inspection never sees its checklist change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core import audit
from huxiao.inspections.models import ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion

ITEM_FIELDS = [
    "text",
    "guidance",
    "clause",
    "answer_type",
    "min_value",
    "unit",
    "required",
    "photo_required_on_fail",
    "hazard_on_fail",
    "hazard_title",
    "hazard_category",
    "hazard_severity",
]


def _require(user) -> None:
    if not scope_of(user).has(Cap.STANDARDS_MANAGE):
        raise PermissionDenied("只有标准与检查表管理人员可以修改检查表。")


def _draft(version: ChecklistVersion) -> ChecklistVersion:
    current = ChecklistVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    if current.published_at is not None or current.frozen:
        raise ValidationError(f"第{current.number}版已发布，不能直接修改；请先点击“修订”生成新版本草稿。")
    return current


def _record(user, action: str, obj, after: dict, before: dict | None = None) -> None:
    audit.record(actor=user, action=action, obj=obj, before=before, after=after)


@transaction.atomic
def template_create(*, acting_user, name: str, domain: str, description: str = "") -> ChecklistTemplate:
    _require(acting_user)
    if ChecklistTemplate.objects.filter(name=name.strip()).exists():
        raise ValidationError({"name": f"已有名为“{name}”的检查表。"})
    template = ChecklistTemplate.objects.create(name=name.strip(), domain=domain, description=description)
    version = ChecklistVersion.objects.create(
        template=template, number=1, created_by=acting_user, note="新建"
    )
    ChecklistSection.objects.create(version=version, order=1, title="检查项")
    _record(acting_user, "checklist.create", template, {"name": template.name, "domain": domain})
    return template


@transaction.atomic
def template_update(*, acting_user, template: ChecklistTemplate, name: str, domain: str, description: str):
    _require(acting_user)
    if ChecklistTemplate.objects.filter(name=name.strip()).exclude(pk=template.pk).exists():
        raise ValidationError({"name": f"已有名为“{name}”的检查表。"})
    before = audit.snapshot(template, ["name", "domain", "description"])
    template.name, template.domain, template.description = name.strip(), domain, description
    template.save()
    _record(acting_user, "checklist.update", template, audit.snapshot(template, list(before)), before)
    return template


@transaction.atomic
def version_revise(*, acting_user, template: ChecklistTemplate, note: str = "") -> ChecklistVersion:
    """The template's draft version, or a new draft copied from its latest version."""
    _require(acting_user)
    ChecklistTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    draft = template.versions.filter(published_at__isnull=True, frozen=False).order_by("-number").first()
    if draft is not None:
        return draft
    latest = template.versions.order_by("-number").first()
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ChecklistVersion.objects.create(
        template=template, number=number, created_by=acting_user, note=note or "修订"
    )
    if latest is not None:
        for section in latest.sections.prefetch_related("items"):
            copy = ChecklistSection.objects.create(version=draft, order=section.order, title=section.title)
            ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    version=draft,
                    section=copy,
                    order=item.order,
                    **{f: getattr(item, f) for f in ITEM_FIELDS},
                )
                for item in section.items.all()
            )
    _record(
        acting_user,
        "checklist.revise",
        draft,
        {"template": template.pk, "number": number, "from": latest.number if latest else None},
    )
    return draft


@transaction.atomic
def version_publish(*, acting_user, version: ChecklistVersion) -> ChecklistVersion:
    _require(acting_user)
    current = _draft(version)
    if not current.items.exists():
        raise ValidationError("检查表至少要有一个检查项才能发布。")
    current.published_at = timezone.now()
    current.save(update_fields=["published_at"])
    _record(
        acting_user, "checklist.publish", current, {"template": current.template_id, "number": current.number}
    )
    return current


@transaction.atomic
def section_add(*, acting_user, version: ChecklistVersion, title: str) -> ChecklistSection:
    _require(acting_user)
    current = _draft(version)
    order = (current.sections.aggregate(n=Max("order"))["n"] or 0) + 1
    section = ChecklistSection.objects.create(version=current, order=order, title=title.strip())
    _record(acting_user, "checklist.section_add", current, {"section": section.pk, "title": section.title})
    return section


@transaction.atomic
def item_save(*, acting_user, version: ChecklistVersion, section: ChecklistSection, item=None, **fields):
    """Add an item (at the end of its section) or change one, in a draft version."""
    _require(acting_user)
    current = _draft(version)
    if section.version_id != current.pk:
        raise ValidationError({"section": "所选部分不属于该版本。"})
    before = audit.snapshot(item, [*ITEM_FIELDS, "section"]) if item else None
    if item is None:
        order = (section.items.aggregate(n=Max("order"))["n"] or 0) + 1
        item = ChecklistItem(version=current, order=order)
    elif item.version_id != current.pk:
        raise ValidationError("该检查项不属于此版本。")
    if item.pk and item.section_id != section.pk:
        item.order = (section.items.aggregate(n=Max("order"))["n"] or 0) + 1
    item.section = section
    for name in ITEM_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    item.full_clean()
    item.save()
    _record(
        acting_user, "checklist.item_save", current, audit.snapshot(item, [*ITEM_FIELDS, "section"]), before
    )
    return item


@transaction.atomic
def item_move(*, acting_user, item: ChecklistItem, direction: str) -> None:
    """Swap the item with its neighbour above ("up") or below ("down") in its section."""
    _require(acting_user)
    _draft(item.version)
    siblings = list(ChecklistItem.objects.filter(section=item.section_id).order_by("order", "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, sibling in enumerate(siblings, start=1):
        if sibling.order != order:
            ChecklistItem.objects.filter(pk=sibling.pk).update(order=order)
    _record(acting_user, "checklist.item_move", item.version, {"item": item.pk, "direction": direction})


@transaction.atomic
def item_delete(*, acting_user, item: ChecklistItem) -> None:
    _require(acting_user)
    version = _draft(item.version)
    _record(acting_user, "checklist.item_delete", version, {}, audit.snapshot(item, ITEM_FIELDS))
    item.delete()
