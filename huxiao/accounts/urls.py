from django.urls import path

from huxiao.accounts import twofactor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("logout-everywhere/", views.logout_everywhere_view, name="logout-everywhere"),
    path("password/", views.password_change, name="password-change"),
    path("me/", views.me, name="me"),
    path("2fa/setup/", twofactor_views.setup, name="2fa-setup"),
    path("2fa/verify/", twofactor_views.verify, name="2fa-verify"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path(
        "users/<int:pk>/memberships/<int:membership_pk>/revoke/",
        views.membership_revoke,
        name="membership-revoke",
    ),
    path("users/<int:pk>/toggle-active/", views.user_toggle_active, name="user-toggle-active"),
]
