from django.urls import path

from . import views

app_name = "sectorstats"

urlpatterns = [
    path("instansi/<slug:code>/<int:year>/tabel-statistik/", views.index, name="index"),
    path("instansi/<slug:code>/<int:year>/tabel-statistik/baru/", views.edit, name="create"),
    path("instansi/<slug:code>/<int:year>/tabel-statistik/<int:pk>/", views.edit, name="edit"),
    path("instansi/<slug:code>/<int:year>/tabel-statistik/<int:pk>/pindah/", views.move, name="move"),
    path("instansi/<slug:code>/<int:year>/tabel-statistik/<int:pk>/hapus/", views.delete, name="delete"),
]
