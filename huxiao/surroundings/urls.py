from django.urls import path

from huxiao.surroundings import views

app_name = "surroundings"

urlpatterns = [
    path("", views.map_view, name="map"),
    path("venues/", views.venue_list, name="venue-list"),
    path("venues/new/", views.venue_create, name="venue-create"),
    path("venues/<int:pk>/", views.venue_detail, name="venue-detail"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="venue-edit"),
    path("venues/<int:pk>/archive/", views.venue_archive, name="venue-archive"),
    path("venues/<int:pk>/check/", views.venue_check, name="venue-check"),
    path("photos/<int:pk>/<str:size>/", views.check_photo, name="check-photo"),
    path("traffic/", views.point_list, name="point-list"),
    path("traffic/new/", views.point_create, name="point-create"),
    path("traffic/<int:pk>/", views.point_detail, name="point-detail"),
    path("traffic/<int:pk>/edit/", views.point_edit, name="point-edit"),
    path("traffic/<int:pk>/observe/", views.point_observe, name="point-observe"),
]
