"""The Word template page for system administrators: download the current template of each kind,
upload a replacement, go back to the built-in one."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.reports import services
from huxiao.reports.documents import DOCX_CONTENT_TYPE, MAX_TEMPLATE_BYTES, template_bytes
from huxiao.reports.forms import TemplateUploadForm
from huxiao.reports.kinds import TYPES, sample_context
from huxiao.reports.models import DocumentTemplate


def _kind(user, kind: str) -> str:
    require_cap(user, Cap.ORG_MANAGE)
    if kind not in TYPES:
        raise Http404("没有这种文书。")
    return kind


def template_list(request):
    require_cap(request.user, Cap.ORG_MANAGE)
    uploaded = {t.kind: t for t in DocumentTemplate.objects.select_related("uploaded_by")}
    rows = [
        {"kind": code, "label": label, "uploaded": uploaded.get(code), "fields": sorted(sample_context(code))}
        for code, label in TYPES.choices()
    ]
    return render(request, "reports/template_list.html", {"rows": rows, "form": TemplateUploadForm()})


def template_download(request, kind):
    kind = _kind(request.user, kind)
    data, is_uploaded = template_bytes(kind)
    suffix = "" if is_uploaded else "（内置）"
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{TYPES.label(kind)}模板{suffix}.docx",
        content_type=DOCX_CONTENT_TYPE,
    )


@require_POST
def template_upload(request, kind):
    kind = _kind(request.user, kind)
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"{TYPES.label(kind)}模板未更换：" + "；".join(form.errors["file"]))
        return redirect("reports:template-list")
    upload = form.cleaned_data["file"]
    try:
        if upload.size > MAX_TEMPLATE_BYTES:
            raise ValidationError(f"文件超过 {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB。")
        services.template_replace(
            acting_user=request.user, kind=kind, data=upload.read(), filename=upload.name
        )
    except ValidationError as exc:
        messages.error(request, f"{TYPES.label(kind)}模板未更换：" + "；".join(exc.messages))
    else:
        messages.success(request, f"已更换{TYPES.label(kind)}模板，此后生成的文书使用新模板。")
    return redirect("reports:template-list")


@require_POST
def template_reset(request, kind):
    kind = _kind(request.user, kind)
    if services.template_reset(acting_user=request.user, kind=kind):
        messages.success(request, f"{TYPES.label(kind)}已恢复使用内置模板。")
    else:
        messages.info(request, f"{TYPES.label(kind)}本来就在使用内置模板。")
    return redirect("reports:template-list")
