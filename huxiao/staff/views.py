"""Pages of the staff register: parse, `access_*`, a service, render or redirect. The police reach
only `guards` (licence columns); everything else is the school's and its 学区's."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from huxiao.core.crypto import SensitiveDataUnavailable
from huxiao.core.files import content_type_of
from huxiao.core.forms import run_on_form
from huxiao.staff import access, forms, selectors, services
from huxiao.staff.choices import GUARD_ROLES

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
    form = forms.MemberEditForm(request.POST or None, initial=initial)
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
            reason=d["reason"],
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
        },
    )
