from django.urls import path

from huxiao.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("new/", views.member_create, name="member-create"),
    path("<int:pk>/", views.member_detail, name="member-detail"),
    path("<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("<int:pk>/leave/", views.member_leave, name="member-leave"),
    path("<int:pk>/training/", views.training_create, name="training-create"),
    path("<int:pk>/checks/new/", views.check_create, name="check-create"),
    path("checks/", views.checks, name="checks"),
    path("checks/<int:pk>/result/", views.check_result, name="check-result"),
    path("checks/<int:pk>/decide/", views.check_decide, name="check-decide"),
    path("checks/<int:pk>/complete/", views.check_complete, name="check-complete"),
    path("checks/<int:pk>/document/", views.check_document, name="check-document"),
    path("guards/", views.guards, name="guards"),
    path("equipment/", views.equipment, name="equipment"),
    path("equipment/<int:pk>/photo/<str:size>/", views.equipment_photo, name="equipment-photo"),
    path("nights/", views.nights, name="nights"),
    path("nights/<int:pk>/remove/", views.night_remove, name="night-remove"),
    path("import/", views.member_import, name="member-import"),
    path("import/template.xlsx", views.member_import_template, name="member-import-template"),
    path("export.xlsx", views.member_export, name="member-export"),
]
