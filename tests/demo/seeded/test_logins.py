"""The logins ``seed_demo`` prints (README): every one exists, signs in with the documented password, and
running the command again adds nobody."""

from django.core.management import call_command

from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import is_agent, is_customer, is_manager

LOGINS = ["admin@example.com", "manager@example.com", "agent1@example.com", "agent2@example.com",
          "alice@acme.example", "bob@acme.example", "carol@globex.example"]


def test_seed_demo_creates_the_documented_logins_and_can_run_again(seeded, capsys):
    counts = (User.objects.count(), Organization.objects.count())
    call_command("seed_demo")
    output = capsys.readouterr().out

    assert (User.objects.count(), Organization.objects.count()) == counts, "running it again adds nothing"
    for email in LOGINS:
        user = User.objects.get(email=email)
        assert user.check_password("demo1234") and user.is_active
        assert email in output and email in seeded["output"]
    assert User.objects.get(email="admin@example.com").is_superuser
    assert is_manager(User.objects.get(email="manager@example.com"))
    assert is_agent(User.objects.get(email="agent2@example.com"))
    alice = User.objects.get(email="alice@acme.example")
    assert is_customer(alice) and alice.is_primary_contact and alice.organization.name == "Acme"
    assert alice.organization.tier == Organization.Tier.VIP
    assert User.objects.get(email="carol@globex.example").organization.name == "Globex"
    assert Organization.objects.get(name="Acme").status_changes.count() == 1
