"""Services of the semester frequency rules (`FrequencyRule`: 每学期督导检查/学校自查不少于几次 for a
region and everything below it; the nearest region with a rule wins, else the seed's 2 and 2).

Who: a STANDARDS_MANAGE grant whose jurisdiction covers the region — the frequency is a
standard of the region, like a ruleset overlay. Every change is versioned (one of two editors
wins, the other is told) and audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core import audit
from huxiao.core.errors import ConflictError
from huxiao.core.models import Region
from huxiao.inspections.models import FrequencyRule

MAX_PER_SEMESTER = 30


def manageable_paths(user) -> tuple[str, ...]:
    """The region paths the user may set frequency rules for (their STANDARDS_MANAGE jurisdiction)."""
    if getattr(user, "is_superuser", False):
        return ("",)
    return scope_of(user).paths(Cap.STANDARDS_MANAGE)


def can_manage(user, region: Region) -> bool:
    return region.path.startswith(manageable_paths(user)) if manageable_paths(user) else False


def manageable_regions(user) -> QuerySet[Region]:
    """The regions a new rule may be set for: the user's STANDARDS_MANAGE jurisdiction regions and
    one level below them (a 街道 sets its own rule or a 社区's; a 区 its own or a 街道's)."""
    q = Q(pk__in=[])
    for path in manageable_paths(user):
        depth = path.count("/")
        q |= Q(path__startswith=path) & Q(path__regex=rf"^([^/]+/){{{depth},{depth + 1}}}$")
    return Region.objects.filter(q, is_archived=False).order_by("path")


def _values(rule: FrequencyRule) -> dict:
    return {"supervision_min": rule.supervision_min, "self_min": rule.self_min}


def _check(supervision_min: int, self_min: int) -> None:
    errors = {}
    if not 1 <= supervision_min <= MAX_PER_SEMESTER:
        errors["supervision_min"] = f"每学期督导检查次数应在1到{MAX_PER_SEMESTER}次之间。"
    if not 0 <= self_min <= MAX_PER_SEMESTER:
        errors["self_min"] = f"每学期学校自查次数应在0到{MAX_PER_SEMESTER}次之间。"
    if errors:
        raise ValidationError(errors)


def rule_save(
    *, acting_user, region: Region, supervision_min: int, self_min: int, expected_version: int | None
) -> FrequencyRule:
    """Set the rule of `region`. `expected_version` None: the user saw no rule there (a second
    creation is a conflict); otherwise the version the user edited."""
    if not can_manage(acting_user, region):
        raise PermissionDenied("您无权设置该区划的检查频次。")
    _check(supervision_min, self_min)
    with transaction.atomic():
        rule = FrequencyRule.objects.select_for_update().filter(region=region).first()
        if rule is None and expected_version is not None:
            raise ConflictError(f"{region.name}的检查频次规则已被他人删除，请刷新页面后重新设置。")
        if rule is not None and rule.version != expected_version:
            who = rule.updated_by.get_full_name() if rule.updated_by else "他人"
            raise ConflictError(
                f"{region.name}的检查频次规则已被{who}修改（现为督导≥{rule.supervision_min}次、"
                f"自查≥{rule.self_min}次），请刷新页面后再修改。"
            )
        before = _values(rule) if rule else None
        if rule is None:
            rule = FrequencyRule(region=region, version=1)
        else:
            rule.version += 1
        rule.supervision_min, rule.self_min, rule.updated_by = supervision_min, self_min, acting_user
        rule.save()
        audit.record(
            actor=acting_user,
            action="inspections.frequency_rule.save",
            obj=rule,
            before=before,
            after=_values(rule),
            region_path=region.path,
            object_repr=f"{region.name}检查频次 督导≥{supervision_min} 自查≥{self_min}",
        )
    return rule


def rule_delete(*, acting_user, rule: FrequencyRule, expected_version: int) -> None:
    """Remove a region's rule: its schools fall back to the nearest rule above, or 2 and 2."""
    if not can_manage(acting_user, rule.region):
        raise PermissionDenied("您无权删除该区划的检查频次规则。")
    with transaction.atomic():
        current = FrequencyRule.objects.select_for_update().filter(pk=rule.pk).first()
        if current is None or current.version != expected_version:
            raise ConflictError(f"{rule.region.name}的检查频次规则已被他人修改或删除，请刷新页面。")
        audit.record(
            actor=acting_user,
            action="inspections.frequency_rule.delete",
            obj=current,
            before=_values(current),
            region_path=rule.region.path,
            object_repr=f"{rule.region.name}检查频次规则",
        )
        current.delete()
