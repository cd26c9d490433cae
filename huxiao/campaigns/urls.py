from django.urls import path

from huxiao.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("new/", views.campaign_create, name="campaign-create"),
    path("<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign-edit"),
    path("<int:pk>/phases/new/", views.phase_edit, name="phase-create"),
    path("<int:pk>/phases/<int:phase_pk>/", views.phase_edit, name="phase-edit"),
    path("<int:pk>/phases/<int:phase_pk>/remove/", views.phase_remove, name="phase-remove"),
    path(
        "<int:pk>/phases/<int:phase_pk>/schools/<int:school_pk>/apply/",
        views.entry_act,
        {"action": "apply"},
        name="entry-apply",
    ),
    path(
        "<int:pk>/phases/<int:phase_pk>/schools/<int:school_pk>/pass/",
        views.entry_act,
        {"action": "pass"},
        name="entry-pass",
    ),
    path(
        "<int:pk>/phases/<int:phase_pk>/schools/<int:school_pk>/return/",
        views.entry_act,
        {"action": "return"},
        name="entry-return",
    ),
    path("<int:pk>/group/new/", views.group_add, name="group-add"),
    path("group/<int:pk>/remove/", views.group_remove, name="group-remove"),
    path("<int:pk>/units/new/", views.participant_add, name="participant-add"),
    path("units/<int:pk>/", views.participant_edit, name="participant-edit"),
    path("units/<int:pk>/remove/", views.participant_remove, name="participant-remove"),
    path("<int:pk>/texts/new/", views.text_add, name="text-add"),
    path("texts/<int:pk>/", views.text_edit, name="text-edit"),
    path("texts/<int:pk>/remove/", views.text_remove, name="text-remove"),
    path("<int:pk>/tasks/new/", views.task_create, name="task-create"),
    path("<int:pk>/copy/", views.campaign_copy, name="campaign-copy"),
    path("<int:pk>/summary.docx", views.campaign_summary, name="campaign-summary"),
    path("<int:pk>/gates/", views.campaign_gates, name="campaign-gates"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("<int:pk>/alerts/new/", views.alert_create, name="alert-create"),
    path("<int:pk>/circulars/new/", views.circular_create, name="circular-create"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task-reopen"),
    path("task-files/<int:pk>/", views.task_file, name="task-file"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert-detail"),
    path("alert-recipients/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("alert-recipients/<int:pk>/respond/", views.alert_respond, name="alert-respond"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular-detail"),
    path("circular-files/<int:pk>/", views.circular_file, name="circular-file"),
]
