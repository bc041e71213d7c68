"""Moving the test database through migrations, for the tests that run a data migration on populated rows."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` and return the historical apps there (an app migrated to None is left out)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def leaf_nodes():
    """The last migration of every app: where a migration test leaves the database."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
