from django.db import migrations

# Statistics on a posting's certain span (latest start to earliest end) as a
# date range: the expression records.api.filtering.CertainlyHeldOn adds to the
# bound comparisons on PostgreSQL (active_on, date_match=certainly). From the
# comparisons alone the planner expected several times the rows held on a day
# and walked the start-date index to fill a page of an organisation's
# postings; with these statistics (gathered by ANALYZE) it sorts the
# organisation's matches. Statistics, not an index: the existing indexes serve
# the lists, and a GiST index would cost every write. SQLite has no range type
# and keeps the plain comparisons: nothing to do there.
SPAN = "(CASE WHEN start_latest <= end_earliest THEN daterange(start_latest, end_earliest, '[]') END)"


def create_span_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE STATISTICS IF NOT EXISTS posting_certain_span_stats ON {SPAN} FROM records_posting")
    schema_editor.execute("ANALYZE records_posting")  # the statistics are empty until then


def drop_span_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP STATISTICS IF EXISTS posting_certain_span_stats")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0005_scale_indexes"),
    ]

    operations = [
        migrations.RunPython(create_span_statistics, drop_span_statistics),
    ]
