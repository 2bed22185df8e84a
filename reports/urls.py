from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("instansi/<slug:code>/", views.agency_latest, name="agency"),
    path("instansi/<slug:code>/<int:year>/", views.overview, name="overview"),
]
