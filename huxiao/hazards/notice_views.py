"""Notices (限期整改通知书), the 挂牌督办 page and the rungs of the overdue ladder, the Word
documents (notice, 督办/约谈/挂牌 letters, the closure dossier) and the 隐患台账 export.

Every object comes through hazards.access: 404 outside the user's scope, 403 without the
capability. What a page lists comes from hazards.selectors.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.core import jobs
from huxiao.core.errors import ConflictError
from huxiao.core.forms import apply_validation_error
from huxiao.core.models import Job
from huxiao.core.validation import is_db_integer
from huxiao.hazards import exports, selectors, services
from huxiao.hazards.access import (
    access_escalation,
    access_hazard,
    access_interview,
    access_issue_school,
    access_notice,
    can_sign_notice,
    interview_recorders,
    issuing_orgs,
)
from huxiao.hazards.choices import Document, Escalation
from huxiao.hazards.documents import dossier_context, escalation_context, notice_context
from huxiao.hazards.models import RectificationNotice
from huxiao.hazards.notice_forms import (
    InterviewForm,
    NoticeFilterForm,
    NoticeIssueForm,
    SchoolPickForm,
)
from huxiao.reports.documents import docx_response, render_docx

PAGE_SIZE = 25
DOC_KIND_OF_LEVEL = {
    Escalation.SUPERVISE: Document.SUPERVISION,
    Escalation.INTERVIEW: Document.INTERVIEW,
    Escalation.LISTED: Document.LISTING,
}


def _query_without_page(data) -> str:
    query = data.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Notices ---------------------------------------------------------------------------------


def notice_list(request):
    """Notices to schools in the user's scope; an issuing unit sees its own by default."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    visible = RectificationNotice.objects.visible_to(request.user)
    issuers = issuing_orgs(request.user)
    data = request.GET.copy()
    if issuers and "issuer" not in data:
        data["issuer"] = str(issuers[0][0])
    form = NoticeFilterForm(data, issuers=issuers, years=selectors.notice_years(visible))
    notices = selectors.notice_rows(form.apply(visible) if form.is_valid() else visible)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hazards/notice_list.html",
        {"form": form, "page": page, "query": _query_without_page(data), "can_issue": bool(issuers)},
    )


def notice_issue(request):
    """Issue a notice: pick the school (?school=), tick its hazards (?hazards=1,2), set the deadline."""
    require_cap(request.user, Cap.NOTICE_ISSUE)
    school_id = request.POST.get("school") or request.GET.get("school")
    if not school_id:
        picker = SchoolPickForm(user=request.user)
        return render(request, "hazards/notice_issue.html", {"picker": picker})
    school, issuer_ids = access_issue_school(request.user, school_id)
    hazard_ids = [
        int(part) for part in request.GET.get("hazards", "").split(",") if is_db_integer(part.strip())
    ]
    initial = selectors.notice_initial(school, hazard_ids, issuer_ids)
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
                submission=data["submission"],
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
            "can_sign": can_sign_notice(request.user, notice),
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
    return docx_response(render_docx(Document.NOTICE, notice_context(notice)), notice.number)


# --- Escalation (督办 / 约谈 / 挂牌督办) ---------------------------------------------------------


def listed_list(request):
    """挂牌督办: live hazards on the top rung in the user's scope, then every 督办 and 约谈 rung."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    rows = selectors.listed_hazards(request.user)
    page = Paginator(selectors.lower_rungs(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hazards/listed_list.html",
        {"rows": rows, "page": page, "query": "", "recording_orgs": interview_recorders(request.user)},
    )


def escalation_docx(request, pk):
    rung = access_escalation(request.user, pk)
    kind = DOC_KIND_OF_LEVEL[Escalation(rung.level)]
    return docx_response(render_docx(kind, escalation_context(rung)), rung.number)


def escalation_record(request, pk):
    """Record the attendees and minutes of a 约谈 (the supervising organisation only)."""
    rung = access_interview(request.user, pk)
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
    return docx_response(
        render_docx(Document.DOSSIER, dossier_context(hazard)), f"隐患整改档案_{hazard.code}"
    )


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
        "out_of_scope": selectors.exports_out_of_scope(request.user, [job]),
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
    recent = selectors.recent_exports(request.user)
    out_of_scope = context["out_of_scope"] | selectors.exports_out_of_scope(request.user, recent)
    context.update(recent=recent, out_of_scope=out_of_scope)
    return render(request, "hazards/export_status.html", context)


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
