"""The directory of regions and organisations (系统管理员), mounted at /directory/."""

from django.urls import path

from huxiao.accounts import admin_views as views

app_name = "directory"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("regions/new/", views.region_create, name="region-create"),
]
