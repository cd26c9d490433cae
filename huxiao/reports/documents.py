"""Word documents from templates (DESIGN §7): `render_docx(kind, context) -> bytes`.

Each kind has a built-in template in `docx_templates/<kind>.docx` (written by
`build_templates.py`); an administrator may upload a replacement (`DocumentTemplate`), which
is then used instead. Templates are docxtpl/Jinja files, and an uploaded one is code written
by a person: it is rendered in Jinja's sandbox with autoescaping (user text such as a hazard
title containing `<` or `&` stays text), and it must render the kind's sample context before
it is accepted (`validate_template`).
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

logger = logging.getLogger(__name__)

BUILTIN_DIR = Path(__file__).parent / "docx_templates"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024  # a zip bomb dressed as .docx stops here


@dataclass(frozen=True)
class Picture:
    """An image in a document context (JPEG/PNG bytes and the printed width); becomes a docxtpl
    `InlineImage` when the template is loaded, so contexts can be built without a template."""

    data: bytes
    width_mm: float = 70


def builtin_bytes(kind: str) -> bytes:
    return (BUILTIN_DIR / f"{kind}.docx").read_bytes()


def template_bytes(kind: str) -> tuple[bytes, bool]:
    """The current template for `kind` and whether it is an uploaded replacement."""
    from huxiao.reports.models import DocumentTemplate

    uploaded = DocumentTemplate.objects.filter(kind=kind).first()
    if uploaded is not None:
        try:
            with uploaded.file.open("rb") as fh:
                return fh.read(), True
        except OSError:
            logger.exception("uploaded template for %s is missing; using the built-in one", kind)
    return builtin_bytes(kind), False


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True)


def _resolve(tpl: DocxTemplate, value: Any) -> Any:
    """Replace every `Picture` in the context (at any depth) by an InlineImage of `tpl`."""
    if isinstance(value, Picture):
        return InlineImage(tpl, io.BytesIO(value.data), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _resolve(tpl, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(tpl, v) for v in value]
    return value


def render_template(template: bytes, context: dict[str, Any]) -> bytes:
    """Fill `template` (the bytes of a .docx) with `context`; the bytes of the new .docx."""
    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(_resolve(tpl, context), jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def docx_response(data: bytes, name: str) -> FileResponse:
    """A generated document as a download named `name`.docx."""
    safe = name.replace("/", "-").replace("\\", "-")
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=f"{safe}.docx", content_type=DOCX_CONTENT_TYPE
    )


def render_docx(kind: str, context: dict[str, Any]) -> bytes:
    """The document of `kind` filled with `context`, from the uploaded template if there is one.

    Should an uploaded template fail on real data (it passed the sample when uploaded), the
    built-in one is used so the officer still gets the document; the failure is logged.
    """
    template, uploaded = template_bytes(kind)
    if not uploaded:
        return render_template(template, context)
    try:
        return render_template(template, context)
    except Exception:
        logger.exception("uploaded %s template failed to render; falling back to the built-in one", kind)
        return render_template(builtin_bytes(kind), context)


def validate_template(data: bytes, kind: str) -> None:
    """Accept only a real .docx that docxtpl can open and render with the kind's sample context;
    ValidationError with a Chinese message otherwise."""
    from huxiao.reports.kinds import sample_context

    if not data:
        raise ValidationError("文件为空。")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ValidationError(f"文件超过 {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB。")
    not_docx = ValidationError(
        "文件不是有效的 Word（.docx）文档。如为 .doc 或 WPS 格式，请在 Word 中“另存为”.docx 后再上传。"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise not_docx
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise ValidationError("文件解压后过大，不像是文书模板。")
            if archive.testzip() is not None:
                raise not_docx
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise not_docx from exc
    try:
        render_template(data, sample_context(kind))
    except TemplateSyntaxError as exc:
        raise ValidationError(
            f"模板中的填写标记有语法错误（{exc.message}），请检查 {{{{ }}}} 与 {{% %}} 是否成对。"
        ) from exc
    except SecurityError as exc:
        raise ValidationError("模板中含有不允许的表达式。") from exc
    except UndefinedError as exc:
        raise ValidationError(f"模板使用了不存在的字段（{exc.message}）。") from exc
    except Exception as exc:
        raise ValidationError("无法用示例数据生成文书，请确认模板可以在 Word 中正常打开。") from exc
