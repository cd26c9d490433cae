"""Inspection plans: the list (plans of the user's organisations and plans touching the user's
schools), a new plan, and one plan's page with its entries, their state and a form to add one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.forms import apply_validation_error
from huxiao.inspections import plans
from huxiao.inspections.access import access_plan, plan_editable, plan_owned
from huxiao.inspections.forms import EntryForm, PlanForm
from huxiao.inspections.models import InspectionPlan, PlanEntry


def plan_list(request):
    require_cap(request.user, Cap.SCHOOL_VIEW)
    scope = scope_of(request.user)
    found = (
        InspectionPlan.objects.visible_to(request.user)
        .select_related("owner_org")
        .order_by("-semester_start", "-pk")
    )
    return render(
        request,
        "inspections/plan_list.html",
        {"plans": found, "can_plan": scope.has(Cap.INSPECTION_PLAN)},
    )


def plan_create(request):
    require_cap(request.user, Cap.INSPECTION_PLAN)
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = plans.plan_create(acting_user=request.user, **form.cleaned_data)
        messages.success(request, f"已新建{plan.semester_label}检查计划，请添加计划条目。")
        return redirect("inspections:plan-detail", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form})


def plan_detail(request, pk):
    plan = access_plan(request.user, pk)
    can_edit = plan_editable(request.user, plan)
    form = EntryForm(request.POST or None, user=request.user, plan=plan) if can_edit else None
    if request.method == "POST":
        if form is None:
            access_plan(request.user, pk, write=True)  # 403 with the reason
        elif form.is_valid():
            data = dict(form.cleaned_data)
            inspectors = list(data.pop("inspectors") or [])
            try:
                plans.plan_entry_add(acting_user=request.user, plan=plan, inspectors=inspectors, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已添加计划条目。")
                return redirect("inspections:plan-detail", pk=pk)
    entries = (
        plan.entries.all()
        if plan_owned(request.user, plan)
        else PlanEntry.objects.visible_to(request.user).filter(plan=plan)
    )
    entries = entries.select_related("school", "inspecting_org", "template", "done_by").prefetch_related(
        "inspectors"
    )
    return render(
        request,
        "inspections/plan_detail.html",
        {"plan": plan, "entries": entries, "form": form, "can_edit": can_edit},
    )


@require_POST
def entry_delete(request, pk):
    entry = PlanEntry.objects.select_related("plan", "school__region").filter(pk=pk).first()
    if entry is None:
        raise Http404("计划条目不存在。")
    access_plan(request.user, entry.plan_id, write=True)
    try:
        plans.plan_entry_remove(acting_user=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已删除计划条目。")
    return redirect("inspections:plan-detail", pk=entry.plan_id)
