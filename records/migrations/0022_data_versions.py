"""A version per table, bumped by triggers on every write (records/dataversions.py)."""

from django.db import migrations

from records import dataversions


def install(apps, schema_editor):
    dataversions.install(schema_editor.connection.alias, apps=apps)


def uninstall(apps, schema_editor):
    dataversions.uninstall(schema_editor.connection.alias, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0021_contradictions_as_claim_links"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
