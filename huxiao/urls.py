"""Top-level URL map: one include per app, namespaced `<app>:`."""

from django.urls import include, path

urlpatterns = [
    path("", include("huxiao.dashboards.urls")),
    path("accounts/", include("huxiao.accounts.urls")),
    path("directory/", include("huxiao.accounts.directory_urls")),
    path("audit/", include("huxiao.accounts.audit_urls")),
    path("security/", include("huxiao.accounts.security_urls")),
    path("schools/", include("huxiao.schools.urls")),
    path("hazards/", include("huxiao.hazards.urls")),
    path("standards/", include("huxiao.standards.urls")),
    path("inspections/", include("huxiao.inspections.urls")),
    path("duty/", include("huxiao.duty.urls")),
    path("surroundings/", include("huxiao.surroundings.urls")),
    path("people/", include("huxiao.people.urls")),
    path("staff/", include("huxiao.staff.urls")),
    path("gate/", include("huxiao.gate.urls")),
    path("incidents/", include("huxiao.incidents.urls")),
    path("education/", include("huxiao.education.urls")),
    path("campaigns/", include("huxiao.campaigns.urls")),
    path("monthly/", include("huxiao.monthly.urls")),
    path("reports/", include("huxiao.reports.urls")),
    path("inbox/", include("huxiao.notifications.urls")),
]

# The 404 page says why only when that betrays nothing (see `core.errors.ShownNotFound`).
handler404 = "huxiao.core.errors.page_not_found"
