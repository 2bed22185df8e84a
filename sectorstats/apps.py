from django.apps import AppConfig


class SectorstatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sectorstats"
    verbose_name = "Tabel statistik sektor"
