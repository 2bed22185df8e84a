from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/bukti/", views.upload, name="upload"),
    path("bukti/<int:pk>/", views.download, name="download"),
    path("bukti/<int:pk>/hapus/", views.delete, name="delete"),
]
