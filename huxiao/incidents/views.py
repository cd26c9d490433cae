"""The incident pages: the register, reporting one, its page (report and 签收, the 三同步 columns,
the timeline, the people involved masked, 查看完整信息 with a reason, the closing), and the POSTs
of the daily work. Each view: parse → access → service → render/redirect."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huxiao.core.errors import error_message
from huxiao.core.files import serve_photo
from huxiao.core.forms import run_on_form
from huxiao.core.semesters import current_or_last
from huxiao.core.validation import month_param
from huxiao.incidents import access, forms, selectors, services
from huxiao.incidents.choices import THREE_TRACKS
from huxiao.reports.documents import docx_response


def incident_list(request):
    if not access.sees_incidents(request.user):
        raise Http404("您没有查看涉校案事件的权限。")
    filters = forms.FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.register(request.user, **{k: v for k, v in chosen.items() if v})
    return render(
        request,
        "incidents/incident_list.html",
        {
            "filters": filters,
            "rows": rows[:200],
            "to_sign": selectors.to_sign(request.user),
            "may_report": access.may_report(request.user),
        },
    )


def incident_create(request):
    if not access.may_report(request.user):
        raise Http404("您没有报告涉校案事件的权限。")
    form = forms.IncidentForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved, status = run_on_form(form, lambda: services.incident_report(acting_user=request.user, **data))
        if saved is not None:
            sent = saved.notices.count()
            messages.success(
                request, f"已报告{saved.code}" + (f"，已同时报告{sent}个单位，待签收。" if sent else "。")
            )
            return redirect("incidents:incident-detail", pk=saved.pk)
    return render(request, "incidents/incident_form.html", {"form": form}, status=status)


def incident_detail(request, pk, *, forms_in: dict | None = None, plain=None, status: int = 200):
    incident = selectors.detail(access.access_incident(request.user, pk))
    user = request.user
    reads_persons = access.may_read_persons(user, incident)
    responding = access.responding_orgs(user, incident)
    closing = access.closing_orgs(user, incident)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    context = {
        "incident": incident,
        "tracks": selectors.tracks(incident),
        "timeline": selectors.timeline(incident),
        "notices": incident.notices.all(),
        "to_sign": [
            n for n in incident.notices.all() if n.organisation_id in responding and not n.acknowledged_at
        ],
        "may_respond": bool(responding) and incident.is_open,
        "may_close": bool(closing) and incident.is_open,
        "may_circulate": bool(closing) and not incident.is_open,
        "needs_accountability": incident.grade in THREE_TRACKS,
        "reads_persons": reads_persons,
        "may_record_persons": access.may_record_persons(user, incident),
        "persons": selectors.persons_masked(incident, user) if reads_persons else [],
        "plain": plain,
        "entry_form": forms.EntryForm(initial={"at": now}),
        "person_form": forms.PersonForm(),
        "reveal_form": forms.RevealForm(),
        "close_form": forms.CloseForm(initial={"version": incident.version}),
        **(forms_in or {}),
    }
    return render(request, "incidents/incident_detail.html", context, status=status)


def _done(request, incident, call, message: str, form_name: str, form):
    """Run a POST's service: saved → back to the page with `message`; refused → the page again with
    the form and its Chinese message (nothing half-saved). No right → 403 from the service."""
    saved, status = run_on_form(form, call)
    if saved is None:
        return incident_detail(
            request, incident.pk, forms_in={form_name: form}, status=400 if status == 200 else status
        )
    messages.success(request, message)
    return redirect("incidents:incident-detail", pk=incident.pk)


@require_POST
def incident_acknowledge(request, pk):
    incident = access.access_incident(request.user, pk)
    signed = services.incident_acknowledge(acting_user=request.user, incident=incident)
    names = "、".join(n.organisation.name for n in signed)
    messages.success(request, f"{names}已签收。" if signed else "已签收过，无需再次签收。")
    return redirect("incidents:incident-detail", pk=pk)


def _post_form(request, pk, form_class, form_name: str, write, message: str):
    """A form POSTed from the incident page: shape errors and refusals come back on the page."""
    incident = access.access_incident(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return incident_detail(request, pk, forms_in={form_name: form}, status=400)
    data = form.cleaned_data
    return _done(
        request,
        incident,
        lambda: write(acting_user=request.user, incident=incident, **data),
        message,
        form_name,
        form,
    )


@require_POST
def entry_create(request, pk):
    return _post_form(request, pk, forms.EntryForm, "entry_form", services.response_log, "已记录处置情况。")


@require_POST
def person_create(request, pk):
    return _post_form(
        request, pk, forms.PersonForm, "person_form", services.person_add, "已登记当事人（加密保存）。"
    )


@require_POST
def persons_reveal(request, pk):
    incident = access.access_incident(request.user, pk)
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        return incident_detail(request, pk, forms_in={"reveal_form": form}, status=400)
    plain, status = run_on_form(
        form,
        lambda: services.persons_reveal(
            acting_user=request.user, incident=incident, reason=form.cleaned_data["reason"]
        ),
    )
    return incident_detail(request, pk, forms_in={"reveal_form": form}, plain=plain, status=status)


@require_POST
def incident_close(request, pk):
    incident = access.access_incident(request.user, pk)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        return incident_detail(request, pk, forms_in={"close_form": form}, status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version", None)
    result, status = run_on_form(
        form,
        lambda: services.incident_close(
            acting_user=request.user, incident=incident, expected_version=version, **data
        ),
    )
    if result is None:
        return incident_detail(
            request, pk, forms_in={"close_form": form}, status=400 if status == 200 else status
        )
    _closed, hazards = result
    messages.success(
        request, f"已结案，{len(hazards)}条整改措施已登记为隐患：{'、'.join(h.code for h in hazards)}。"
    )
    return redirect("incidents:incident-detail", pk=pk)


def incident_circular(request, pk):
    """The 通报 .docx of a closed incident (numbered the first time)."""
    incident = access.access_incident(request.user, pk)
    try:
        current, data = services.circular_issue(acting_user=request.user, incident=incident)
    except ValidationError as exc:
        messages.error(request, error_message(exc))
        return redirect("incidents:incident-detail", pk=pk)
    return docx_response(data, f"案事件通报_{current.code}")


# --- 报警/警情 -----------------------------------------------------------------------------------


def alarm_list(request):
    """A month's alarms with the police's arrival times; the form to record one (school, police)."""
    if not access.sees_incidents(request.user):
        raise Http404("您没有查看报警记录的权限。")
    today = timezone.localdate()
    month = month_param(request.GET.get("month"), today.replace(day=1))
    end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    form = (
        forms.AlarmForm(request.POST or None, user=request.user) if access.may_report(request.user) else None
    )
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404("您没有登记报警记录的权限。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            saved, status = run_on_form(form, lambda: services.alarm_record(acting_user=request.user, **data))
            if saved is not None:
                messages.success(request, f"已登记{saved.school.name}的{saved.get_source_display()}。")
                return redirect("incidents:alarm-list")
        status = 400 if status == 200 else status
    rows = list(selectors.alarms(request.user, month, end))
    context = {"rows": rows, "stats": selectors.response_stats(rows), "month": month, "form": form}
    return render(request, "incidents/alarm_list.html", context, status=status)


# --- 应急演练 ------------------------------------------------------------------------------------


def drill_list(request):
    """This semester's drills, the schools below the 三防 minimum, and the form to record one."""
    if not access.sees_incidents(request.user):
        raise Http404("您没有查看应急演练的权限。")
    today = timezone.localdate()
    form = (
        forms.DrillForm(request.POST or None, request.FILES or None, user=request.user)
        if access.may_report(request.user)
        else None
    )
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404("您没有登记应急演练的权限。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            result, status = run_on_form(
                form, lambda: services.drill_record(acting_user=request.user, **data)
            )
            if result is not None:
                drill, hazards = result
                found = f"，{len(hazards)}个问题已登记为隐患" if hazards else ""
                messages.success(
                    request, f"已登记{drill.school.name}的{drill.get_kind_display()}演练{found}。"
                )
                return redirect("incidents:drill-list")
        status = 400 if status == 200 else status
    semester = current_or_last(today)
    context = {
        "semester": semester,
        "rows": selectors.drills(request.user, semester),
        "gaps": selectors.drill_gaps(request.user, today),
        "form": form,
    }
    return render(request, "incidents/drill_list.html", context, status=status)


def drill_photo(request, pk, size):
    photo = access.access_drill_photo(request.user, pk)
    return serve_photo(photo, size)
