from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("instansi/<slug:code>/<int:year>/realisasi/", views.entry_index, name="entry_index"),
    path("instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/", views.entry, name="entry"),
    path("instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/pratinjau/", views.entry_preview, name="entry_preview"),
    path("instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/verifikasi/", views.entry_review, name="entry_review"),
]
