"""The public website's pages, one module per part (home, public content, feedback, the lead's
content editing), and the error pages the project's URL configuration names."""

from socialvalue.site.views.errors import (
    bad_request,
    page_not_found,
    permission_denied,
    server_error,
)
from socialvalue.site.views.homepage import home

__all__ = ["bad_request", "home", "page_not_found", "permission_denied", "server_error"]
