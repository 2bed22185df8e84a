from django.urls import path

from . import views

app_name = "workbook"

urlpatterns = [path("impor/", views.upload, name="upload")]
