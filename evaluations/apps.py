from django.apps import AppConfig
from django.db.models.signals import post_migrate


def national_framework_ensure(sender: AppConfig, **kwargs: object) -> None:
    """The national default framework is reference data, like content types: its migration
    writes it, and after every migrate or flush (test databases are flushed between
    transactional tests) it is there again if it is missing. An existing one is left as it is."""
    from importlib import import_module

    from django.apps import apps as installed

    apps = kwargs.get("apps") or installed  # flush sends no migration state: the models as installed
    try:
        apps.get_model("evaluations", "EvaluationBand")
    except LookupError:  # migrating to a state before the app's tables exist
        return
    import_module("evaluations.migrations.0002_national_framework").forwards(apps, None)


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = "Hasil evaluasi AKIP (LHE)"

    def ready(self) -> None:
        post_migrate.connect(national_framework_ensure, sender=self, dispatch_uid="evaluations-national-framework")
