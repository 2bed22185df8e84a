from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("instansi/<slug:code>/<int:year>/realisasi/tw<int:quarter>/bukti/", views.upload, name="upload"),
    path("bukti/<int:pk>/", views.download, name="download"),
    path("bukti/<int:pk>/hapus/", views.delete, name="delete"),
    # The scan of a signed PK version (number 0 = murni, 1.. = perubahan ke-n).
    path("instansi/<slug:code>/<int:year>/pk/v<int:number>/bukti/", views.agreement_upload, name="agreement_upload"),
    path("instansi/<slug:code>/<int:year>/pk/v<int:number>/bukti/<int:pk>/", views.agreement_download,
         name="agreement_download"),
    path("instansi/<slug:code>/<int:year>/pk/v<int:number>/bukti/<int:pk>/hapus/", views.agreement_delete,
         name="agreement_delete"),
]
