from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "periods"
    verbose_name = "Kalender pelaporan"
