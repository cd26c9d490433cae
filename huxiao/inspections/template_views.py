"""The checklist editor (Cap.STANDARDS_MANAGE): templates, their versions, sections and items —
one plain form per item; ↑/↓ to reorder; 修订 copies a published version into a new draft;
发布 makes the draft what new inspections use. Everyone who may inspect can read them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.forms import apply_validation_error
from huxiao.inspections import checklists
from huxiao.inspections.forms import ItemForm, SectionForm, TemplateForm
from huxiao.inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion
from huxiao.inspections.services import numbered_items


def _template(pk) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404("检查表不存在。")
    return template


def _version(pk) -> ChecklistVersion:
    version = ChecklistVersion.objects.select_related("template").filter(pk=pk).first()
    if version is None:
        raise Http404("版本不存在。")
    return version


def _item(pk) -> ChecklistItem:
    item = ChecklistItem.objects.select_related("version__template", "section").filter(pk=pk).first()
    if item is None:
        raise Http404("检查项不存在。")
    return item


def template_list(request):
    require_cap(request.user, Cap.SCHOOL_VIEW)
    templates = ChecklistTemplate.objects.annotate(
        n_versions=Count("versions", distinct=True),
        n_items=Count("versions__items", filter=Q(versions__published_at__isnull=False), distinct=True),
    ).order_by("pk")
    return render(
        request,
        "inspections/template_list.html",
        {"templates": templates, "can_manage": scope_of(request.user).has(Cap.STANDARDS_MANAGE)},
    )


def template_create(request):
    require_cap(request.user, Cap.STANDARDS_MANAGE)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = checklists.template_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已新建检查表“{template.name}”（第1版草稿），请添加检查项后发布。")
            return redirect("inspections:template-detail", pk=template.pk)
    return render(request, "inspections/template_form.html", {"form": form})


def template_detail(request, pk):
    """The template's newest version (a draft if there is one)."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    template = _template(pk)
    version = template.versions.order_by("-number").first()
    if version is None:
        raise Http404("该检查表没有版本。")
    return version_detail(request, version.pk)


def template_edit(request, pk):
    """Rename or re-describe a template (POST), or 修订: start a new draft version (POST revise=1)."""
    require_cap(request.user, Cap.STANDARDS_MANAGE)
    template = _template(pk)
    if request.method == "POST" and request.POST.get("revise"):
        draft = checklists.version_revise(acting_user=request.user, template=template)
        messages.success(request, f"已生成第{draft.number}版草稿；修改后点击“发布”，正在进行的检查不受影响。")
        return redirect("inspections:version-detail", pk=draft.pk)
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            checklists.template_update(acting_user=request.user, template=template, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("inspections:template-detail", pk=template.pk)
    return render(request, "inspections/template_form.html", {"form": form, "template": template})


def version_detail(request, pk):
    require_cap(request.user, Cap.SCHOOL_VIEW)
    version = _version(pk)
    editable = version.is_draft and not version.frozen and scope_of(request.user).has(Cap.STANDARDS_MANAGE)
    return render(
        request,
        "inspections/version_detail.html",
        {
            "version": version,
            "template": version.template,
            "items": numbered_items(version),
            "versions": version.template.versions.order_by("-number"),
            "editable": editable,
            "can_manage": scope_of(request.user).has(Cap.STANDARDS_MANAGE),
            "section_form": SectionForm() if editable else None,
        },
    )


@require_POST
def version_publish(request, pk):
    require_cap(request.user, Cap.STANDARDS_MANAGE)
    version = _version(pk)
    try:
        checklists.version_publish(acting_user=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"第{version.number}版已发布，新开始的检查将使用此版本。")
    return redirect("inspections:version-detail", pk=pk)


@require_POST
def section_create(request, pk):
    require_cap(request.user, Cap.STANDARDS_MANAGE)
    version = _version(pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            checklists.section_add(
                acting_user=request.user, version=version, title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请填写部分名称。")
    return redirect("inspections:version-detail", pk=pk)


def _item_form_view(request, version: ChecklistVersion, item: ChecklistItem | None):
    require_cap(request.user, Cap.STANDARDS_MANAGE)
    initial = {} if item else {"hazard_category": "other", "section": version.sections.first()}
    form = ItemForm(request.POST or None, instance=item, initial=initial, version=version)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        section = data.pop("section")
        try:
            checklists.item_save(
                acting_user=request.user, version=version, section=section, item=item, **data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存检查项。")
            return redirect("inspections:version-detail", pk=version.pk)
    return render(request, "inspections/item_form.html", {"form": form, "version": version, "item": item})


def item_create(request, pk):
    return _item_form_view(request, _version(pk), None)


def item_edit(request, pk):
    item = _item(pk)
    return _item_form_view(request, item.version, item)


@require_POST
def item_move(request, pk, direction):
    require_cap(request.user, Cap.STANDARDS_MANAGE)
    if direction not in ("up", "down"):
        raise Http404("方向只能是上移或下移。")
    item = _item(pk)
    try:
        checklists.item_move(acting_user=request.user, item=item, direction=direction)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("inspections:version-detail", args=[item.version_id]) + f"#item-{item.pk}")


@require_POST
def item_delete(request, pk):
    require_cap(request.user, Cap.STANDARDS_MANAGE)
    item = _item(pk)
    try:
        checklists.item_delete(acting_user=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除检查项“{item.text}”。")
    return redirect("inspections:version-detail", pk=item.version_id)
