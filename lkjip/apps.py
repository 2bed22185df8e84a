from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_parameter_limit(sender: object, connection: object, **kwargs: object) -> None:
    """Django 5.2 assumes SQLite's historic limit of 999 parameters a query and splits bulk
    writes into batches of ~50 rows for a 20-column table (an audit entry). The library's real
    limit (250.000 on Debian's build) is asked instead, so a bulk write is one query per
    1.000 rows in both modes. (Django 6 asks the same way.)"""
    if connection.vendor != "sqlite":  # type: ignore[attr-defined]
        return
    import sqlite3

    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)  # type: ignore[attr-defined]
    connection.features.max_query_params = limit  # type: ignore[attr-defined]


class LkjipConfig(AppConfig):
    name = "lkjip"
    verbose_name = "LKjIP"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from lkjip.signin import reset_account_failures

        connection_created.connect(_sqlite_parameter_limit, dispatch_uid="lkjip-sqlite-parameter-limit")
        user_logged_in.connect(reset_account_failures, dispatch_uid="lkjip-reset-account-failures")
