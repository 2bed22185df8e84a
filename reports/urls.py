from django.urls import path

from . import agreement_views, document_views, views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("instansi/<slug:code>/", views.agency_latest, name="agency"),
    path("instansi/<slug:code>/<int:year>/", views.overview, name="overview"),
    path("instansi/<slug:code>/<int:year>/dokumen/", document_views.documents, name="documents"),
    path("instansi/<slug:code>/<int:year>/dokumen/buat/", document_views.document_create, name="document_create"),
    path("instansi/<slug:code>/<int:year>/dokumen/banding/", document_views.document_compare, name="document_compare"),
    path("dokumen/<str:doc>/ulang/", document_views.document_retry_view, name="document_retry"),
    path("dokumen/<str:doc>/cek/", document_views.document_checklist, name="document_checklist"),
    path("dokumen/<str:doc>/tanda-tangan/", document_views.document_sign_view, name="document_sign"),
    path("dokumen/<str:doc>/pdf/", document_views.document_pdf, name="document_pdf"),
    path("dokumen/<str:doc>/xlsx/", document_views.document_xlsx, name="document_xlsx"),
    path("v/<str:doc>/", document_views.verify, name="verify"),
    path("instansi/<slug:code>/<int:year>/pk/v<int:number>/pdf/", agreement_views.agreement_pdf, name="agreement_pdf"),
]
