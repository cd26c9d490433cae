from django.urls import path

from huxiao.hazards import views

app_name = "hazards"

urlpatterns = [
    path("", views.hazard_list, name="hazard-list"),
    path("<int:pk>/", views.hazard_detail, name="hazard-detail"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
]
