"""安全管理 (安全管理员), mounted at /security/."""

from django.urls import path

from huxiao.accounts import security_views as views
from huxiao.accounts import twofactor_views

app_name = "security"

urlpatterns = [
    path("", views.security_overview, name="overview"),
    path("unlock/", views.security_unlock, name="unlock"),
    path("2fa/<int:pk>/reset/", twofactor_views.reset, name="2fa-reset"),
]
