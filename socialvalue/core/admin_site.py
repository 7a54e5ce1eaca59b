"""The Django admin, open to superusers and to the social value lead."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest


def is_admin_user(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_active or not user.is_authenticated:
        return False
    return bool(user.is_superuser or getattr(user, "is_lead", False))


class SocialValueAdminSite(admin.AdminSite):
    site_header = f"{settings.SERVICE_NAME} administration"
    site_title = settings.SERVICE_NAME
    index_title = "Administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_admin_user(request)


class LeadModelAdmin(admin.ModelAdmin):
    """A model admin the social value lead may use in full (superusers too)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin_user(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_admin_user(request)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return is_admin_user(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_admin_user(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_admin_user(request)
