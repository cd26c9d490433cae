from django.urls import path

from huxiao.reports import views

app_name = "reports"

urlpatterns = [
    path("templates/", views.template_list, name="template-list"),
    path("templates/<str:kind>/download/", views.template_download, name="template-download"),
    path("templates/<str:kind>/upload/", views.template_upload, name="template-upload"),
    path("templates/<str:kind>/reset/", views.template_reset, name="template-reset"),
]
