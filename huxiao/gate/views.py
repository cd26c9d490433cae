"""Pages of the gate log: parse, `access_*`, a service, render or redirect. `/gate/` is the
school's (its 门卫 at the gate, on a phone); `/gate/overview/` the 学区's and the police's counts,
with the police's plate / 身份证号 search."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from huxiao.core.errors import ConflictError, error_message
from huxiao.core.forms import run_on_form
from huxiao.core.validation import int_param
from huxiao.gate import access, forms, selectors, services
from huxiao.gate.choices import LogKind
from huxiao.gate.models import VisitorEntry

PAGE_SIZE = 50
REASONS = ["送快递", "送外卖", "家长来访", "送货", "维修", "公务来访", "施工", "面试", "其他"]
HOSTS = ["校长室", "总务处", "教务处", "政教处", "保卫科", "食堂", "班主任", "宿管"]


def _school(request):
    """The school whose log the page shows: the user's one, or the one chosen (`?school=`)."""
    schools = list(selectors.kept_schools(request.user))
    if not schools:
        raise Http404(access.NOT_FOUND)
    chosen = int_param(request.GET.get("school"))
    return next((s for s in schools if s.pk == chosen), schools[0]), schools


def log(request):
    """门卫登记: three big buttons, who is in (离校 one tap each), who left, the 接送异常, the day's
    and the month's totals; the safety lead's month filter."""
    access.require_log(request.user)
    school, schools = _school(request)
    today = timezone.localdate()
    filters = forms.MonthForm(request.GET or None) if access.reviews_log(request.user) else None
    chosen = filters.cleaned_data if filters is not None and filters.is_valid() else {}
    month, kind = chosen.get("month"), chosen.get("kind") or LogKind.VISITOR
    page = None
    if month is not None:
        rows = selectors.month_rows(request.user, school, kind, month)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.masked(page.object_list)
    context = {
        "school": school,
        "schools": schools,
        "day": None if month else selectors.gate_day(request.user, school, today),
        "month_totals": selectors.month_totals(request.user, school, month or today),
        "filters": filters,
        "month": month,
        "kind": kind,
        "page_obj": page,
        "query": _without_page(request),
        "today": today,
    }
    return render(request, "gate/log.html", context)


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _create(request, form_class, register, template: str, done):
    """A registration form: saved → back to the gate page with `done(record)`; refused → the form
    again with the message, what was typed kept."""
    access.require_log(request.user)
    school, schools = _school(request)
    initial = {"plate": services.plate_prefix(school)} if form_class is forms.VehicleForm else {}
    form = form_class(
        request.POST or None,
        schools=selectors.kept_schools(request.user),
        initial={**initial, "school": school.pk},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved, status = run_on_form(form, lambda: register(acting_user=request.user, **data))
        if saved is not None:
            messages.success(request, done(saved))
            return redirect(_log_url(saved.school, schools))
    context = {"form": form, "school": school, "reasons": REASONS, "hosts": HOSTS}
    return render(request, template, context, status=status)


def _log_url(school, schools) -> str:
    url = reverse("gate:log")
    return f"{url}?school={school.pk}" if len(schools) > 1 else url


def visitor_create(request):
    return _create(
        request,
        forms.VisitorForm,
        services.visitor_register,
        "gate/visitor_form.html",
        lambda v: f"已登记访客 {v.name}（{timezone.localtime(v.entered_at):%H:%M} 入校）。",
    )


def vehicle_create(request):
    return _create(
        request,
        forms.VehicleForm,
        services.vehicle_register,
        "gate/vehicle_form.html",
        lambda v: f"已登记车辆 {v.plate}（{timezone.localtime(v.entered_at):%H:%M} 入校）。",
    )


def pickup_create(request):
    return _create(
        request,
        forms.PickupForm,
        services.pickup_record,
        "gate/pickup_form.html",
        lambda p: f"已登记接送异常：{p.child_class}，由{p.picked_up_by}接走（审批人 {p.approved_by}）。",
    )


def entry_leave(request, kind: str, pk: int):
    """离校: one tap (POST). A second tap, or another phone first, is told it is already done."""
    entry = access.access_entry(request.user, kind, pk)
    back = redirect(_log_url(entry.school, list(selectors.kept_schools(request.user))))
    if request.method != "POST":
        # a 门卫 whose session ran out taps 离校, signs in again and lands here by GET
        messages.info(request, "已重新登录，请再点一次“离校”。")
        return back
    form = forms.LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "页面数据有误，请刷新页面后重试。")
        return back
    try:
        services.entry_leave(
            acting_user=request.user, entry=entry, expected_version=form.cleaned_data["version"]
        )
    except (ValidationError, ConflictError) as exc:
        messages.error(request, error_message(exc))
    else:
        label = entry.name if isinstance(entry, VisitorEntry) else entry.plate
        messages.success(request, f"已登记离校：{label}（{timezone.localtime():%H:%M}）。")
    return back


def overview(request):
    """Counts per school for the 学区 and the police (never a name); the police's search (POST:
    the key stays out of the address bar and the server log) shows masked matches."""
    access.require_counts(request.user)
    filters = forms.OverviewForm(request.GET or None)
    month = filters.cleaned_data.get("month") if filters.is_valid() else None
    search = forms.SearchForm(request.POST or None) if access.searches(request.user) else None
    if request.method == "POST" and search is None:
        raise PermissionDenied("只有派出所和公安分局可以按车牌号或身份证号查询门卫登记。")
    result, status = None, 200
    if request.method == "POST" and search is not None and search.is_valid():
        key = search.cleaned_data["key"]
        result, status = run_on_form(search, lambda: services.gate_search(acting_user=request.user, key=key))
    rows = selectors.overview(request.user, month)
    context = {
        "rows": rows,
        "total": selectors.summed(rows),
        "filters": filters,
        "month": month or timezone.localdate(),
        "search": search,
        "result": result,
    }
    return render(request, "gate/overview.html", context, status=status)
