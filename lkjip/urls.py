from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Administrasi LKjIP"
admin.site.site_title = "LKjIP"

urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("workbook.urls")),
    path("", include("reports.urls")),
    path("", include("audit.urls")),
    path("", include("periods.urls")),
    path("", include("performance.urls")),
    path("", include("budget.urls")),
    path("", include("evidence.urls")),
    path("", include("api.urls")),
    path("", include("reviews.urls")),
    path("", include("evaluations.urls")),
    path("", include("sectorstats.urls")),
    path("", include("images.urls")),
]

# JSON under /api/, the project's pages elsewhere.
handler400 = "api.exceptions.bad_request"
handler403 = "api.exceptions.permission_denied"
handler404 = "api.exceptions.page_not_found"
handler500 = "api.exceptions.server_error"
