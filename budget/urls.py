from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("instansi/<slug:code>/<int:year>/anggaran/tw<int:quarter>/", views.entry, name="entry"),
]
