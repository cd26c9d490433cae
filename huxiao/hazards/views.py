"""Hazard register pages: the register with filters and bulk 核实立案, reporting a hazard, one
hazard's page (facts, photos before/after, timeline, plan, extensions, the actions the user may
take now) and the POST endpoints behind it, and photos served through the user's scope.

Each view: parse, `access_hazard` (404 outside scope, 403 without the capability), call a
service, render or redirect. A ConflictError (someone acted first) re-renders the page with the
service's Chinese message and status 409; a ValidationError lands on the form's fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.errors import ConflictError, error_message
from huxiao.core.files import serve_photo
from huxiao.core.forms import apply_validation_error
from huxiao.core.validation import is_db_integer
from huxiao.hazards import selectors, services
from huxiao.hazards.access import access_hazard, extension_decider_orgs, plan_orgs
from huxiao.hazards.choices import LIVE_STATES, ExtensionState, State
from huxiao.hazards.forms import (
    EvidenceForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    HazardActionForm,
    HazardBulkForm,
    HazardFilterForm,
    HazardReportForm,
    PlanForm,
    PlanTaskFormSet,
    TempMeasuresForm,
)
from huxiao.hazards.models import ExtensionRequest, Hazard, HazardAttachment
from huxiao.hazards.notice_forms import ISSUABLE_STATES
from huxiao.hazards.selectors import HazardFile
from huxiao.hazards.sources import source_link
from huxiao.lib.dates import cn_date
from huxiao.schools.models import School
from huxiao.schools.scope import can_act_at, school_org_ids

PAGE_SIZE = 25
PLAN_ROWS = 3  # blank task rows a new plan starts with
DANGER_ACTIONS = ("dismiss", "return", "reopen")

# --- The register ------------------------------------------------------------------------------


def hazard_list(request):
    """隐患台账 of the user's scope: filters, counts by state as chips, 25 a page."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    form = HazardFilterForm(request.GET or None, user=request.user)
    hazards = selectors.hazard_register(request.user)
    valid = form.is_valid()
    counts = selectors.state_counts(form.apply(hazards, skip=("state",)) if valid else hazards)
    page = Paginator(form.apply(hazards) if valid else hazards, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hazards/hazard_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "chips": _state_chips(request.GET, counts, form.cleaned_data.get("state") if valid else ""),
            "can_report": scope_of(request.user).has(Cap.HAZARD_REPORT),
            "can_review": scope_of(request.user).has(Cap.HAZARD_REVIEW),
            "can_export": scope_of(request.user).has(Cap.SCHOOL_EXPORT),
        },
    )


def _state_chips(params, counts: dict[str, int], current: str) -> list[dict]:
    """One link per state (with its count) keeping the other filters; "全部" first."""

    def url(state: str) -> str:
        query = params.copy()
        query.pop("page", None)
        query.pop("state", None)
        if state:
            query["state"] = state
        return "?" + query.urlencode()

    chips = [{"label": "全部", "count": sum(counts.values()), "url": url(""), "active": not current}]
    chips += [
        {
            "label": state.label,
            "count": counts[state.value],
            "url": url(state.value),
            "active": current == state,
        }
        for state in State
    ]
    return chips


@require_POST
def hazard_bulk(request):
    """核实立案 for the ticked 待核实 rows, one hazard at a time through the service with the
    version its row showed; each is reported as done or skipped (with the reason)."""
    require_cap(request.user, Cap.HAZARD_REVIEW)
    form = HazardBulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        back = QueryDict(request.POST.get("back", "")).urlencode()  # normalised: no header tricks
        return redirect(reverse("hazards:hazard-list") + "?" + back)
    outcomes = [_bulk_confirm(request.user, pk, version) for pk, version in form.cleaned_data["selected"]]
    done = sum(1 for o in outcomes if o["done"])
    return render(
        request,
        "hazards/hazard_bulk_result.html",
        {
            "outcomes": outcomes,
            "done": done,
            "skipped": len(outcomes) - done,
            "back": form.cleaned_data["back"],
        },
    )


def _bulk_confirm(user, pk: int, version: int | None) -> dict:
    """Confirm one hazard; never raises — the outcome says what happened."""
    hazard = Hazard.objects.visible_to(user).select_related("school__region").filter(pk=pk).first()
    outcome = {"pk": pk, "hazard": hazard, "done": False, "message": ""}
    if hazard is None:
        outcome["message"] = "隐患不存在或不在您的管辖范围内。"
    elif version is None:
        outcome["message"] = "缺少页面版本信息，请刷新页面后重试。"
    elif not can_act_at(user, hazard.school, Cap.HAZARD_REVIEW):
        outcome["message"] = "您的角色不能核实该校的隐患。"
    else:
        try:
            hazard = services.hazard_transition(
                acting_user=user, hazard=hazard, action="confirm", expected_version=version
            )
        except ConflictError as exc:
            outcome["message"] = exc.message
        except (ValidationError, PermissionDenied) as exc:
            outcome["message"] = error_message(exc)
        else:
            outcome.update(
                hazard=hazard, done=True, message=f"已核实立案，整改期限{cn_date(hazard.deadline)}。"
            )
    return outcome


# --- Reporting ---------------------------------------------------------------------------------


def hazard_create(request):
    """登记隐患 at a school the user may report at (?school= preselects it)."""
    require_cap(request.user, Cap.HAZARD_REPORT)
    school_id = request.GET.get("school", "")
    if school_id and not School.objects.visible_to(request.user).filter(pk=_int(school_id)).exists():
        raise Http404("学校不存在或不在您的管辖范围内。")
    form = HazardReportForm(
        request.POST or None, request.FILES or None, user=request.user, initial={"school": school_id or None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            hazard = services.hazard_report(acting_user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc, default_field="photos")
        else:
            done = "并核实立案" if hazard.state == State.OPEN else "，待核实"
            messages.success(request, f"已登记隐患 {hazard.code}{done}，整改期限{cn_date(hazard.deadline)}。")
            return redirect("hazards:hazard-detail", pk=hazard.pk)
    return render(request, "hazards/hazard_form.html", {"form": form})


def _int(value) -> int | None:
    return int(value) if is_db_integer(value) else None


# --- One hazard --------------------------------------------------------------------------------


def hazard_detail(request, pk):
    return _render_detail(request, access_hazard(request.user, pk))


def _render_detail(request, hazard: Hazard, *, bound: dict | None = None, conflict: str = "", status=200):
    """The hazard page; `bound` holds a posted form with errors (by name) to show instead of a
    blank one, `conflict` the message of an action someone else got to first."""
    user, bound = request.user, bound or {}
    if conflict:  # someone else changed it: show what it is now
        hazard = access_hazard(user, hazard.pk)
    file = selectors.hazard_file(hazard)
    live = hazard.state in LIVE_STATES
    actions = [
        {
            "name": name,
            "label": services.ACTION_LABELS[name],
            "danger": name in DANGER_ACTIONS,
            "form": bound.get(name) or _action_form(name, hazard),
        }
        for name in allowed_actions(user, hazard)
    ]
    may_rectify = can_act_at(user, hazard.school, Cap.HAZARD_RECTIFY)
    may_evidence = live and (may_rectify or can_act_at(user, hazard.school, Cap.HAZARD_REPORT))
    may_temp = live and (may_rectify or can_act_at(user, hazard.school, Cap.HAZARD_PLAN))
    may_extend = (
        may_rectify and hazard.state in (State.OPEN, State.RECTIFYING) and not file.pending_extensions
    )
    decider = may_decide_extension(user, hazard, file)
    return render(
        request,
        "hazards/hazard_detail.html",
        {
            "hazard": hazard,
            "source_link": source_link(hazard),
            "deadline": selectors.deadline_status(hazard),
            "file": file,
            "actions": actions,
            "conflict": conflict,
            # a posted form with errors is shown even if the hazard has moved on meanwhile
            "evidence_form": bound.get("evidence") or (EvidenceForm() if may_evidence else None),
            "temp_form": bound.get("temp")
            or (TempMeasuresForm(initial={"text": hazard.temp_measures}) if may_temp else None),
            "extension_form": bound.get("extension") or (ExtensionRequestForm() if may_extend else None),
            "decide_forms": [
                (req, bound.get(f"decide{req.pk}") or ExtensionDecideForm(request_id=req.pk))
                for req in file.pending_extensions
            ]
            if decider
            else [],
            "can_plan": may_plan(user, hazard),
            "can_issue_notice": hazard.state in ISSUABLE_STATES
            and can_act_at(user, hazard.school, Cap.NOTICE_ISSUE),
        },
        status=status,
    )


def _action_form(name: str, hazard: Hazard, data=None, files=None) -> HazardActionForm:
    return HazardActionForm(
        data,
        files,
        action=name,
        needs_reason=services.TRANSITIONS[name].needs_reason,
        deadline=hazard.deadline,
        initial={"expected_version": hazard.version},
    )


def allowed_actions(user, hazard: Hazard) -> list[str]:
    """The transitions the user may take on the hazard now (the service checks again)."""
    names = []
    for name, rule in services.TRANSITIONS.items():
        if hazard.state not in rule.sources:
            continue
        orgs = school_org_ids(user, hazard.school, rule.cap)
        if rule.other_org:  # a reviewer may not pass their own organisation's rectification
            orgs = [o for o in orgs if o != hazard.responsible_org_id]
        if orgs:
            names.append(name)
    return names


def may_plan(user, hazard: Hazard) -> bool:
    """A 重大 hazard's plan is led by a 学区管理中心 holding HAZARD_PLAN there (as plan_record)."""
    return hazard.is_major and hazard.state in LIVE_STATES and bool(plan_orgs(user, hazard.school))


def may_decide_extension(user, hazard: Hazard, file: HazardFile) -> bool:
    """As services.extension_decide: the notices' issuers decide, else a reviewer."""
    return bool(extension_decider_orgs(user, hazard, {n.issuer_id for n in file.notices}))


@require_POST
def hazard_act(request, pk, action):
    """One transition (核实立案, 提交验收, 验收销号 …) with the version the user saw."""
    rule = services.TRANSITIONS.get(action)
    if rule is None:
        raise Http404("没有这项操作。")
    hazard = access_hazard(request.user, pk, cap=rule.cap)
    form = _action_form(action, hazard, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.hazard_transition(
                acting_user=request.user,
                hazard=hazard,
                action=action,
                expected_version=data["expected_version"],
                reason=data.get("reason", ""),
                note=data.get("note", ""),
                photos=data.get("photos") or (),
                deadline=data.get("deadline"),
            )
        except ConflictError as exc:
            return _render_detail(request, hazard, conflict=exc.message, status=409)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已{services.ACTION_LABELS[action]}。")
            return redirect("hazards:hazard-detail", pk=hazard.pk)
    return _render_detail(request, hazard, bound={action: form})


def _require_any(user, hazard: Hazard, *caps: str) -> None:
    if not any(can_act_at(user, hazard.school, cap) for cap in caps):
        raise PermissionDenied("您的角色不能对该隐患进行此项操作。")


@require_POST
def hazard_evidence(request, pk):
    """Upload photos (before/after/other) to a live hazard."""
    hazard = access_hazard(request.user, pk)
    _require_any(request.user, hazard, Cap.HAZARD_RECTIFY, Cap.HAZARD_REPORT)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.hazard_add_evidence(acting_user=request.user, hazard=hazard, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc, default_field="photos")
        else:
            messages.success(request, f"已上传{count}张照片。")
            return redirect("hazards:hazard-detail", pk=hazard.pk)
    return _render_detail(request, hazard, bound={"evidence": form})


@require_POST
def hazard_temp_measures(request, pk):
    """Record the temporary protective measures (required before a 重大 hazard is accepted)."""
    hazard = access_hazard(request.user, pk)
    _require_any(request.user, hazard, Cap.HAZARD_RECTIFY, Cap.HAZARD_PLAN)
    form = TempMeasuresForm(request.POST)
    if form.is_valid():
        try:
            services.hazard_record_temp_measures(
                acting_user=request.user, hazard=hazard, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc, default_field="text")
        else:
            messages.success(request, "临时防护措施已记录。")
            return redirect("hazards:hazard-detail", pk=hazard.pk)
    return _render_detail(request, hazard, bound={"temp": form})


def hazard_plan(request, pk):
    """The 重大 hazard's rectification plan: a summary and task rows (task, owner, deadline);
    "增加一行" posts back for one more blank row."""
    hazard = access_hazard(request.user, pk, cap=Cap.HAZARD_PLAN)
    if not may_plan(request.user, hazard):
        raise PermissionDenied("整改方案针对在办的重大隐患，由学区管理中心牵头制定。")
    plan = selectors.hazard_file(hazard).plan
    if request.method == "POST":
        form, tasks = PlanForm(request.POST), PlanTaskFormSet(request.POST, prefix="tasks")
        if "add_row" in request.POST:
            form, tasks = _with_extra_row(request.POST)
        elif form.is_valid() and tasks.is_valid():
            try:
                services.plan_record(
                    acting_user=request.user,
                    hazard=hazard,
                    summary=form.cleaned_data["summary"],
                    tasks=tasks.tasks(),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "整改方案已保存。")
                return redirect("hazards:hazard-detail", pk=hazard.pk)
    else:
        rows = (
            [{"task": t.task, "owner": t.owner, "deadline": t.deadline} for t in plan.tasks.all()]
            if plan
            else []
        )
        form = PlanForm(initial={"summary": plan.summary if plan else ""})
        tasks = PlanTaskFormSet(initial=[*rows, *([{}] * PLAN_ROWS)], prefix="tasks")
    return render(
        request, "hazards/hazard_plan.html", {"hazard": hazard, "plan": plan, "form": form, "tasks": tasks}
    )


def _with_extra_row(post):
    """The posted plan again with one more blank task row (no errors shown yet)."""
    data = post.copy()
    total = _int(data.get("tasks-TOTAL_FORMS")) or 0
    data["tasks-TOTAL_FORMS"] = str(min(total + 1, 50))
    form = PlanForm(initial={"summary": data.get("summary", "")})
    rows = [{k: data.get(f"tasks-{i}-{k}", "") for k in ("task", "owner", "deadline")} for i in range(total)]
    return form, PlanTaskFormSet(initial=[*rows, {}], prefix="tasks")


@require_POST
def extension_request_view(request, pk):
    """The school asks for a later deadline; the issuing organisation decides."""
    hazard = access_hazard(request.user, pk, cap=Cap.HAZARD_RECTIFY)
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.extension_request(acting_user=request.user, hazard=hazard, **form.cleaned_data)
        except ConflictError as exc:
            return _render_detail(request, hazard, conflict=exc.message, status=409)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "延期申请已提交，等待审批。")
            return redirect("hazards:hazard-detail", pk=hazard.pk)
    return _render_detail(request, hazard, bound={"extension": form})


def _access_extension(user, pk) -> ExtensionRequest:
    """An extension request of a hazard in the user's scope (404 otherwise)."""
    req = (
        ExtensionRequest.objects.filter(pk=pk, hazard__in=Hazard.objects.visible_to(user))
        .select_related("hazard")
        .first()
    )
    if req is None:
        raise Http404("延期申请不存在或不在您的管辖范围内。")
    return req


@require_POST
def extension_decide_view(request, pk):
    """Approve (the deadline moves) or reject an extension request."""
    req = _access_extension(request.user, pk)
    hazard = access_hazard(request.user, req.hazard_id)
    if not may_decide_extension(request.user, hazard, selectors.hazard_file(hazard)):
        raise PermissionDenied("延期申请由下发整改通知书的单位（或审核单位）审批。")
    form = ExtensionDecideForm(request.POST, request_id=req.pk)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.extension_decide(
                acting_user=request.user, request=req, approve=approve, note=form.cleaned_data["note"]
            )
        except ConflictError as exc:
            return _render_detail(request, hazard, conflict=exc.message, status=409)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            done = f"已批准延期至{cn_date(req.new_deadline)}" if approve else "已驳回延期申请"
            messages.success(request, f"{done}。")
            return redirect("hazards:hazard-detail", pk=hazard.pk)
    if req.state != ExtensionState.PENDING:
        return _render_detail(request, hazard, conflict="该延期申请已处理。", status=409)
    return _render_detail(request, hazard, bound={f"decide{req.pk}": form})


# --- Photos ------------------------------------------------------------------------------------


def attachment(request, pk, size):
    """A hazard photo (`full`) or its thumbnail (`thumb`), only for users who may see the hazard
    — media are never served from a public /media/ URL."""
    photo = HazardAttachment.objects.filter(pk=pk).first()
    access_hazard(request.user, photo.hazard_id if photo else None)
    assert photo is not None  # access_hazard answered 404 otherwise
    return serve_photo(photo, size)
