from django.urls import path

from huxiao.people import views
from huxiao.people.views import readable

app_name = "people"

urlpatterns = [
    path("", readable(views.person_list), name="person-list"),
    path("new/", readable(views.person_create), name="person-create"),
    path("export.xlsx", readable(views.person_export), name="person-export"),
    path("intervals/", readable(views.intervals), name="intervals"),
    path("overview/", readable(views.overview), name="overview"),
    path("<int:pk>/", readable(views.person_detail), name="person-detail"),
    path("<int:pk>/edit/", readable(views.person_edit), name="person-edit"),
    path("<int:pk>/visit/", readable(views.person_visit), name="person-visit"),
    path("<int:pk>/measure/", readable(views.person_measure), name="person-measure"),
    path("<int:pk>/lost/", readable(views.person_lost), name="person-lost"),
    path("<int:pk>/delist/", readable(views.person_delist), name="person-delist"),
    path("disputes/", readable(views.dispute_list), name="dispute-list"),
    path("disputes/new/", readable(views.dispute_create), name="dispute-create"),
    path("disputes/<int:pk>/", readable(views.dispute_detail), name="dispute-detail"),
    path("disputes/<int:pk>/mediation/", readable(views.dispute_mediation), name="dispute-mediation"),
    path("disputes/<int:pk>/stabilise/", readable(views.dispute_stabilise), name="dispute-stabilise"),
    path("disputes/<int:pk>/threat/", readable(views.dispute_threat), name="dispute-threat"),
    path("disputes/<int:pk>/close/", readable(views.dispute_close), name="dispute-close"),
    path("disputes/<int:pk>/hazard/", readable(views.dispute_hazard), name="dispute-hazard"),
]
