from django.urls import path

from huxiao.schools import views

app_name = "schools"

urlpatterns = [
    path("", views.school_list_view, name="school-list"),
    path("new/", views.school_create, name="school-create"),
    path("export/", views.school_export, name="school-export"),
    path("import/", views.school_import_upload, name="school-import"),
    path("import/template.xlsx", views.school_import_template, name="school-import-template"),
    path("import/<int:job_id>/", views.school_import_status, name="school-import-status"),
    path("<int:pk>/", views.school_detail, name="school-detail"),
    path("<int:pk>/edit/", views.school_edit, name="school-edit"),
    path("<int:pk>/archive/", views.school_archive, name="school-archive"),
    path("<int:pk>/profile/", views.profile_edit, name="profile-edit"),
    path("<int:pk>/profile/v<int:version>/", views.profile_version, name="profile-version"),
]
