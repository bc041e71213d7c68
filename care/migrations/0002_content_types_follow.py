# The moved models' content types change app label, so their Permission rows (and the managers' group that
# holds them), admin log entries and e-mails "about" a care task keep pointing at the right model. Django
# renames content types only for RenameModel within one app, so it is done here.
#
# If the care content types exist already (post_migrate ran between the two migrations), the old ones win:
# they hold the history, and the grants made on the new permissions are carried over to them.

from django.db import migrations

MOVED = [
    ("accounts", "caretask"),
    ("accounts", "careplan"),
    ("accounts", "churnreason"),
    ("reports", "healthscore"),
]


def _move(apps, moves):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for old_label, new_label, model in moves:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=new_label, model=model).first()
        if new is not None:
            # The old content type carries the history (grants, admin log, e-mails about a task): keep it, give
            # it the grants the new one received meanwhile, and drop the new one.
            for permission in Permission.objects.filter(content_type=new):
                target = Permission.objects.filter(content_type=old, codename=permission.codename).first()
                if target is None:
                    permission.content_type = old
                    permission.save(update_fields=["content_type"])
                    continue
                for group in permission.group_set.all():
                    group.permissions.add(target)
                for user in permission.user_set.all():
                    user.user_permissions.add(target)
            new.delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move(apps, [(old_label, "care", model) for old_label, model in MOVED])


def backwards(apps, schema_editor):
    _move(apps, [("care", old_label, model) for old_label, model in MOVED])


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
