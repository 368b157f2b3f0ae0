"""An index of citations by (source, kind of record, record): ``according_to``
reads a source's records of one kind through it (records/knowledge.py,
``cited_by_few``). It begins with the source, so the foreign key's own index
on source alone goes. Dropped by name rather than by altering the field,
which on SQLite would copy the whole table."""

import django.db.models.deletion
from django.db import migrations, models

SOURCE_INDEX = "records_citation_source_id_0bb6d9f8"  # the name Django gave the foreign key's index


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("records", "0025_joined_keys"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="citation",
            index=models.Index(fields=["source", "content_type", "object_id"], name="citation_source_record_idx"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="citation",
                    name="source",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="citations",
                        to="records.source",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{SOURCE_INDEX}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{SOURCE_INDEX}" ON "records_citation" ("source_id")',
                ),
            ],
        ),
    ]
