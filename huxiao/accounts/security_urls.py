"""安全管理 (安全管理员), mounted at /security/."""

from django.urls import path

from huxiao.accounts import security_views as views

app_name = "security"

urlpatterns = [
    path("", views.security_overview, name="overview"),
    path("unlock/", views.security_unlock, name="unlock"),
]
