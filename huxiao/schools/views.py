"""School registry pages: list, detail, create/edit, 三防 profile and its versions, export, import."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core import jobs, registry
from huxiao.core.errors import ConflictError
from huxiao.core.forms import apply_validation_error
from huxiao.core.models import Job
from huxiao.schools import services
from huxiao.schools.access import access_profile_version, access_school
from huxiao.schools.downloads import register_download
from huxiao.schools.forms import ArchiveForm, ImportForm, ProfileForm, SchoolFilterForm, SchoolForm
from huxiao.schools.imports import write_import_template
from huxiao.schools.models import School, SecurityProfile
from huxiao.schools.presenters import profile_rows
from huxiao.schools.selectors import profile_history, school_list

PAGE_SIZE = 25


def _filtered(request):
    """The filter form and the user's schools narrowed by it (archived ones only on request)."""
    form = SchoolFilterForm(request.GET or None, schools=School.objects.visible_to(request.user))
    schools = school_list(request.user)
    return form, (form.apply(schools) if form.is_valid() else schools.filter(is_archived=False))


def school_list_view(request):
    require_cap(request.user, Cap.SCHOOL_VIEW)
    form, schools = _filtered(request)
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "schools/school_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # Registering and importing put schools into regions, so both need a region-wide grant.
            "can_create": _has_region_grant(request.user, Cap.SCHOOL_EDIT),
            "can_import": _has_region_grant(request.user, Cap.SCHOOL_IMPORT),
            "can_export": scope_of(request.user).has(Cap.SCHOOL_EXPORT),
        },
    )


def _has_region_grant(user, cap):
    """True if a grant with `cap` covers whole regions (so the user may register new schools)."""
    return scope_of(user).has_regions(cap)


def school_detail(request, pk):
    school = access_school(request.user, pk)
    history = list(profile_history(school))
    current = history[0] if history else None
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "profile": current,
            "history": history,
            "rows": profile_rows(current) if current else [],
            "panels": registry.school_panels(request.user, school),
            "can_edit": School.objects.visible_to(request.user, Cap.SCHOOL_EDIT).filter(pk=pk).exists(),
            "can_edit_profile": School.objects.visible_to(request.user, Cap.PROFILE_EDIT)
            .filter(pk=pk)
            .exists(),
        },
    )


def school_create(request):
    if not _has_region_grant(request.user, Cap.SCHOOL_EDIT):
        raise PermissionDenied("您的角色不能登记新学校。")
    form = SchoolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            school = services.school_create(acting_user=request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已登记“{school.name}”。")
            return redirect("schools:school-detail", pk=school.pk)
    return render(request, "schools/school_form.html", {"form": form, "title": "登记学校"})


def school_edit(request, pk):
    school = access_school(request.user, pk, write=True, cap=Cap.SCHOOL_EDIT)
    form = SchoolForm(request.POST or None, instance=School.objects.get(pk=school.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.school_update(
                acting_user=request.user,
                school=school,
                expected_version=form.cleaned_data.get("version") or 0,
                **data,
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "学校信息已保存。")
            return redirect("schools:school-detail", pk=school.pk)
    return render(
        request,
        "schools/school_form.html",
        {"form": form, "title": f"编辑 · {school.name}", "school": school},
    )


@require_POST
def school_archive(request, pk):
    school = access_school(request.user, pk, write=True, cap=Cap.SCHOOL_EDIT)
    form = ArchiveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        services.school_archive(acting_user=request.user, school=school, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        blank = not request.POST.get("reason", "").strip()
        problem = "必填，请说明学校撤并、停办等原因。" if blank else "；".join(exc.messages)
        messages.error(request, f"归档原因：{problem}")
    else:
        messages.success(request, f"“{school.name}”已归档。")
    return redirect("schools:school-detail", pk=school.pk)


def profile_edit(request, pk):
    school = access_school(request.user, pk, write=True, cap=Cap.PROFILE_EDIT)
    current = SecurityProfile.objects.current_for(school)
    form = ProfileForm(
        request.POST or None,
        instance=current or SecurityProfile(school=school),
        initial={"base_version": current.version if current else None, "change_note": ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_file(
                acting_user=request.user,
                school=school,
                base_version=form.cleaned_data.get("base_version"),
                change_note=form.cleaned_data.get("change_note", ""),
                **form.values(),
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"三防档案已保存为第{profile.version}版。")
            return redirect("schools:school-detail", pk=school.pk)
    return render(request, "schools/profile_form.html", {"form": form, "school": school, "current": current})


def profile_version(request, pk, version):
    profile = access_profile_version(request.user, pk, version)
    return render(
        request,
        "schools/profile_version.html",
        {
            "school": profile.school,
            "profile": profile,
            "rows": profile_rows(profile),
        },
    )


def school_export(request):
    """Download the (filtered) register as .xlsx."""
    require_cap(request.user, Cap.SCHOOL_EXPORT)
    _form, schools = _filtered(request)
    return register_download(request.user, schools)


# --- Import from .xlsx: upload, progress, blank template ------------------------------------


def _require_import(user) -> None:
    if not _has_region_grant(user, Cap.SCHOOL_IMPORT):
        raise PermissionDenied("您的角色不能导入学校名录。")


def school_import_upload(request):
    """Upload a register; the checking and saving run as a background job (core.jobs)."""
    _require_import(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = jobs.job_create(
            acting_user=request.user,
            kind=services.IMPORT_JOB_KIND,
            params={"filename": upload.name[:200], "skip_invalid": form.cleaned_data["skip_invalid"]},
            upload=upload,
        )
        jobs.start_job(job, services.school_import_run)
        return redirect("schools:school-import-status", job_id=job.pk)
    recent = Job.objects.filter(created_by=request.user, kind=services.IMPORT_JOB_KIND)[:5]
    return render(request, "schools/school_import.html", {"form": form, "recent": recent})


def school_import_status(request, job_id):
    """The job's progress and, once finished, its outcome; HTMX polls the partial."""
    job = jobs.access_job(request.user, job_id, kind=services.IMPORT_JOB_KIND)
    template = "schools/_import_progress.html" if request.htmx else "schools/school_import_status.html"
    return render(request, template, {"job": job})


def school_import_template(request):
    """A blank import file with the header row and an example row."""
    _require_import(request.user)
    out = io.BytesIO()
    write_import_template(out, allowed_paths=services.import_paths(request.user))
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename="学校名录导入模板.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
