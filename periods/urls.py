from django.urls import path

from . import views

app_name = "periods"

urlpatterns = [
    path("pemda/<int:government_id>/<int:year>/kalender/", views.calendar_page, name="calendar"),
    path("pemda/<int:government_id>/<int:year>/kalender/buka/", views.reopening_grant, name="reopening_grant"),
    path(
        "pemda/<int:government_id>/<int:year>/kalender/buka/<int:reopening_id>/akhiri/",
        views.reopening_end,
        name="reopening_end",
    ),
    path("pemda/<int:government_id>/<int:year>/kelengkapan/", views.dashboard, name="dashboard"),
    path("pemda/<int:government_id>/<int:year>/kelengkapan.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("pemda/<int:government_id>/kelengkapan/", views.dashboard_latest, name="dashboard_latest"),
    path("instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/kunci/", views.quarter_lock, name="quarter_lock"),
    path(
        "instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/buka-kunci/",
        views.quarter_unlock,
        name="quarter_unlock",
    ),
]
