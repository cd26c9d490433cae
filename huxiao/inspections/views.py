"""Inspection pages: the register, starting an inspection, the answering page (one card per
item, made for a phone; every answer saved as it is given), the autosave and photo endpoints,
submitting, one-click hazards, joint sign-off, the Word report, the frequency page, and the
redirect from a hazard back to its item.

Each view: parse, `access_inspection` (404 outside scope), call a service, render, redirect
or answer JSON. A submitted inspection refuses every write with a Chinese message (409).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.errors import ConflictError, error_message
from huxiao.core.files import serve_photo
from huxiao.core.forms import apply_validation_error
from huxiao.core.validation import is_db_integer
from huxiao.inspections import selectors, services
from huxiao.inspections.access import (
    InspectionLocked,
    access_answer,
    access_inspection,
    access_photo,
    can_answer,
)
from huxiao.inspections.choices import HazardMode, Kind, Result, State
from huxiao.inspections.documents import REPORT_CONTENT_TYPE, inspection_report_docx
from huxiao.inspections.forms import AnswerForm, InspectionCreateForm, SignForm, SubmitForm
from huxiao.lib.dates import cn_date, cn_datetime
from huxiao.schools.access import access_school
from huxiao.schools.models import School
from huxiao.schools.scope import school_org_ids

PAGE_SIZE = 25


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- Register and start ----------------------------------------------------------------------------


def inspection_list(request):
    """检查 of the user's scope, newest first; the user's own drafts on top."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    inspections = selectors.inspection_register(request.user)
    kind, state = request.GET.get("kind", ""), request.GET.get("state", "")
    if kind in Kind.values:
        inspections = inspections.filter(kind=kind)
    if state in State.values:
        inspections = inspections.filter(state=state)
    school_id = request.GET.get("school", "")
    if is_db_integer(school_id):  # the register is already scoped: another district's id finds nothing
        inspections = inspections.filter(school_id=int(school_id))
    mine = list(
        selectors.inspection_register(request.user)
        .filter(state=State.DRAFT, team=request.user)
        .order_by("-date", "-pk")[:10]
    )
    page = Paginator(inspections.order_by("-date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "page": page,
            "mine": mine,
            "kinds": Kind.choices,
            "states": State.choices,
            "kind": kind,
            "state": state,
            "query": query.urlencode(),
            "can_start": scope_of(request.user).has(Cap.INSPECTION_PERFORM),
        },
    )


def inspection_create(request):
    """新建检查: pick a school (?school=), then kind, date, checklist, team."""
    require_cap(request.user, Cap.INSPECTION_PERFORM)
    school_id = request.GET.get("school") or request.POST.get("school")
    if not school_id:
        schools = School.objects.visible_to(request.user, Cap.INSPECTION_PERFORM).active().order_by("name")
        return render(request, "inspections/inspection_pick_school.html", {"schools": schools})
    school = access_school(
        request.user, school_id if is_db_integer(school_id) else None, write=True, cap=Cap.INSPECTION_PERFORM
    )
    form = InspectionCreateForm(request.POST or None, user=request.user, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_create(
                acting_user=request.user,
                school=school,
                kind=data["kind"],
                date=data["date"],
                template=data["template"],
                team=list(data["team"]),
                verifies=data.get("verifies"),
                partner_orgs=[(o, "") for o in data.get("partners") or []],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已创建{inspection.get_kind_display()}，请逐项检查填写。")
            return redirect("inspections:inspection-detail", pk=inspection.pk)
    return render(request, "inspections/inspection_form.html", {"form": form, "school": school})


# --- One inspection --------------------------------------------------------------------------------


def _rows(inspection):
    """One row per item: the item (numbered), its answer, photos, whether it failed, its hazard."""
    answers = {a.item_id: a for a in inspection.answers.select_related("hazard").prefetch_related("photos")}
    rows, section = [], None
    for item in services.numbered_items(inspection.checklist):
        answer = answers.get(item.pk)
        photos = list(answer.photos.all()) if answer else []
        rows.append(
            {
                "item": item,
                "answer": answer,
                "photos": photos,
                "answered": services.is_answered(item, answer, len(photos)),
                "failed": bool(answer and answer.result == Result.FAIL),
                "new_section": item.section_id != section,
            }
        )
        section = item.section_id
    return rows


def inspection_detail(request, pk, *, submit_errors=None, submit_form=None, status=200):
    inspection = access_inspection(request.user, pk)
    rows = _rows(inspection)
    editable = can_answer(request.user, inspection)
    can_report = bool(school_org_ids(request.user, inspection.school, Cap.HAZARD_REPORT))
    my_orgs = set(school_org_ids(request.user, inspection.school, Cap.INSPECTION_PERFORM))
    orgs = list(inspection.orgs.select_related("organisation", "signed_by"))
    context = {
        "inspection": inspection,
        "rows": rows,
        "team": list(inspection.team.all()),
        "orgs": [
            {
                "part": o,
                "form": SignForm(
                    initial={"organisation": o.organisation_id}, auto_id=f"id_o{o.organisation_id}_%s"
                )
                if o.organisation_id in my_orgs and o.signed_at is None and not inspection.is_draft
                else None,
            }
            for o in orgs
        ],
        "editable": editable,
        "answered": sum(1 for r in rows if r["answered"]),
        "failed": [r for r in rows if r["failed"]],
        "can_report": can_report,
        "one_click": HazardMode.ONE_CLICK,
        "submit_form": submit_form or SubmitForm(initial={"version": inspection.version}),
        "submit_errors": submit_errors or [],
        "verifications": list(inspection.verifications.filter(state=State.SUBMITTED)),
    }
    template = "inspections/inspection_answer.html" if editable else "inspections/inspection_detail.html"
    return render(request, template, context, status=status)


def _answer_json(answer, status: str) -> dict:
    return {
        "status": status,
        "item": answer.item_id,
        "rev": answer.rev,
        "result": answer.result,
        "number": "" if answer.number is None else f"{answer.number.normalize():f}",
        "text": answer.text,
        "note": answer.note,
        "saved_at": cn_datetime(answer.answered_at),
    }


@require_POST
def answer_save(request, pk):
    """Autosave of one answer (JSON for the page's script; a redirect for a plain form post).
    A plain post may carry a photo too."""
    inspection = access_inspection(request.user, pk)
    form = AnswerForm(request.POST)
    json = _wants_json(request)
    if not form.is_valid():
        error = "；".join(f"{k}: {'，'.join(v)}" for k, v in form.errors.items())
        return _fail(request, inspection, f"提交的内容不完整：{error}", 400, json)
    data = form.cleaned_data
    try:
        saved = services.answer_save(
            acting_user=request.user,
            inspection=inspection,
            item_id=data["item"],
            result=data["result"],
            number=data["number"],
            text=data["text"],
            note=data["note"],
            rev=data["rev"] or None,
        )
        photo = request.FILES.get("photo")
        if photo is not None and not json:
            services.photo_add(
                acting_user=request.user, inspection=inspection, item_id=data["item"], upload=photo
            )
    except InspectionLocked as exc:
        return _fail(request, inspection, exc.message, 409, json)
    except PermissionDenied as exc:
        return _fail(request, inspection, error_message(exc), 403, json)
    except ValidationError as exc:
        return _fail(request, inspection, error_message(exc), 400, json, data["item"])
    if json:
        return JsonResponse(_answer_json(saved.answer, saved.status))
    messages.success(request, f"已保存（{saved.answer.item.text[:20]}）。")
    return redirect(services.inspection_url(inspection, data["item"]))


def _fail(request, inspection, message: str, status: int, json: bool, item_id=None):
    if json:
        return JsonResponse({"error": message}, status=status)
    messages.error(request, message)
    if status == 403:
        raise PermissionDenied(message)
    return redirect(services.inspection_url(inspection, item_id))


@require_POST
def photo_upload(request, pk):
    """One photo for one item (from the camera); JSON with the thumbnail's address."""
    inspection = access_inspection(request.user, pk)
    item_id = request.POST.get("item", "")
    upload = request.FILES.get("photo")
    if not is_db_integer(item_id) or upload is None:
        return JsonResponse({"error": "请选择要上传的照片。"}, status=400)
    try:
        photo, created = services.photo_add(
            acting_user=request.user, inspection=inspection, item_id=int(item_id), upload=upload
        )
    except InspectionLocked as exc:
        return JsonResponse({"error": exc.message}, status=409)
    except PermissionDenied as exc:
        return JsonResponse({"error": error_message(exc)}, status=403)
    except ValidationError as exc:
        return JsonResponse({"error": error_message(exc)}, status=400)
    return JsonResponse(
        {
            "status": "saved" if created else "duplicate",
            "item": int(item_id),
            "photo": photo.pk,
            "thumb": reverse("inspections:photo", args=[photo.pk, "thumb"]),
            "full": reverse("inspections:photo", args=[photo.pk, "full"]),
            "delete": reverse("inspections:photo-delete", args=[photo.pk]),
        }
    )


@require_POST
def photo_delete(request, pk):
    photo = access_photo(request.user, pk)
    inspection, item_id = photo.answer.inspection, photo.answer.item_id
    try:
        services.photo_remove(acting_user=request.user, photo=photo)
    except InspectionLocked as exc:
        return _fail(request, inspection, exc.message, 409, _wants_json(request))
    except PermissionDenied as exc:
        return _fail(request, inspection, error_message(exc), 403, _wants_json(request))
    if _wants_json(request):
        return JsonResponse({"status": "deleted", "photo": pk})
    messages.success(request, "已删除照片。")
    return redirect(services.inspection_url(inspection, item_id))


def photo(request, pk, size):
    """A photo (`full`) or its thumbnail (`thumb`), only for users who may see the inspection."""
    return serve_photo(access_photo(request.user, pk), size)


@require_POST
def inspection_submit(request, pk):
    inspection = access_inspection(request.user, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return inspection_detail(
            request, pk, submit_errors=["页面版本信息缺失，请刷新后再提交。"], status=400
        )
    try:
        hazards = services.inspection_submit(
            acting_user=request.user,
            inspection=inspection,
            expected_version=form.cleaned_data["version"],
            summary=form.cleaned_data["summary"],
        )
    except InspectionLocked as exc:
        messages.error(request, exc.message)
        return redirect("inspections:inspection-detail", pk=pk)
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect("inspections:inspection-detail", pk=pk)
    except ValidationError as exc:
        return inspection_detail(request, pk, submit_errors=exc.messages, submit_form=form, status=400)
    done = f"，{len(hazards)}个不合格项已登记为隐患" if hazards else ""
    messages.success(request, f"检查已提交{done}。")
    return redirect("inspections:inspection-detail", pk=pk)


@require_POST
def answer_hazard(request, pk):
    """「转为隐患」 for a failed one-click item."""
    answer = access_answer(request.user, pk)
    try:
        hazard = services.answer_raise_hazard(acting_user=request.user, answer=answer)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, f"已登记隐患 {hazard.code}。")
    return redirect(services.inspection_url(answer.inspection, answer.item_id))


def answer_redirect(request, pk):
    """From a hazard's 「来源记录」 to its item on the inspection page."""
    answer = access_answer(request.user, pk)
    return redirect(services.inspection_url(answer.inspection, answer.item_id))


@require_POST
def inspection_sign(request, pk):
    inspection = access_inspection(request.user, pk, cap=Cap.INSPECTION_PERFORM)  # the role, then the form
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择签字的单位。")
        return redirect("inspections:inspection-detail", pk=pk)
    try:
        part = services.inspection_sign(
            acting_user=request.user,
            inspection=inspection,
            organisation_id=form.cleaned_data["organisation"],
            opinion=form.cleaned_data["opinion"],
        )
    except (ValidationError, PermissionDenied, ConflictError) as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, f"{part.organisation}已签字确认。")
    return redirect("inspections:inspection-detail", pk=pk)


def inspection_docx(request, pk):
    """检查报告 (.docx) of a submitted inspection."""
    inspection = access_inspection(request.user, pk)
    if inspection.is_draft:
        messages.error(request, "检查提交后才能生成检查报告。")
        return redirect("inspections:inspection-detail", pk=pk)
    data = inspection_report_docx(inspection)
    response = HttpResponse(data, content_type=REPORT_CONTENT_TYPE)
    name = f"检查报告-{inspection.school.name}-{inspection.date:%Y%m%d}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --- Frequency ----------------------------------------------------------------------------------


def frequency(request):
    """本学期检查频次: each school's supervision inspections and self-inspections against the rule;
    ?all=1 lists every school, otherwise only those below it."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    show_all = request.GET.get("all") == "1"
    semester, rows = selectors.frequency(request.user, timezone.localdate(), below_only=not show_all)
    return render(
        request,
        "inspections/frequency.html",
        {
            "semester": semester,
            "rows": rows,
            "show_all": show_all,
            "today": cn_date(timezone.localdate()),
        },
    )
