from django.urls import path

from huxiao.duty import views

app_name = "duty"

urlpatterns = [
    path("", views.station, name="station"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/records.xlsx", views.coverage_export, name="coverage-export"),
    path("posts/", views.post_list, name="post-list"),
    path("posts/new/", views.post_create, name="post-create"),
    path("posts/<int:pk>/", views.post_detail, name="post-detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("posts/<int:pk>/card/", views.post_card, name="post-card"),
    path("posts/<int:pk>/qr.svg", views.post_qr, name="post-qr"),
    path("posts/<int:pk>/token/", views.post_token, name="post-token"),
    path("posts/<int:pk>/backfill/", views.post_backfill, name="post-backfill"),
    # The page a post's QR code opens at the gate.
    path("p/<str:token>/", views.checkin, name="checkin"),
    path("p/<str:token>/r/<int:pk>/", views.checkin_record, name="checkin-record"),
    path("p/<str:token>/r/<int:pk>/out/", views.checkout, name="checkout"),
    path("standards/", views.standard_list, name="standard-list"),
    path("patrols/", views.patrol_list, name="patrol-list"),
    path("patrols/new/", views.patrol_create, name="patrol-create"),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol-detail"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
]
