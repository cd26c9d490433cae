from django.urls import path

from huxiao.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("schools/<int:pk>/", views.school_evaluation, name="school"),
    path("schools/<int:pk>/recompute/", views.school_recompute, name="school-recompute"),
    path("schools/<int:pk>/table.docx", views.school_docx, name="school-docx"),
    path("schools/<int:pk>/table.xlsx", views.school_xlsx, name="school-xlsx"),
    path("rulesets/", views.ruleset_list, name="ruleset-list"),
    path("rulesets/<int:pk>/", views.ruleset_detail, name="ruleset-detail"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule-edit"),
]
