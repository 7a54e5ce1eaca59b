"""Staff status follows platform administration, no longer the social value lead's role.

Leads were made staff so that the admin's sign-in form would let them in; the admin is now
for platform administrators only (superusers and holders of ``administer_platform``), so
everyone's ``is_staff`` is worked out again from that.
"""

from django.db import migrations
from django.db.models import Q


def recompute_staff_status(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        codename="administer_platform", content_type__app_label="accounts"
    ).first()
    administrators = Q(is_superuser=True)
    if permission is not None:
        administrators |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    staff = set(User.objects.filter(administrators).values_list("pk", flat=True))
    User.objects.filter(pk__in=staff).update(is_staff=True)
    User.objects.exclude(pk__in=staff).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_platform_admin_cabinet_invitations_security_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(recompute_staff_status, migrations.RunPython.noop),
    ]
