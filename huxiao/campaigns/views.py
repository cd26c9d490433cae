"""Campaign pages: the list, one campaign (timeline with today, progress per phase, units and
what they owe, the 六项机制 records), its plan editing, tasks with evidence, the gate table,
next year's copy, the summary .docx, meetings, risk alerts and circulars.

Each view: parse, `access_*` (404 outside scope, 403 without the capability), call a service,
render or redirect. A ConflictError re-renders with the service's message (409); a
ValidationError lands on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.campaigns import selectors, services
from huxiao.campaigns.access import (
    access_alert,
    access_campaign,
    access_circular,
    access_entry_school,
    access_participant,
    access_phase,
    access_plan_text,
    access_recipient,
    access_task,
    can_complete,
    can_manage,
    entry_applicants,
    require_manage,
    school_responders,
)
from huxiao.campaigns.choices import CampaignStatus
from huxiao.campaigns.forms import (
    AlertForm,
    CampaignForm,
    CircularForm,
    DecisionFormSet,
    EntryApplyForm,
    EntryPassForm,
    EntryReturnForm,
    GroupMemberForm,
    MeetingForm,
    ParticipantEditForm,
    ParticipantForm,
    PhaseForm,
    PhaseFormSet,
    PlanTextEditForm,
    PlanTextForm,
    RespondForm,
    TaskCompleteForm,
    TaskForm,
    TaskReopenForm,
    VersionForm,
)
from huxiao.campaigns.gates import GateBlocked
from huxiao.campaigns.models import CircularAttachment, GroupMember, Meeting, TaskAttachment
from huxiao.campaigns.summary import summary_docx
from huxiao.core.errors import ConflictError
from huxiao.core.files import serve_stored
from huxiao.core.forms import apply_validation_error
from huxiao.reports.documents import DOCX_CONTENT_TYPE


def _form_page(
    request,
    campaign,
    title: str,
    form,
    *,
    formset=None,
    formset_title="",
    multipart=False,
    status=200,
    remove=None,
):
    """The shared form page; `remove` = {"url", "label", "version", "note"} adds a removal form."""
    return render(
        request,
        "campaigns/form.html",
        {
            "campaign": campaign,
            "title": title,
            "form": form,
            "formset": formset,
            "formset_title": formset_title,
            "multipart": multipart,
            "remove": remove,
        },
        status=status,
    )


# --- List and page ---------------------------------------------------------------------------


def campaign_list(request):
    """专项行动: every campaign the user can see, current ones marked."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    today = timezone.localdate()
    campaigns = list(selectors.campaign_list(request.user))
    for c in campaigns:
        c.is_running = c.start_date <= today <= c.end_date  # type: ignore[attr-defined]
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": campaigns, "can_create": scope_of(request.user).has(Cap.CAMPAIGN_MANAGE)},
    )


def campaign_detail(request, pk):
    campaign = access_campaign(request.user, pk)
    page = selectors.campaign_page(campaign, user=request.user)
    manager = can_manage(request.user, campaign)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {"campaign": campaign, "page": page, "can_manage": manager},
    )


def campaign_create(request):
    require_cap(request.user, Cap.CAMPAIGN_MANAGE)
    form = CampaignForm(request.POST or None, user=request.user)
    formset = PhaseFormSet(request.POST or None, prefix="phases")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("region", "version")}
        phases = [
            {
                **{k: f.cleaned_data[k] for k in ("name", "start", "end", "start_label", "description")},
                "gates": f.gates(),
            }
            for f in formset
            if f.cleaned_data
        ]
        try:
            campaign = services.campaign_create(
                acting_user=request.user, region=form.cleaned_data["region"], phases=phases, **data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "专项行动已创建。")
            return redirect(services.campaign_url(campaign))
    return _form_page(request, None, "新建专项行动", form, formset=formset, formset_title="实施步骤（阶段）")


def campaign_edit(request, pk):
    campaign = access_campaign(request.user, pk, manage=True)
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.campaign_update(
                acting_user=request.user,
                campaign=campaign,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return _form_page(request, campaign, "修改专项行动", form, status=409)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(services.campaign_url(campaign))
    return _form_page(request, campaign, "修改专项行动", form)


def phase_edit(request, pk, phase_pk=None):
    """Add a phase, or change one (name, dates, gates) — with the removal form below."""
    phase = access_phase(request.user, pk, phase_pk, manage=True) if phase_pk else None
    campaign = phase.campaign if phase else access_campaign(request.user, pk, manage=True)
    form = PhaseForm(request.POST or None, initial=PhaseForm.initial_for(phase) if phase else None)
    title = f"修改阶段：{phase.name}" if phase else "增加阶段"
    remove = (
        _removal(phase, "campaigns:phase-remove", "删除该阶段", (campaign.pk, phase.pk)) if phase else None
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "start", "end", "start_label", "description")}
        try:
            services.phase_save(
                acting_user=request.user,
                campaign=campaign,
                phase=phase,
                expected_version=form.cleaned_data["version"],
                gates=form.gates(),
                **data,
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return _form_page(request, campaign, title, form, status=409, remove=remove)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "阶段已保存。")
            return redirect(services.campaign_url(campaign))
    return _form_page(request, campaign, title, form, remove=remove)


def _removal(obj, url_name: str, label: str, args, note: str = "") -> dict:
    return {"url": reverse(url_name, args=args), "label": label, "version": obj.version, "note": note}


def _remove(request, obj, service, *, back: str, done: str, **kwargs):
    """POST of a removal form: the service refuses with a message (tasks still open, someone
    else changed it) or removes; either way back to a page that says so."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "页面已过期，请刷新后重试。")
        return redirect(back)
    try:
        service(acting_user=request.user, expected_version=form.cleaned_data["version"], **kwargs)
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(back)
    messages.success(request, done)
    return redirect(services.campaign_url(obj.campaign))


@require_POST
def phase_remove(request, pk, phase_pk):
    phase = access_phase(request.user, pk, phase_pk, manage=True)
    back = reverse("campaigns:phase-edit", args=[pk, phase.pk])
    return _remove(request, phase, services.phase_remove, back=back, done=f"已删除{phase}。", phase=phase)


def _edit_page(request, obj, form, service, *, title: str, remove: dict, done: str, **kwargs):
    """An edit form carrying the record's version: saved, refused (409 when someone else saved
    first) or back with the errors."""
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            service(acting_user=request.user, expected_version=form.cleaned_data["version"], **kwargs, **data)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            return _form_page(request, obj.campaign, title, form, status=409, remove=remove)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(services.campaign_url(obj.campaign))
    return _form_page(request, obj.campaign, title, form, remove=remove)


def participant_edit(request, pk):
    """A unit's duty text and monthly reporting; removal below (refused while it owns open tasks)."""
    participant = access_participant(request.user, pk)
    initial = {"duty": participant.duty, "reports_monthly": participant.reports_monthly}
    form = ParticipantEditForm(request.POST or None, initial={**initial, "version": participant.version})
    name = participant.organisation.name
    remove = _removal(participant, "campaigns:participant-remove", f"移除{name}", (participant.pk,))
    return _edit_page(
        request,
        participant,
        form,
        services.participant_update,
        title=f"修改成员单位：{name}",
        remove=remove,
        done="成员单位已保存。",
        participant=participant,
    )


@require_POST
def participant_remove(request, pk):
    participant = access_participant(request.user, pk)
    return _remove(
        request,
        participant,
        services.participant_remove,
        back=reverse("campaigns:participant-edit", args=[participant.pk]),
        done=f"已移除{participant.organisation.name}。",
        participant=participant,
    )


def text_edit(request, pk):
    """A measure's or requirement's title and wording; removal below (later items renumbered)."""
    text = access_plan_text(request.user, pk)
    form = PlanTextEditForm(
        request.POST or None, initial={"title": text.title, "body": text.body, "version": text.version}
    )
    label = f"{text.get_kind_display()}（{text.order}）"
    remove = _removal(
        text,
        "campaigns:text-remove",
        f"删除该{text.get_kind_display()}",
        (text.pk,),
        note="删除后不能恢复（操作记入审计日志），其后各项的序号依次前移。",
    )
    return _edit_page(
        request,
        text,
        form,
        services.plan_text_update,
        title=f"修改{label}",
        remove=remove,
        done="已保存。",
        text=text,
    )


@require_POST
def text_remove(request, pk):
    text = access_plan_text(request.user, pk)
    return _remove(
        request,
        text,
        services.plan_text_remove,
        back=reverse("campaigns:text-edit", args=[text.pk]),
        done=f"已删除{text.get_kind_display()}“{text.title}”，其后各项序号已顺延。",
        text=text,
    )


def _simple_add(request, pk, form_class, title: str, service, done: str):
    campaign = access_campaign(request.user, pk, manage=True)
    form = form_class(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            service(acting_user=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(services.campaign_url(campaign))
    return _form_page(request, campaign, title, form)


def group_add(request, pk):
    return _simple_add(
        request, pk, GroupMemberForm, "增加领导小组成员", services.group_member_add, "已增加。"
    )


def participant_add(request, pk):
    return _simple_add(
        request, pk, ParticipantForm, "增加成员单位", services.participant_add, "已增加成员单位。"
    )


def text_add(request, pk):
    return _simple_add(
        request, pk, PlanTextForm, "增加工作措施 / 工作要求", services.plan_text_add, "已增加。"
    )


def task_create(request, pk):
    return _simple_add(
        request, pk, TaskForm, "部署工作任务", services.task_create, "任务已部署，责任单位已收到通知。"
    )


@require_POST
def group_remove(request, pk):
    member = GroupMember.objects.select_related("campaign").filter(pk=pk).first()
    campaign = access_campaign(request.user, member.campaign_id if member else None, manage=True)
    assert member is not None
    services.group_member_remove(acting_user=request.user, member=member)
    messages.success(request, "已移除。")
    return redirect(services.campaign_url(campaign))


@require_POST
def campaign_copy(request, pk):
    """Next year's campaign from this one (one action)."""
    campaign = access_campaign(request.user, pk, manage=True)
    try:
        new = services.campaign_copy_next_year(acting_user=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(services.campaign_url(campaign))
    messages.success(request, f"已生成“{new.name}”（筹备中），日期顺延一年，请核对后启动。")
    return redirect(services.campaign_url(new))


def campaign_summary(request, pk):
    """The draft 工作总结 (.docx) for the office to edit."""
    campaign = access_campaign(request.user, pk, manage=True)
    response = HttpResponse(summary_docx(campaign), content_type=DOCX_CONTENT_TYPE)
    filename = f"{campaign.name}工作总结（初稿）.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _gates_page(request, campaign, *, blocked: GateBlocked | None = None, error: str = "", status=200):
    """Per gated phase and school in the user's scope: may it enter now, where it stands
    (未申请/已申请/验收通过/已退回), and the actions the user may take on it."""
    table = selectors.gate_table(campaign, request.user)
    manager = can_manage(request.user, campaign)
    for phase in table:
        for row in phase.rows:
            row.can_apply = bool(entry_applicants(request.user, row.school))  # type: ignore[attr-defined]
    return render(
        request,
        "campaigns/campaign_gates.html",
        {
            "campaign": campaign,
            "table": table,
            "can_manage": manager,
            "is_active": campaign.status == CampaignStatus.ACTIVE,
            "blocked": blocked,
            "error": error,
        },
        status=status,
    )


def campaign_gates(request, pk):
    return _gates_page(request, access_campaign(request.user, pk))


ENTRY_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any], str, str]] = {
    # action: (form, service, who may act, what the user is told)
    "apply": (EntryApplyForm, services.entry_apply, "apply", "已提交申请，请等待领导小组办公室办理。"),
    "pass": (EntryPassForm, services.entry_pass, "decide", "已记录。"),
    "return": (EntryReturnForm, services.entry_return, "decide", "已退回，学校整改后可重新申请。"),
}


@require_POST
def entry_act(request, pk, phase_pk, school_pk, action: str):
    """申请进入 (the school) / 通过 / 退回 (the office) for one school and gated phase. The
    service checks the gates again; a refusal shows the blocking hazards with links."""
    form_class, service, who, done = ENTRY_ACTIONS[action]
    phase, school = access_entry_school(request.user, pk, phase_pk, school_pk, action=who)
    form = form_class(request.POST)
    if not form.is_valid():
        return _gates_page(request, phase.campaign, error="页面已过期，请刷新后重试。", status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        service(acting_user=request.user, phase=phase, school=school, expected_version=version, **data)
    except GateBlocked as exc:
        return _gates_page(request, phase.campaign, blocked=exc)
    except ConflictError as exc:
        return _gates_page(request, phase.campaign, error=exc.message, status=409)
    except ValidationError as exc:
        return _gates_page(request, phase.campaign, error="；".join(exc.messages))
    messages.success(request, f"{school.name}：{done}")
    return redirect("campaigns:campaign-gates", pk=phase.campaign.pk)


# --- Tasks ------------------------------------------------------------------------------------


def task_detail(request, pk):
    task = access_task(request.user, pk)
    manager = can_manage(request.user, task.campaign)
    allowed = can_complete(request.user, task, manager=manager)
    form = TaskCompleteForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": task.version, "evidence": task.evidence, "done": True},
    )
    status, blocked = 200, None
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied("只有责任单位或行动管理人员可以填报该任务。")
        if form.is_valid():
            try:
                services.task_complete(
                    acting_user=request.user,
                    task=task,
                    expected_version=form.cleaned_data["version"],
                    evidence=form.cleaned_data["evidence"],
                    files=form.cleaned_data["attachments"],
                    done=form.cleaned_data["done"],
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
                status = 409
            except GateBlocked as exc:
                form.add_error(None, exc.message)
                blocked = exc
            except ValidationError as exc:
                apply_validation_error(form, exc, default_field="attachments")
            else:
                messages.success(request, "已保存完成情况。")
                return redirect("campaigns:task-detail", pk=task.pk)
    today = timezone.localdate()
    return render(
        request,
        "campaigns/task_detail.html",
        {
            "task": task,
            "campaign": task.campaign,
            "form": form,
            "can_complete": allowed,
            "can_manage": manager,
            "reopen_form": TaskReopenForm(initial={"version": task.version}),
            "is_overdue": task.status != "done" and task.due < today,
            "attachments": list(task.attachments.all()),
            "blocked": blocked,
        },
        status=status,
    )


@require_POST
def task_reopen(request, pk):
    task = access_task(request.user, pk)
    require_manage(request.user, task.campaign)  # the role, then the form
    form = TaskReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写退回理由。")
        return redirect("campaigns:task-detail", pk=task.pk)
    try:
        services.task_reopen(
            acting_user=request.user,
            task=task,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except (ConflictError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, ConflictError) else "；".join(exc.messages))
    else:
        messages.success(request, "已退回，责任单位需重新填报。")
    return redirect("campaigns:task-detail", pk=task.pk)


def task_file(request, pk):
    attachment = TaskAttachment.objects.filter(pk=pk).first()
    access_task(request.user, attachment.task_id if attachment else None)
    assert attachment is not None
    return serve_stored(attachment.file, filename=attachment.name)


# --- Meetings --------------------------------------------------------------------------------


def meeting_create(request, pk):
    campaign = access_campaign(request.user, pk, manage=True)
    form = MeetingForm(request.POST or None, campaign=campaign)
    formset = DecisionFormSet(request.POST or None, prefix="decisions", form_kwargs={"campaign": campaign})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        decisions = [f.cleaned_data for f in formset if f.cleaned_data]
        try:
            meeting = services.meeting_record(
                acting_user=request.user, campaign=campaign, decisions=decisions, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"会议已记录，{len(decisions)}项议定事项已作为任务交办。")
            return redirect("campaigns:meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        campaign,
        "记录联席会议 / 月度会商",
        form,
        formset=formset,
        formset_title="议定事项（每项交办一个单位）",
    )


def meeting_detail(request, pk):
    meeting = Meeting.objects.select_related("campaign", "recorded_by").filter(pk=pk).first()
    campaign = access_campaign(request.user, meeting.campaign_id if meeting else None)
    assert meeting is not None
    return render(
        request,
        "campaigns/meeting_detail.html",
        {
            "campaign": campaign,
            "meeting": meeting,
            "orgs": list(meeting.attendee_orgs.order_by("kind", "name")),
            "decisions": list(
                meeting.decisions.with_flags().select_related("organisation").order_by("due", "pk")
            ),
        },
    )


# --- Risk alerts -----------------------------------------------------------------------------


def alert_create(request, pk):
    campaign = access_campaign(request.user, pk, manage=True)
    form = AlertForm(request.POST or None, schools=selectors.campaign_schools(campaign, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.alert_issue(acting_user=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"风险提示已推送至{alert.recipients.count()}所学校。")
            return redirect("campaigns:alert-detail", pk=alert.pk)
    return _form_page(request, campaign, "发布风险提示", form)


def alert_detail(request, pk):
    alert = access_alert(request.user, pk)
    recipients = selectors.alert_recipients(alert, request.user)
    for r in recipients:
        r.can_answer = bool(school_responders(request.user, r.school))  # type: ignore[attr-defined]
    return render(
        request,
        "campaigns/alert_detail.html",
        {
            "campaign": alert.campaign,
            "alert": alert,
            "recipients": recipients,
            "respond_form": RespondForm(),
            "overdue": alert.respond_by < timezone.localdate(),
        },
    )


@require_POST
def alert_acknowledge(request, pk):
    recipient = access_recipient(request.user, pk)
    services.alert_acknowledge(acting_user=request.user, recipient=recipient)
    messages.success(request, "已签收。")
    return redirect("campaigns:alert-detail", pk=recipient.alert_id)


@require_POST
def alert_respond(request, pk):
    recipient = access_recipient(request.user, pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.alert_respond(
                acting_user=request.user, recipient=recipient, response=form.cleaned_data["response"]
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, "落实情况：" + "；".join(exc.messages))
        else:
            messages.success(request, "已反馈落实情况。")
    else:
        messages.error(request, "落实情况：请填写本校的落实情况。")
    return redirect("campaigns:alert-detail", pk=recipient.alert_id)


# --- Circulars -------------------------------------------------------------------------------


def circular_create(request, pk):
    campaign = access_campaign(request.user, pk, manage=True)
    form = CircularForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            data["files"] = data.pop("attachments")
            circular = services.circular_issue(acting_user=request.user, campaign=campaign, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc, default_field="attachments")
        else:
            messages.success(request, "通报已印发。")
            return redirect("campaigns:circular-detail", pk=circular.pk)
    return _form_page(request, campaign, "印发通报", form, multipart=True)


def circular_detail(request, pk):
    """The circular; opening it records the reader's unit's read receipt."""
    circular = access_circular(request.user, pk)
    services.circular_mark_read(acting_user=request.user, circular=circular)
    receipts = {r.organisation_id: r for r in circular.receipts.select_related("user")}
    recipients = [(o, receipts.get(o.pk)) for o in circular.recipients.order_by("kind", "name")]
    return render(
        request,
        "campaigns/circular_detail.html",
        {
            "campaign": circular.campaign,
            "circular": circular,
            "recipients": recipients,
            "attachments": list(circular.attachments.all()),
            "read_count": len(receipts),
        },
    )


def circular_file(request, pk):
    attachment = CircularAttachment.objects.filter(pk=pk).first()
    access_circular(request.user, attachment.circular_id if attachment else None)
    assert attachment is not None
    return serve_stored(attachment.file, filename=attachment.name)
