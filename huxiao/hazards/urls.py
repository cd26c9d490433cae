from django.urls import path

from huxiao.hazards import notice_views, views

app_name = "hazards"

urlpatterns = [
    # register and one hazard (views.py)
    path("", views.hazard_list, name="hazard-list"),
    path("new/", views.hazard_create, name="hazard-create"),
    path("bulk/", views.hazard_bulk, name="hazard-bulk"),
    path("<int:pk>/", views.hazard_detail, name="hazard-detail"),
    path("<int:pk>/act/<str:action>/", views.hazard_act, name="hazard-act"),
    path("<int:pk>/evidence/", views.hazard_evidence, name="hazard-evidence"),
    path("<int:pk>/temp-measures/", views.hazard_temp_measures, name="hazard-temp-measures"),
    path("<int:pk>/plan/", views.hazard_plan, name="hazard-plan"),
    path("<int:pk>/extension/", views.extension_request_view, name="extension-request"),
    path("extensions/<int:pk>/decide/", views.extension_decide_view, name="extension-decide"),
    path("attachments/<int:pk>/<str:size>/", views.attachment, name="attachment"),
    # notices, escalation, documents and exports (notice_views.py)
    path("export.xlsx", notice_views.hazard_export, name="hazard-export"),
    path("exports/<int:job_id>/", notice_views.hazard_export_status, name="hazard-export-status"),
    path(
        "exports/<int:job_id>/download/", notice_views.hazard_export_download, name="hazard-export-download"
    ),
    path("<int:pk>/dossier.docx", notice_views.hazard_dossier, name="hazard-dossier"),
    path("notices/", notice_views.notice_list, name="notice-list"),
    path("notices/new/", notice_views.notice_issue, name="notice-issue"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/sign/", notice_views.notice_sign, name="notice-sign"),
    path("notices/<int:pk>/docx/", notice_views.notice_docx, name="notice-docx"),
    path("listed/", notice_views.listed_list, name="listed-list"),
    path("escalations/<int:pk>/docx/", notice_views.escalation_docx, name="escalation-docx"),
    path("escalations/<int:pk>/record/", notice_views.escalation_record, name="escalation-record"),
]
