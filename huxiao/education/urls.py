from django.urls import path

from huxiao.education import views

app_name = "education"

urlpatterns = [
    path("", views.activity_list, name="activity-list"),
    path("new/", views.activity_create, name="activity-create"),
    path("<int:pk>/", views.activity_detail, name="activity-detail"),
    path("<int:pk>/photos/<int:photo_pk>/<str:size>/", views.activity_photo, name="activity-photo"),
    path("counsellors/", views.counsellor_list, name="counsellor-list"),
    path("counsellors/new/", views.appointment_create, name="appointment-create"),
    path("counsellors/<int:pk>/visits/new/", views.visit_create, name="visit-create"),
    path("counsellors/<int:pk>/letter.docx", views.appointment_letter, name="appointment-letter"),
]
