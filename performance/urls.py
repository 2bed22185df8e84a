from django.urls import path

from . import agreement_views, narrative_views, views

app_name = "performance"

urlpatterns = [
    path("instansi/<slug:code>/<int:year>/realisasi/", views.entry_index, name="entry_index"),
    path("instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/", views.entry, name="entry"),
    path("instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/pratinjau/", views.entry_preview, name="entry_preview"),
    path("instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/verifikasi/", views.entry_review, name="entry_review"),
    path("instansi/<slug:code>/<int:year>/narasi/", narrative_views.narratives, name="narratives"),
    path("instansi/<slug:code>/<int:year>/pk/", agreement_views.agreement_index, name="agreement_index"),
    path("instansi/<slug:code>/<int:year>/pk/mulai/", agreement_views.agreement_start, name="agreement_start"),
    path("instansi/<slug:code>/<int:year>/pk/perubahan/", agreement_views.agreement_amend, name="agreement_amend"),
    path("instansi/<slug:code>/<int:year>/pk/banding/", agreement_views.agreement_diff, name="agreement_diff"),
    path("instansi/<slug:code>/<int:year>/pk/v<int:number>/", agreement_views.agreement_detail, name="agreement_detail"),
    path("instansi/<slug:code>/<int:year>/pk/v<int:number>/ubah/", agreement_views.agreement_edit, name="agreement_edit"),
    path("instansi/<slug:code>/<int:year>/pk/v<int:number>/status/", agreement_views.agreement_act, name="agreement_act"),
    path("instansi/<slug:code>/<int:year>/pk/v<int:number>/buang/", agreement_views.agreement_discard,
         name="agreement_discard"),
    path("pemda/<int:government_id>/<int:year>/pk/", agreement_views.agreement_overview, name="agreement_overview"),
]
