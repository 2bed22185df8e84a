from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = "Bukti dukung"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (registers the system check and the receiver)
