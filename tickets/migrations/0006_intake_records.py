"""Inbound e-mails become intake records of any channel: renamed, with the new outcomes and review fields.

Every row is kept. Outcomes are renamed (opened a ticket → created, added to a ticket → threaded) and
the refusals of unknown senders, which had an outcome of their own, become ignored with their reason.
The managers' admin permission follows the model's new name.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OUTCOMES = {"new_ticket": "created", "reply": "threaded", "rejected": "ignored"}


def rename_outcomes(apps, schema_editor):
    IntakeRecord = apps.get_model("tickets", "IntakeRecord")
    for old, new in OUTCOMES.items():
        IntakeRecord.objects.filter(outcome=old).update(outcome=new)


def restore_outcomes(apps, schema_editor):
    IntakeRecord = apps.get_model("tickets", "IntakeRecord")
    for old, new in OUTCOMES.items():
        if old != "rejected":  # the refusals stay ignored: which ignored rows were refusals is not kept
            IntakeRecord.objects.filter(outcome=new).update(outcome=old)
    IntakeRecord.objects.filter(outcome="suspended").update(outcome="ignored")


def rename_permissions(apps, schema_editor, old="inboundemail", new="intakerecord"):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type__app_label="tickets", codename__endswith=f"_{old}"):
        codename = permission.codename[: -len(old)] + new
        if Permission.objects.filter(content_type=permission.content_type, codename=codename).exists():
            continue
        permission.codename = codename
        permission.name = permission.name.replace("inbound e-mail", "intake record")
        permission.save(update_fields=["codename", "name"])


def restore_permissions(apps, schema_editor):
    rename_permissions(apps, schema_editor, old="intakerecord", new="inboundemail")


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("tickets", "0005_inbound_failures"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("InboundEmail", "IntakeRecord"),
        migrations.RenameField("intakerecord", "message_key", "external_key"),
        migrations.AlterModelOptions(
            name="intakerecord",
            options={"ordering": ["-received_at"], "verbose_name": "intake record",
                     "verbose_name_plural": "intake records"},
        ),
        migrations.AlterField(
            model_name="intakerecord",
            name="external_key",
            field=models.CharField(help_text="The e-mail's Message-ID, or a hash of the message.", max_length=255,
                                   unique=True, verbose_name="message key"),
        ),
        migrations.AlterField(
            model_name="intakerecord",
            name="outcome",
            field=models.CharField(choices=[("created", "Opened a ticket"), ("threaded", "Added to a ticket"),
                                            ("follow_up", "Opened a follow-up ticket"), ("ignored", "Ignored"),
                                            ("suspended", "Suspended"), ("failed", "Failed")],
                                   max_length=20, verbose_name="outcome"),
        ),
        migrations.AlterField(
            model_name="intakerecord",
            name="raw",
            field=models.BinaryField(blank=True, default=b"", editable=False, verbose_name="original message"),
        ),
        migrations.AddField(
            model_name="intakerecord",
            name="channel",
            field=models.CharField(choices=[("portal", "Portal"), ("email", "E-mail"), ("phone", "Phone"),
                                            ("chat", "Chat"), ("api", "API")],
                                   default="email", max_length=10, verbose_name="channel"),
        ),
        migrations.AddField(
            model_name="intakerecord",
            name="fingerprint",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="content fingerprint"),
        ),
        migrations.AddField(
            model_name="intakerecord",
            name="verification",
            field=models.CharField(blank=True, choices=[("verified", "Verified"), ("unverified", "Not verified"),
                                                        ("failed", "Failed verification")],
                                   max_length=10, verbose_name="sender verification"),
        ),
        migrations.AddField(
            model_name="intakerecord",
            name="queue",
            field=models.ForeignKey(blank=True, help_text="Where it was going: its agents review it.", null=True,
                                    on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to="tickets.queue", verbose_name="queue"),
        ),
        migrations.AddField(
            model_name="intakerecord",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed"),
        ),
        migrations.AddField(
            model_name="intakerecord",
            name="reviewed_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="reviewed by"),
        ),
        migrations.AddIndex(
            model_name="intakerecord",
            index=models.Index(condition=models.Q(("outcome", "suspended")), fields=["received_at"],
                               name="intake_suspended"),
        ),
        migrations.AddField(
            model_name="message",
            name="verification",
            field=models.CharField(blank=True, choices=[("verified", "Verified"), ("unverified", "Not verified"),
                                                        ("failed", "Failed verification")],
                                   max_length=10, verbose_name="sender verification"),
        ),
        migrations.RunPython(rename_outcomes, restore_outcomes),
        migrations.RunPython(rename_permissions, restore_permissions),
    ]
