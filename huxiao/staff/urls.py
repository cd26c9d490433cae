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
]
