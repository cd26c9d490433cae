from django.urls import path

from huxiao.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="incident-list"),
    path("new/", views.incident_create, name="incident-create"),
    path("<int:pk>/", views.incident_detail, name="incident-detail"),
    path("<int:pk>/acknowledge/", views.incident_acknowledge, name="incident-acknowledge"),
    path("<int:pk>/entries/", views.entry_create, name="entry-create"),
    path("<int:pk>/persons/", views.person_create, name="person-create"),
    path("<int:pk>/persons/reveal/", views.persons_reveal, name="persons-reveal"),
    path("<int:pk>/close/", views.incident_close, name="incident-close"),
    path("<int:pk>/circular.docx", views.incident_circular, name="incident-circular"),
    path("alarms/", views.alarm_list, name="alarm-list"),
    path("drills/", views.drill_list, name="drill-list"),
    path("drills/photos/<int:pk>/<str:size>/", views.drill_photo, name="drill-photo"),
]
