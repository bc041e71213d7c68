"""Personas shared by every test: two customers' organisations, agents, a manager and an admin."""

from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import cache
from django.test import override_settings

from helpdesk.accounts.models import Organization
from helpdesk.celery import app as celery_app
from tests.factories import PASSWORD, AgentFactory, CustomerFactory, ManagerFactory, OrganizationFactory, UserFactory
from tests.installed_rows import restore_installed_rows

# The tests that read the one shared demo seed (tests/demo/seeded/conftest.py).
SHARED_SEED = "tests/demo/seeded/"


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook; known only when the plugin is loaded
def pytest_xdist_make_scheduler(config, log):
    """Parallel runs (``-n``): each test is a unit of work of its own, except the tests that share the demo seed,
    which go to one worker together so it seeds once. (pytest-xdist's ``--dist loadgroup`` does this with a
    marker, but it renames node ids in a way pytest 9 no longer takes.)"""
    from xdist.scheduler import LoadScopeScheduling

    class SharedSeedTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return SHARED_SEED if nodeid.startswith(SHARED_SEED) else nodeid

    return SharedSeedTogether(config, log)


@pytest.fixture(scope="session", autouse=True)
def _own_redis_database(request):
    """Parallel test workers share one Redis server; each caches in a database of its own, because clearing the
    cache between tests empties the whole database."""
    from django.conf import settings

    worker_id = getattr(request.config, "workerinput", {}).get("workerid", "master")
    location = settings.CACHES["default"].get("LOCATION")
    if worker_id == "master" or not str(location or "").startswith("redis"):
        yield
        return
    url = urlsplit(location)
    number = (int(url.path.strip("/") or 0) + 1 + int(worker_id.removeprefix("gw"))) % 16
    caches = {"default": {**settings.CACHES["default"], "LOCATION": urlunsplit(url._replace(path=f"/{number}"))}}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _isolated_environment(settings, tmp_path):
    # Tests run tasks in-process whatever REDIS_URL says; the worker test switches this off itself.
    celery_app.conf.task_always_eager = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded files of one test never outlive it
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _installed_rows(request):
    """A transactional test starts from what a fresh install has, even after another one emptied the tables."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("transactional_db")
    restore_installed_rows()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Acme", email_domain="acme.example", tier=Organization.Tier.VIP)


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="Globex", email_domain="globex.example")


@pytest.fixture
def customer_a(org_a):
    """Primary contact of organisation A."""
    return CustomerFactory(email="alice@acme.example", name="Alice A", organization=org_a, is_primary_contact=True)


@pytest.fixture
def customer_a2(org_a):
    return CustomerFactory(email="bob@acme.example", name="Bob A", organization=org_a)


@pytest.fixture
def customer_b(org_b):
    return CustomerFactory(email="carol@globex.example", name="Carol B", organization=org_b, is_primary_contact=True)


@pytest.fixture
def agent(db):
    return AgentFactory(email="agent1@example.com", name="Alex Agent")


@pytest.fixture
def agent_y(db):
    return AgentFactory(email="agent2@example.com", name="Sam Agent")


@pytest.fixture
def manager(db):
    return ManagerFactory(email="manager@example.com", name="Morgan Manager")


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@example.com", name="Ada Admin", is_superuser=True, is_staff=True, roles=[])


@pytest.fixture
def queue_x(agent):
    """A queue that `agent` works in."""
    from tests.tickets.factories import QueueFactory

    queue = QueueFactory(name="Queue X", slug="queue-x")
    queue.members.add(agent)
    return queue


@pytest.fixture
def queue_y(agent_y):
    """A queue that only `agent_y` works in."""
    from tests.tickets.factories import QueueFactory

    queue = QueueFactory(name="Queue Y", slug="queue-y")
    queue.members.add(agent_y)
    return queue
