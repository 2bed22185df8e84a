from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("instansi/<slug:code>/<int:year>/reviu/", views.review_index, name="index"),
    path("instansi/<slug:code>/<int:year>/reviu/buka/", views.review_open_view, name="open"),
    path("instansi/<slug:code>/<int:year>/reviu/<int:review_id>/", views.review_detail, name="detail"),
    path("instansi/<slug:code>/<int:year>/reviu/<int:review_id>/kertas-kerja/", views.review_items, name="items"),
    path("instansi/<slug:code>/<int:year>/reviu/<int:review_id>/status/", views.review_act, name="act"),
    path("instansi/<slug:code>/<int:year>/reviu/<int:review_id>/catatan/", views.note_add, name="note_add"),
    path("instansi/<slug:code>/<int:year>/reviu/<int:review_id>/catatan/<int:note_id>/", views.note_act,
         name="note_act"),
    path("instansi/<slug:code>/<int:year>/reviu/<int:review_id>/pernyataan/", views.statement, name="statement"),
]
