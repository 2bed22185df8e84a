from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("instansi/<slug:code>/riwayat/", views.agency_log, name="agency_log"),
    # path, not str: an indicator code is free text and may hold a slash ("IKU 1/2").
    path(
        "instansi/<slug:code>/<int:year>/indikator/<path:indicator_code>/riwayat/",
        views.indicator_history,
        name="indicator_history",
    ),
    path("impor/<int:batch_id>/", views.batch_detail, name="batch"),
]
