"""Pages of the staff register: parse, `access_*`, a service, render or redirect. The police reach
only `guards` (licence columns); everything else is the school's and its 学区's."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from huxiao.core.crypto import SensitiveDataUnavailable
from huxiao.core.errors import ConflictError
from huxiao.core.files import content_type_of, serve_photo
from huxiao.core.forms import run_on_form
from huxiao.core.validation import month_param
from huxiao.lib.dates import cn_date
from huxiao.staff import access, exports, forms, imports, selectors, services
from huxiao.staff.choices import GUARD_ROLES
from huxiao.staff.models import EquipmentCheck, NightDuty

PAGE_SIZE = 50


def member_list(request):
    access.require_register(request.user)
    form = forms.FilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.register(request.user, school=data.get("school"), flag=data.get("flag") or "")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/member_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "can_keep": access.keeps_register(request.user),
            "sees_register": True,
            "checks_registers": access.checks_registers(request.user),
            "today": timezone.localdate(),
        },
    )


def member_create(request):
    if not access.keeps_register(request.user):
        raise Http404(access.NOT_FOUND)
    form = forms.MemberForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved, status = run_on_form(form, lambda: services.member_register(acting_user=request.user, **data))
        if saved is not None:
            messages.success(request, f"已登记 {saved.name}（{saved.get_role_display()}）。")
            return redirect("staff:member-detail", pk=saved.pk)
    return render(request, "staff/member_form.html", {"form": form}, status=status)


def member_edit(request, pk):
    member = access.access_member(request.user, pk, keep=True)
    initial = {f: getattr(member, f) for f in services.MEMBER_FIELDS}
    initial.update(version=member.version)
    form = forms.MemberEditForm(request.POST or None, initial=initial, masked_id=selectors.masked_id(member))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        saved, status = run_on_form(
            form,
            lambda: services.member_update(
                acting_user=request.user, member=member, expected_version=version, **data
            ),
        )
        if saved is not None:
            messages.success(request, f"已保存 {saved.name} 的信息（第{saved.version}版）。")
            return redirect("staff:member-detail", pk=saved.pk)
    return render(request, "staff/member_form.html", {"form": form, "member": member}, status=status)


def member_detail(request, pk):
    """The person's page, the 身份证号 masked and findings hidden; POST with a reason (查看完整信息)
    shows them in full once."""
    member = access.access_member(request.user, pk)
    reveal = forms.RevealForm(request.POST or None)
    plain = None
    if request.method == "POST" and reveal.is_valid():
        plain, _status = run_on_form(
            reveal,
            lambda: services.member_reveal(
                acting_user=request.user, member=member, reason=reveal.cleaned_data["reason"]
            ),
        )
    today = timezone.localdate()
    may_keep = access.may_keep(request.user, member.school)
    standing = (
        selectors.register(request.user, school=member.school, flag="left" if member.left_on else "")
        .filter(pk=member.pk)
        .first()
    )
    checks = list(member.checks.select_related("requested_by", "decided_by"))
    return render(
        request,
        "staff/member_detail.html",
        {
            "member": member,
            "masked_id": selectors.masked_id(member),
            "plain": plain,
            "reveal": reveal,
            "standing": standing,
            "checks": checks,
            "trainings": member.trainings.all()[:10],
            "licence": selectors.licence_status(member, today) if member.role in GUARD_ROLES else None,
            "history": selectors.access_history(member).select_related("actor")[:20],
            "may_keep": may_keep and member.on_duty,
            "may_decide": access.may_decide(request.user, member.school),
            "check_form": forms.CheckForm(),
            "training_form": forms.TrainingForm(initial={"trained_on": today}),
            "leave_form": forms.LeaveForm(initial={"version": member.version, "left_on": today}),
        },
    )


def _action(request, record, member, form, call, done: str, template: str = "staff/action_form.html"):
    """A POST form about a person: saved → back to the person's page with `done`; refused → the
    form alone with the message (a phone keeps what was typed)."""
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_on_form(form, lambda: call(form.cleaned_data))
        if saved is not None:
            messages.success(request, done)
            return redirect("staff:member-detail", pk=member.pk)
    return render(
        request, template, {"form": form, "member": member, "record": record, "title": done}, status=status
    )


def member_leave(request, pk):
    member = access.access_member(request.user, pk, keep=True)
    return _action(
        request,
        member,
        member,
        forms.LeaveForm(request.POST or None, initial={"version": member.version}),
        lambda d: services.member_leave(
            acting_user=request.user,
            member=member,
            expected_version=d["version"],
            left_on=d["left_on"],
            reason=d["left_reason"],
        ),
        "已登记离岗",
    )


def training_create(request, pk):
    member = access.access_member(request.user, pk, keep=True)
    return _action(
        request,
        member,
        member,
        forms.TrainingForm(request.POST or None),
        lambda d: services.training_record(acting_user=request.user, member=member, **d),
        "已登记培训",
    )


def check_create(request, pk):
    member = access.access_member(request.user, pk, keep=True)
    return _action(
        request,
        member,
        member,
        forms.CheckForm(request.POST or None, request.FILES or None),
        lambda d: services.check_record(acting_user=request.user, member=member, **d),
        "已登记人员审查",
    )


def check_result(request, pk):
    check = access.access_check(request.user, pk, keep=True)
    return _action(
        request,
        check,
        check.member,
        forms.ResultForm(request.POST or None, request.FILES or None, initial={"version": check.version}),
        lambda d: services.check_result(
            acting_user=request.user,
            check=check,
            expected_version=d["version"],
            result=d["result"],
            result_on=d["result_on"],
            finding=d["finding"],
            document=d["document"],
        ),
        "已登记审查结果",
    )


def check_decide(request, pk):
    check = access.access_check(request.user, pk, decide=True)
    return _action(
        request,
        check,
        check.member,
        forms.DecisionForm(request.POST or None, initial={"version": check.version}),
        lambda d: services.check_decide(
            acting_user=request.user,
            check=check,
            expected_version=d["version"],
            decision=d["decision"],
            reason=d["reason"],
        ),
        "已作出处理决定",
    )


def check_complete(request, pk):
    check = access.access_check(request.user, pk, keep=True)
    return _action(
        request,
        check,
        check.member,
        forms.CompleteForm(
            request.POST or None, initial={"version": check.version, "completed_on": timezone.localdate()}
        ),
        lambda d: services.check_complete(
            acting_user=request.user,
            check=check,
            expected_version=d["version"],
            completed_on=d["completed_on"],
            note=d["note"],
        ),
        "已落实处理决定",
    )


def check_document(request, pk):
    """The scan of a check's document, decrypted for the school and its 学区 (audited)."""
    check = access.access_check(request.user, pk)
    if not check.document_enc:
        raise Http404("该审查没有上传材料。")
    try:
        data = services.document_read(acting_user=request.user, check=check)
    except (FileNotFoundError, SensitiveDataUnavailable) as exc:
        raise Http404("审查材料文件缺失或无法解密，请联系系统管理员。") from exc
    extension = (
        check.document_enc.name.rsplit(".", 2)[-2] if check.document_enc.name.count(".") >= 2 else "jpg"
    )
    response = HttpResponse(data, content_type=content_type_of(f"x.{extension}"))
    response["Cache-Control"] = "no-store"
    return response


def checks(request):
    """人员审查台账: per school, then the 有异常 to decide or carry out and the pending answers."""
    access.require_register(request.user)
    return render(
        request,
        "staff/checks.html",
        {
            "rows": selectors.by_school(request.user),
            "adverse": selectors.open_adverse(request.user),
            "pending": selectors.pending_checks(request.user)[:100],
            "checks_registers": access.checks_registers(request.user),
            "sees_register": True,
        },
    )


def guards(request):
    """保卫力量: on-duty guards and 门卫 with their licence status (the police's view; the
    register's readers see it too). No check, no 身份证号."""
    if not access.sees_guards(request.user):
        raise Http404(access.NOT_FOUND)
    form = forms.GuardFilterForm(request.GET or None, user=request.user)
    school = form.cleaned_data.get("school") if form.is_valid() else None
    rows = selectors.guard_roster(request.user, school=school)
    return render(
        request,
        "staff/guards.html",
        {
            "form": form,
            "rows": rows,
            "ok": sum(1 for r in rows if r.ok),
            "bad": sum(1 for r in rows if not r.ok),
            "sees_register": access.sees_register(request.user),
        },
    )


# --- Equipment and the night roster -------------------------------------------------------------


def _chosen_school(request, schools):
    """The school of a page: `?school=` among `schools`, or the only one; None to choose."""
    form = forms.SchoolChoiceForm(request.GET or None, schools=schools)
    school = form.cleaned_data.get("school") if form.is_valid() else None
    if school is None and len(schools) == 1:
        school = schools.first()
    return form, school


def equipment(request):
    """装备器械: the latest check of each kind at a school, its photo; the keepers record a check."""
    schools = selectors.equipment_schools(request.user)
    if not schools:
        raise Http404(access.NOT_FOUND)
    chooser, school = _chosen_school(request, schools)
    may_keep = school is not None and access.may_keep(request.user, school)
    form = forms.EquipmentForm(
        request.POST or None, request.FILES or None, initial={"checked_on": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        if not may_keep:
            raise PermissionDenied("只有本校（园）的安全负责人和校长可以登记装备器械检查。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            saved, status = run_on_form(
                form, lambda: services.equipment_check(acting_user=request.user, school=school, **data)
            )
            if saved is not None:
                messages.success(
                    request, f"已登记{saved.get_kind_display()}检查：完好{saved.working}/{saved.count}。"
                )
                return redirect(f"{request.path}?school={school.pk}")
    return render(
        request,
        "staff/equipment.html",
        {
            "chooser": chooser,
            "school": school,
            "rows": selectors.equipment_table(school) if school else [],
            "sees_register": access.sees_register(request.user),
            "form": form,
            "may_keep": may_keep,
        },
        status=status,
    )


def equipment_photo(request, pk, size):
    check = EquipmentCheck.objects.visible_to(request.user).filter(pk=pk).select_related("photo").first()
    if check is None or not hasattr(check, "photo"):
        raise Http404("照片不存在或不在您的管辖范围内。")
    return serve_photo(check.photo, size)


def nights(request):
    """夜间值守: a boarding school's nights of a month, who is on duty, the gaps."""
    access.require_register(request.user)
    chooser, school = _chosen_school(request, selectors.night_schools(request.user))
    month = month_param(request.GET.get("month"), timezone.localdate().replace(day=1))
    may_keep = school is not None and access.may_keep(request.user, school)
    form = forms.NightForm(request.POST or None, school=school) if school else None
    status = 200
    if request.method == "POST":
        if not may_keep or form is None:
            raise PermissionDenied("只有本校的安全负责人和校长可以安排夜间值守。")
        if form.is_valid():
            d = form.cleaned_data
            added, status = run_on_form(
                form,
                lambda: services.night_assign(
                    acting_user=request.user, member=d["member"], first=d["first"], last=d["last"]
                ),
            )
            if added is not None:
                messages.success(request, f"已安排{d['member'].name}值守{added}晚。")
                return redirect(f"{request.path}?school={school.pk}&month={month:%Y-%m}")
    roster = selectors.night_roster(request.user, school, month) if school else []
    return render(
        request,
        "staff/nights.html",
        {
            "chooser": chooser,
            "school": school,
            "month": month,
            "previous": (month - dt.timedelta(days=1)).replace(day=1),
            "next": (month + dt.timedelta(days=32)).replace(day=1),
            "roster": roster,
            "gaps": sum(1 for n in roster if n.gap),
            "houseparents": selectors.houseparents_on_duty(school) if school else 0,
            "form": form,
            "may_keep": may_keep,
            "sees_register": True,
        },
        status=status,
    )


def night_remove(request, pk):
    duty = (
        NightDuty.objects.visible_to(request.user)
        .select_related("school__region", "member")
        .filter(pk=pk)
        .first()
    )
    if duty is None:
        raise Http404("值守安排不存在或不在您的管辖范围内。")
    if request.method != "POST":
        return redirect(f"{reverse('staff:nights')}?school={duty.school_id}&month={duty.night:%Y-%m}")
    try:
        services.night_remove(acting_user=request.user, duty=duty)
        messages.success(request, f"已取消{duty.member.name} {cn_date(duty.night)}的值守。")
    except ConflictError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('staff:nights')}?school={duty.school_id}&month={duty.night:%Y-%m}")


# --- Import and export (.xlsx) ---------------------------------------------------------------


def member_import(request):
    """The school's keepers import people from .xlsx: every row through the register's service,
    all or none, each problem listed with its row and column (as the school import lists them)."""
    if not access.keeps_register(request.user):
        raise Http404(access.NOT_FOUND)
    form = imports.UploadForm(request.POST or None, request.FILES or None)
    result, message = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with imports.open_sheet(upload, max_rows=imports.max_rows()) as sheet:
                result = imports.import_members(
                    acting_user=request.user,
                    rows=sheet.rows(),
                    schools=forms.kept_schools(request.user),
                    key=imports.upload_key(form.cleaned_data["submission"], upload),
                )
        except imports.SheetError as exc:
            message = exc.message
        else:
            if not result.errors:
                messages.success(request, f"已导入 {len(result.created_ids)} 人（共 {result.rows} 行）。")
                return redirect("staff:member-list")
            message = (
                f"共 {result.rows} 行，其中 {result.invalid_rows} 行有误。按“全部无误才导入”的规则，"
                "未导入任何数据。请按下表修改后重新上传。"
            )
    errors = result.errors if result else []
    return render(
        request,
        "staff/import.html",
        {
            "form": form,
            "message": message,
            "result": result,
            "errors": errors[: imports.ERRORS_SHOWN],
            "error_count": len(errors),
            "max_rows": imports.max_rows(),
        },
    )


def member_import_template(request):
    """A blank import file with the header row and an example row."""
    if not access.keeps_register(request.user):
        raise Http404(access.NOT_FOUND)
    out = io.BytesIO()
    imports.write_import_template(out, schools=list(forms.kept_schools(request.user)))
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename="教职员工导入模板.xlsx", content_type=exports.XLSX_CONTENT_TYPE
    )


def member_export(request):
    """The register as .xlsx, filtered as the page is — for the school and its 学区 only (the
    police and everyone else: 404); 身份证号 masked, no finding; the export is audited."""
    access.require_register(request.user)
    form = forms.FilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.register(request.user, school=data.get("school"), flag=data.get("flag") or "")
    out = io.BytesIO()
    exports.export_register(acting_user=request.user, members=rows, out=out)
    out.seek(0)
    response = FileResponse(
        out,
        as_attachment=True,
        filename=exports.filename(timezone.localdate()),
        content_type=exports.XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response
