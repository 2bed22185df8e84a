from django.urls import path

from . import views

app_name = "images"

urlpatterns = [
    path("instansi/<slug:code>/<int:year>/gambar/", views.index, name="index"),
    path("instansi/<slug:code>/<int:year>/gambar/<int:pk>/", views.download, name="download"),
    path("instansi/<slug:code>/<int:year>/gambar/<int:pk>/hapus/", views.delete, name="delete"),
]
