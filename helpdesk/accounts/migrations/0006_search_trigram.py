from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The desk search finds customers by part of their e-mail address or name and organisations by part of their
# name (Django's icontains: UPPER(column) LIKE UPPER('%…%')), which trigram GIN indexes on UPPER(column) answer
# without reading the whole table. PostgreSQL only.
INDEXES = """
CREATE INDEX IF NOT EXISTS accounts_user_email_trgm ON accounts_user USING gin ((UPPER(email::text)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS accounts_user_name_trgm ON accounts_user USING gin ((UPPER(name::text)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS accounts_organization_name_trgm ON accounts_organization USING gin ((UPPER(name::text)) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS accounts_user_email_trgm;
DROP INDEX IF EXISTS accounts_user_name_trgm;
DROP INDEX IF EXISTS accounts_organization_name_trgm;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEXES)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_care_models_move_to_care")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
