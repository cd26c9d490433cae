"""Audit log and the region/organisation registers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from huxiao.accounts import directory as services
from huxiao.accounts.access import require_cap
from huxiao.accounts.admin_forms import AuditFilterForm, OrganisationEditForm, OrganisationForm, RegionForm
from huxiao.accounts.roles import Cap
from huxiao.accounts.selectors import audit_events_visible_to
from huxiao.core import audit
from huxiao.core.forms import apply_validation_error
from huxiao.core.models import Organisation, Region


def audit_list(request):
    require_cap(request.user, Cap.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None)
    events = audit_events_visible_to(request.user).select_related("actor", "organisation")
    if form.is_valid():
        events = form.apply(events)
    page = Paginator(events.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_list.html", {"form": form, "page": page})


@require_POST
def audit_verify(request):
    require_cap(request.user, Cap.AUDIT_VIEW)
    report = audit.verify_chain()
    if report.ok:
        anchored = f"，与保存在数据库之外的 {report.anchors} 个锚点一致" if report.anchors else ""
        messages.success(request, f"审计链完整：已核验 {report.checked} 条记录{anchored}，未发现篡改或删除。")
    else:
        messages.error(request, "审计链异常：" + "；".join(report.problems[:10]))
    return redirect("audit:list")


def organisation_list(request):
    require_cap(request.user, Cap.ORG_MANAGE)
    organisations = Organisation.objects.select_related("region").prefetch_related("jurisdiction_regions")
    regions = Region.objects.all()
    return render(
        request, "accounts/organisation_list.html", {"organisations": organisations, "regions": regions}
    )


def organisation_create(request):
    require_cap(request.user, Cap.ORG_MANAGE)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_create(
                acting_user=request.user,
                name=data["name"],
                kind=data["kind"],
                region=data["region"],
                short_name=data["short_name"],
                parent=data["parent"],
                jurisdiction=list(data["jurisdiction_regions"]),
                phone=data["phone"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"单位“{data['name']}”已添加。")
            return redirect("directory:organisation-list")
    return render(request, "accounts/form_page.html", {"form": form, "title": "新增单位"})


def region_create(request):
    require_cap(request.user, Cap.ORG_MANAGE)
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.region_create(
                acting_user=request.user,
                code=data["code"],
                name=data["name"],
                level=data["level"],
                parent=data["parent"],
                code_official=data["code_official"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"区划“{data['name']}”已添加。")
            return redirect("directory:organisation-list")
    return render(request, "accounts/form_page.html", {"form": form, "title": "新增行政区划"})


def organisation_edit(request, pk):
    """Edit an organisation: names, kind, home region, jurisdiction, archive."""
    require_cap(request.user, Cap.ORG_MANAGE)
    org = get_object_or_404(Organisation, pk=pk)
    initial = {
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "region": org.region,
        "parent": org.parent,
        "jurisdiction_regions": org.jurisdiction_regions.all(),
        "phone": org.phone,
    }
    form = OrganisationEditForm(request.POST or None, initial={**initial, "is_archived": org.is_archived})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_update(
                acting_user=request.user,
                organisation=org,
                jurisdiction=list(data.pop("jurisdiction_regions")),
                **data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"单位“{org.name}”已保存。")
            return redirect("directory:organisation-list")
    return render(request, "accounts/form_page.html", {"form": form, "title": f"编辑单位 · {org.name}"})
