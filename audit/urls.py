from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("instansi/<slug:code>/riwayat/", views.agency_log, name="agency_log"),
    path(
        "instansi/<slug:code>/<int:year>/indikator/<str:indicator_code>/riwayat/",
        views.indicator_history,
        name="indicator_history",
    ),
    path("impor/<int:batch_id>/", views.batch_detail, name="batch"),
]
