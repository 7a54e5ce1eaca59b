from django.contrib.admin.apps import AdminConfig


class SocialValueAdminConfig(AdminConfig):
    default_site = "socialvalue.core.admin_site.SocialValueAdminSite"
