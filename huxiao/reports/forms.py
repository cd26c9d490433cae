"""The template upload form (shape only; the content is checked by the service)."""

from django import forms


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="模板文件（.docx）",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
        error_messages={"required": "请选择要上传的 .docx 文件。", "empty": "文件为空。"},
    )
