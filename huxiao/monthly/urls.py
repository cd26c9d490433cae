from django.urls import path

from huxiao.monthly import views

app_name = "monthly"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("late/", views.late_list, name="late-list"),
    path("<int:unit_pk>/<int:year>/<int:month>/", views.report_detail, name="report-detail"),
    path("<int:unit_pk>/<int:year>/<int:month>/save/", views.report_save, name="report-save"),
    path("<int:unit_pk>/<int:year>/<int:month>/submit/", views.report_submit, name="report-submit"),
    path(
        "<int:unit_pk>/<int:year>/<int:month>/accept/",
        views.report_decide,
        {"action": "accept"},
        name="report-accept",
    ),
    path(
        "<int:unit_pk>/<int:year>/<int:month>/return/",
        views.report_decide,
        {"action": "return"},
        name="report-return",
    ),
    path("<int:unit_pk>/<int:year>/<int:month>/rollup/", views.report_rollup, name="report-rollup"),
    path("<int:unit_pk>/<int:year>/<int:month>/xlsx/", views.report_export, name="report-export"),
]
