"""The audit log (安全审计员, and leaders for their regions), mounted at /audit/."""

from django.urls import path

from huxiao.accounts import admin_views as views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("verify/", views.audit_verify, name="verify"),
]
