from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("instansi/<slug:code>/<int:year>/anggaran/tw<int:quarter>/", views.entry, name="entry"),
    path("instansi/<slug:code>/<int:year>/anggaran/jenis-belanja/", views.spending_types, name="spending_types"),
]
