from django.urls import path

from . import views

app_name = "evaluations"

# <year>: the LKjIP year that was evaluated (the LHE is issued in year + 1).
urlpatterns = [
    path("instansi/<slug:code>/<int:year>/evaluasi/", views.detail, name="detail"),
    path("instansi/<slug:code>/<int:year>/evaluasi/ubah/", views.edit, name="edit"),
    path("instansi/<slug:code>/<int:year>/evaluasi/rekomendasi/", views.recommendation_add, name="recommendation_add"),
    path("instansi/<slug:code>/<int:year>/evaluasi/tindak-lanjut/", views.follow_up, name="follow_up"),
]
