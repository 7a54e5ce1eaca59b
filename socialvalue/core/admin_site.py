"""The Django admin, open to platform administrators only.

A platform administrator is a superuser, or an active user holding the
``accounts.administer_platform`` permission. Holding a role in an organisation, even the
social value lead's, gives no way in: the admin sees every organisation's records, so it is
kept for the people who run the platform, and a lead does the organisation's day-to-day work
on its own pages under ``/account/``, which are scoped to the organisation.

The permission is named by a string, so this module needs nothing from ``accounts``.
"""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest

from socialvalue.core.access import PLATFORM_ADMIN_PERMISSION, is_platform_admin

__all__ = ["PLATFORM_ADMIN_PERMISSION", "is_platform_admin", "is_platform_admin_request"]


def is_platform_admin_request(request: HttpRequest) -> bool:
    return is_platform_admin(getattr(request, "user", None))


class SocialValueAdminSite(admin.AdminSite):
    # Checked by ``socialvalue.checks``: the admin is never opened to a role.
    platform_admins_only = True
    site_header = f"{settings.SERVICE_NAME} administration"
    site_title = settings.SERVICE_NAME
    index_title = "Platform administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin_request(request)


class PlatformAdminModelAdmin(admin.ModelAdmin):
    """A model admin platform administrators may use in full; nobody else may use it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin_request(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_platform_admin_request(request)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return is_platform_admin_request(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_platform_admin_request(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_platform_admin_request(request)


class PlatformAdminInlineMixin:
    """Inlines platform administrators may use in full, like ``PlatformAdminModelAdmin``."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_platform_admin_request(request)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_platform_admin_request(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_platform_admin_request(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_platform_admin_request(request)


class ReadOnlyMixin:
    """An admin (or inline) that lists and shows records but never adds, changes or deletes."""

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
