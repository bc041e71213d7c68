"""One demo database for every test in this folder: ``seed_demo`` runs once, not once per test.

The seed is written inside a transaction that stays open while the tests of this folder run and is rolled back
after the last of them, so no test elsewhere ever sees the demo data: pytest tears a package's fixtures down as
soon as it leaves the package. Each test still runs in its own savepoint (the ``db`` fixture), so a test that
writes, such as running ``seed_demo`` a second time, leaves the shared seed as it found it.
"""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

from helpdesk.celery import app as celery_app
from tests.installed_rows import restore_installed_rows


@pytest.fixture(scope="package")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="package")
def demo_seed(django_db_setup, django_db_blocker, demo_media):
    """What the one ``seed_demo`` run printed and e-mailed; its data is in the open transaction."""
    celery_app.conf.task_always_eager = True
    quick = override_settings(
        MEDIA_ROOT=demo_media,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    output = io.StringIO()
    with django_db_blocker.unblock():
        seeded = transaction.atomic()
        seeded.__enter__()
        with quick, TestCase.captureOnCommitCallbacks(execute=True):
            mail.outbox = []
            # A transactional test run before this folder empties the tables, and with them the queues, calendar,
            # SLA policies and care plans that migrations create; the seed builds on them, as a real install does.
            restore_installed_rows()
            call_command("seed_demo", stdout=output)
    try:
        yield {"output": output.getvalue(), "emails": list(mail.outbox)}
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            seeded.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def seeded(_isolated_environment, demo_seed, demo_media, db, settings):
    """Every test here reads the shared demo; the files it uploaded stay where the seed wrote them."""
    settings.MEDIA_ROOT = demo_media
    return demo_seed
