from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate

from config.serving import check_serving_settings


def create_cache_tables(using="default", verbosity=1, **kwargs) -> None:
    from django.core.management import call_command

    from records.api.counters import unlog_cache_tables

    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))
    unlog_cache_tables(using)


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Political records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # `check --deploy` only: migrate and other data commands run checks too, and need no secret key.
        checks.register(check_serving_settings, checks.Tags.security, deploy=True)
        # The curator group, after django.contrib.auth has created this app's permissions.
        from records.roles import ensure_roles_after_migrate

        post_migrate.connect(ensure_roles_after_migrate, sender=self, dispatch_uid="records.roles")
        # The database cache's table (the shared rate-limit counters), where a cache uses one.
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="records.cache_tables")
        # SQLite's name search indexes (FTS5 trigram), reinstalled where a migration dropped their triggers.
        from records.search import install_search_indexes

        post_migrate.connect(install_search_indexes, sender=self, dispatch_uid="records.search_indexes")
        # Every table's version trigger (conditional GETs), where a new table or a SQLite rebuild lacks one.
        from records.dataversions import install as install_data_versions

        post_migrate.connect(install_data_versions, sender=self, dispatch_uid="records.data_versions")
        # Each contest's winner_margin, kept by triggers that a SQLite rebuild may have dropped.
        from records.winner_margins import install as install_winner_margins

        post_migrate.connect(install_winner_margins, sender=self, dispatch_uid="records.winner_margins")
        # A record loaded without history keeps its state before the first edit.
        from records.curation.baseline import connect_baselines

        connect_baselines()
        # Each posting's place in its person's career, renumbered on every change.
        from records.careers import connect_career_positions

        connect_career_positions()
