"""检查频次规则: the semester minimums per region (inspections.rules) — the list every viewer of
the frequency page may read, and setting, changing and removing a rule for who manages the region."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.core.errors import ConflictError
from huxiao.core.forms import apply_validation_error
from huxiao.inspections import rules
from huxiao.inspections.forms import FrequencyRuleForm
from huxiao.inspections.models import FrequencyRule
from huxiao.inspections.selectors import DEFAULT_SELF_MIN, DEFAULT_SUPERVISION_MIN


def _visible_rules(user):
    """Rules over, at or under the regions the user oversees (the ones that can apply to their schools)."""
    return (
        FrequencyRule.objects.visible_to(user).select_related("region", "updated_by").order_by("region__path")
    )


def _access(user, pk) -> FrequencyRule:
    rule = _visible_rules(user).filter(pk=pk).first()
    if rule is None:
        raise Http404("检查频次规则不存在。")
    return rule


def _save(request, form: FrequencyRuleForm, expected_version: int | None, status_form):
    data = form.cleaned_data
    try:
        rule = rules.rule_save(
            acting_user=request.user,
            region=data["region"],
            supervision_min=data["supervision_min"],
            self_min=data["self_min"],
            expected_version=expected_version,
        )
    except ConflictError as exc:
        form.add_error(None, exc.message)
        return status_form(form, 409)
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return status_form(form, 400)
    messages.success(
        request,
        f"已保存{rule.region.name}的检查频次：督导检查≥{rule.supervision_min}次，学校自查≥{rule.self_min}次。",
    )
    return redirect("inspections:frequency-rules")


def frequency_rules(request):
    require_cap(request.user, Cap.SCHOOL_VIEW)
    may_set = bool(rules.manageable_paths(request.user))
    form = (
        FrequencyRuleForm(request.POST or None, regions=rules.manageable_regions(request.user))
        if may_set
        else None
    )

    def page(form, status=200):
        listed = _visible_rules(request.user)
        return render(
            request,
            "inspections/frequency_rules.html",
            {
                "rules": [(r, rules.can_manage(request.user, r.region)) for r in listed],
                "form": form,
                "default_supervision": DEFAULT_SUPERVISION_MIN,
                "default_self": DEFAULT_SELF_MIN,
            },
            status=status,
        )

    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您无权设置检查频次。")
        if not form.is_valid():
            return page(form, 400)
        existing = FrequencyRule.objects.filter(region=form.cleaned_data["region"]).first()
        if existing is not None:
            form.add_error("region", f"{existing.region.name}已有检查频次规则，请在列表中点“修改”。")
            return page(form, 400)
        return _save(request, form, None, page)
    return page(form)


def frequency_rule_edit(request, pk: int):
    rule = _access(request.user, pk)
    if not rules.can_manage(request.user, rule.region):
        raise PermissionDenied("您无权修改该区划的检查频次规则。")
    initial = {"supervision_min": rule.supervision_min, "self_min": rule.self_min, "version": rule.version}
    form = FrequencyRuleForm(request.POST or None, initial=initial, region=rule.region)

    def page(form, status=200):
        return render(
            request, "inspections/frequency_rule_edit.html", {"rule": rule, "form": form}, status=status
        )

    if request.method == "POST":
        if not form.is_valid():
            return page(form, 400)
        return _save(request, form, form.cleaned_data.get("version"), page)
    return page(form)


@require_POST
def frequency_rule_delete(request, pk: int):
    rule = _access(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        rules.rule_delete(acting_user=request.user, rule=rule, expected_version=version)
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除{rule.region.name}的检查频次规则，其学校改按上级区划或默认要求。")
    return redirect("inspections:frequency-rules")
