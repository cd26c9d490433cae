"""Notices (限期整改通知书), the 挂牌督办 page and the rungs of the overdue ladder, the Word
documents (notice, 督办/约谈/挂牌 letters, the closure dossier) and the 隐患台账 export.

Every object comes through hazards.access (or `_access_escalation` below, which uses the same
scope filter): 404 outside the user's scope, 403 without the capability.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import units_of
from huxiao.core import jobs
from huxiao.core.calendar import working_days_between
from huxiao.core.errors import ConflictError
from huxiao.core.forms import apply_validation_error
from huxiao.core.models import Job
from huxiao.hazards import exports, services
from huxiao.hazards.access import access_escalation, access_hazard, access_notice, interview_recorders
from huxiao.hazards.choices import Document, Escalation
from huxiao.hazards.documents import dossier_context, escalation_context, notice_context
from huxiao.hazards.models import Hazard, HazardEscalation, RectificationNotice
from huxiao.hazards.notice_forms import (
    ISSUABLE_STATES,
    InterviewForm,
    NoticeFilterForm,
    NoticeIssueForm,
    SchoolPickForm,
)
from huxiao.hazards.policy import default_deadline
from huxiao.reports.documents import DOCX_CONTENT_TYPE, render_docx
from huxiao.schools.models import School
from huxiao.schools.scope import can_act_at, require_school_cap

PAGE_SIZE = 25
DOC_KIND_OF_LEVEL = {
    Escalation.SUPERVISE: Document.SUPERVISION,
    Escalation.INTERVIEW: Document.INTERVIEW,
    Escalation.LISTED: Document.LISTING,
}


def _docx(data: bytes, name: str) -> FileResponse:
    safe = name.replace("/", "-").replace("\\", "-")
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=f"{safe}.docx", content_type=DOCX_CONTENT_TYPE
    )


def _query_without_page(data) -> str:
    query = data.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Notices ---------------------------------------------------------------------------------


def _issuing_orgs(user) -> list[tuple[int, str]]:
    """The user's own organisations that issue notices, as (id, name)."""
    return list(units_of(user, Cap.NOTICE_ISSUE).values_list("pk", "name"))


def notice_list(request):
    """Notices to schools in the user's scope; an issuing unit sees its own by default."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    visible = RectificationNotice.objects.visible_to(request.user)
    issuers = _issuing_orgs(request.user)
    data = request.GET.copy()
    if issuers and "issuer" not in data:
        data["issuer"] = str(issuers[0][0])
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    form = NoticeFilterForm(data, issuers=issuers, years=years)
    notices = form.apply(visible) if form.is_valid() else visible
    notices = (
        notices.select_related("issuer", "school", "signed_by")
        .annotate(hazard_count=Count("hazards"))
        .order_by("-issued_at", "-pk")
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hazards/notice_list.html",
        {"form": form, "page": page, "query": _query_without_page(data), "can_issue": bool(issuers)},
    )


def _school_for_issue(user, school_id: str) -> tuple[School, list[int]]:
    """The school (404 outside scope) and the user's organisations that may issue to it (403 if none)."""
    school = (
        School.objects.visible_to(user).select_related("region").filter(pk=school_id).first()
        if str(school_id).isdigit()
        else None
    )
    if school is None:
        raise Http404("学校不存在或不在您的管辖范围内。")
    return school, require_school_cap(user, school, Cap.NOTICE_ISSUE)


def _issue_initial(school: School, hazard_ids: str, issuer_ids: list[int]) -> dict:
    """Preselected hazards (?hazards=1,2) and the deadline: the latest of theirs, or — when that
    has passed or none is chosen — the region's policy from today for the gravest one."""
    ids = [int(part) for part in hazard_ids.split(",") if part.strip().isdigit()]
    chosen = list(Hazard.objects.filter(school=school, pk__in=ids, state__in=ISSUABLE_STATES).order_by("pk"))
    today = timezone.localdate()
    deadlines = [h.deadline for h in chosen if h.deadline]
    deadline = max(deadlines) if deadlines else None
    if deadline is None or deadline < today:
        severity = (
            "major"
            if any(h.is_major for h in chosen)
            else "larger"
            if any(h.severity == "larger" for h in chosen)
            else "general"
        )
        deadline = default_deadline(school, severity, today)
    return {"issuer": issuer_ids[0], "hazards": [h.pk for h in chosen], "deadline": deadline}


def notice_issue(request):
    """Issue a notice: pick the school (?school=), tick its hazards (?hazards=1,2), set the deadline."""
    require_cap(request.user, Cap.NOTICE_ISSUE)
    school_id = request.POST.get("school") or request.GET.get("school")
    if not school_id:
        picker = SchoolPickForm(user=request.user)
        return render(request, "hazards/notice_issue.html", {"picker": picker})
    school, issuer_ids = _school_for_issue(request.user, school_id)
    initial = _issue_initial(school, request.GET.get("hazards", ""), issuer_ids)
    form = NoticeIssueForm(request.POST or None, school=school, issuer_ids=issuer_ids, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_issue(
                acting_user=request.user,
                issuer=data["issuer"],
                school=school,
                hazards=list(data["hazards"]),
                deadline=data["deadline"],
                requirements=data["requirements"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已下发整改通知书 {notice.number}，学校将收到消息提醒。")
            return redirect("hazards:notice-detail", pk=notice.pk)
    return render(request, "hazards/notice_issue.html", {"form": form, "school": school})


def notice_detail(request, pk):
    notice = access_notice(request.user, pk)
    hazards = notice.hazards.select_related("school").order_by("pk")
    return render(
        request,
        "hazards/notice_detail.html",
        {
            "notice": notice,
            "hazards": hazards,
            "can_sign": notice.signed_at is None
            and can_act_at(request.user, notice.school, Cap.HAZARD_RECTIFY),
        },
    )


@require_POST
def notice_sign(request, pk):
    notice = access_notice(request.user, pk, cap=Cap.HAZARD_RECTIFY)
    try:
        services.notice_sign(acting_user=request.user, notice=notice)
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已签收整改通知书 {notice.number}，相关隐患转入“整改中”。")
    return redirect("hazards:notice-detail", pk=notice.pk)


def notice_docx(request, pk):
    notice = access_notice(request.user, pk)
    return _docx(render_docx(Document.NOTICE, notice_context(notice)), notice.number)


# --- Escalation (督办 / 约谈 / 挂牌督办) ---------------------------------------------------------


def listed_list(request):
    """挂牌督办: live hazards on the top rung in the user's scope, then every 督办 and 约谈 rung."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    today = timezone.localdate()
    listed = (
        Hazard.objects.visible_to(request.user)
        .live()
        .filter(escalation=Escalation.LISTED)
        .select_related("school")
        .prefetch_related(
            Prefetch(
                "escalations",
                queryset=HazardEscalation.objects.filter(level=Escalation.LISTED).select_related("issuer"),
                to_attr="listing",
            )
        )
        .order_by("deadline", "pk")
    )
    rows = [
        {
            "hazard": h,
            "rung": h.listing[0] if h.listing else None,
            "overdue_days": working_days_between(h.deadline, today) if h.deadline else 0,
        }
        for h in listed
    ]
    rungs = (
        HazardEscalation.objects.visible_to(request.user)
        .filter(level__in=(Escalation.SUPERVISE, Escalation.INTERVIEW))
        .select_related("hazard__school", "issuer")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rungs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hazards/listed_list.html",
        {"rows": rows, "page": page, "query": "", "recording_orgs": interview_recorders(request.user)},
    )


def escalation_docx(request, pk):
    rung = access_escalation(request.user, pk)
    kind = DOC_KIND_OF_LEVEL[Escalation(rung.level)]
    return _docx(render_docx(kind, escalation_context(rung)), rung.number)


def escalation_record(request, pk):
    """Record the attendees and minutes of a 约谈 (the supervising organisation only)."""
    rung = access_escalation(request.user, pk)
    if rung.level != Escalation.INTERVIEW:
        raise Http404("只有约谈需要填写约谈记录。")
    if rung.issuer_id not in interview_recorders(request.user):
        raise PermissionDenied(f"约谈记录由督办单位（{rung.issuer}）填写。")
    form = InterviewForm(request.POST or None, initial={"attendees": rung.attendees, "minutes": rung.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_record_interview(
                acting_user=request.user, escalation=rung, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已保存约谈记录（{rung.number}）。")
            return redirect("hazards:listed-list")
    return render(request, "hazards/escalation_record.html", {"rung": rung, "form": form})


# --- Hazard documents and the register ----------------------------------------------------


def hazard_dossier(request, pk):
    """The closure dossier (隐患整改档案) of one hazard, in any state."""
    hazard = access_hazard(request.user, pk)
    return _docx(render_docx(Document.DOSSIER, dossier_context(hazard)), f"隐患整改档案_{hazard.code}")


def hazard_export(request):
    """隐患台账 .xlsx of the hazards the list shows (same filters). Up to `INLINE_LIMIT` rows it
    downloads at once; a bigger register is written by a background job and this redirects to
    that job's page."""
    require_cap(request.user, Cap.SCHOOL_EXPORT)
    hazards = exports.register_hazards(request.user, request.GET)
    rows = hazards.count()
    if rows <= exports.INLINE_LIMIT:
        return exports.register_download(request.user, hazards)
    job = exports.register_export_start(
        acting_user=request.user, query=exports.export_query(request.GET), rows=rows
    )
    return redirect("hazards:hazard-export-status", job_id=job.pk)


def hazard_export_status(request, job_id):
    """A big export's progress, then its 下载 link; HTMX polls the partial. Lists the user's
    recent exports. A file written under a scope the user no longer holds is not offered."""
    job = jobs.access_job(request.user, job_id, kind=exports.EXPORT_JOB_KIND)
    context = {
        "job": job,
        "out_of_scope": _out_of_scope(request.user, [job]),
        "stalled": exports.export_stalled(job),
        "stalled_minutes": exports.REUSE_MINUTES,
        "keep_days": jobs.OUTPUT_KEEP_DAYS,
        "inline_limit": exports.INLINE_LIMIT,
    }
    if request.htmx and job.is_finished:
        # reload once: the 最近的导出 list below the card would still say 生成中 otherwise
        return HttpResponseClientRefresh()
    if request.htmx:
        return render(request, "hazards/_export_progress.html", context)
    recent = list(Job.objects.filter(created_by=request.user, kind=exports.EXPORT_JOB_KIND)[:10])
    context.update(recent=recent, out_of_scope=context["out_of_scope"] | _out_of_scope(request.user, recent))
    return render(request, "hazards/export_status.html", context)


def _out_of_scope(user, export_jobs) -> set[int]:
    """The finished exports among `export_jobs` whose file `user` may no longer be given."""
    return {
        j.pk
        for j in export_jobs
        if j.state == Job.State.SUCCEEDED and j.output_file and not exports.export_in_scope(j, user)
    }


def hazard_export_download(request, job_id):
    """The finished file of a big export, for the user who started it only, while it is kept
    and while they still hold the scope it was written under."""
    job = jobs.access_job(request.user, job_id, kind=exports.EXPORT_JOB_KIND)
    require_cap(request.user, Cap.SCHOOL_EXPORT)
    ready = job.state == Job.State.SUCCEEDED and bool(job.output_file)
    if ready and not exports.export_in_scope(job, request.user):
        problem = exports.OUT_OF_SCOPE
    else:
        response = exports.export_file_response(job) if ready else None  # None: gone from storage
        if response is not None:
            return response
        problem = f"尚未生成，或已超过保留期限（{jobs.OUTPUT_KEEP_DAYS}天）。"
    messages.error(request, f"该导出文件不可下载：{problem}")
    return redirect("hazards:hazard-export-status", job_id=job.pk)
