from django.urls import path

from huxiao.inspections import plan_views, rule_views, template_views, views

app_name = "inspections"

urlpatterns = [
    # inspections (views.py)
    path("", views.inspection_list, name="inspection-list"),
    path("new/", views.inspection_create, name="inspection-create"),
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/answer/", views.answer_save, name="answer-save"),
    path("<int:pk>/photo/", views.photo_upload, name="photo-upload"),
    path("<int:pk>/submit/", views.inspection_submit, name="inspection-submit"),
    path("<int:pk>/sign/", views.inspection_sign, name="inspection-sign"),
    path("<int:pk>/report.docx", views.inspection_docx, name="inspection-docx"),
    path("answers/<int:pk>/", views.answer_redirect, name="answer-redirect"),
    path("answers/<int:pk>/hazard/", views.answer_hazard, name="answer-hazard"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo-delete"),
    path("photos/<int:pk>/<str:size>/", views.photo, name="photo"),
    path("frequency/", views.frequency, name="frequency"),
    path("frequency/rules/", rule_views.frequency_rules, name="frequency-rules"),
    path("frequency/rules/<int:pk>/", rule_views.frequency_rule_edit, name="frequency-rule-edit"),
    path("frequency/rules/<int:pk>/delete/", rule_views.frequency_rule_delete, name="frequency-rule-delete"),
    # plans (plan_views.py)
    path("plans/", plan_views.plan_list, name="plan-list"),
    path("plans/new/", plan_views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("plans/entries/<int:pk>/delete/", plan_views.entry_delete, name="plan-entry-delete"),
    # checklist templates (template_views.py)
    path("templates/", template_views.template_list, name="template-list"),
    path("templates/new/", template_views.template_create, name="template-create"),
    path("templates/<int:pk>/", template_views.template_detail, name="template-detail"),
    path("templates/<int:pk>/edit/", template_views.template_edit, name="template-edit"),
    path("versions/<int:pk>/", template_views.version_detail, name="version-detail"),
    path("versions/<int:pk>/publish/", template_views.version_publish, name="version-publish"),
    path("versions/<int:pk>/sections/new/", template_views.section_create, name="section-create"),
    path("versions/<int:pk>/items/new/", template_views.item_create, name="item-create"),
    path("items/<int:pk>/edit/", template_views.item_edit, name="item-edit"),
    path("items/<int:pk>/move/<str:direction>/", template_views.item_move, name="item-move"),
    path("items/<int:pk>/delete/", template_views.item_delete, name="item-delete"),
]
