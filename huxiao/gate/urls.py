from django.urls import path

from huxiao.gate import views

app_name = "gate"

urlpatterns = [
    path("", views.log, name="log"),
    path("visitors/new/", views.visitor_create, name="visitor-create"),
    path("vehicles/new/", views.vehicle_create, name="vehicle-create"),
    path("pickups/new/", views.pickup_create, name="pickup-create"),
    path("visitors/<int:pk>/leave/", views.entry_leave, {"kind": "visitor"}, name="visitor-leave"),
    path("vehicles/<int:pk>/leave/", views.entry_leave, {"kind": "vehicle"}, name="vehicle-leave"),
    path("overview/", views.overview, name="overview"),
]
