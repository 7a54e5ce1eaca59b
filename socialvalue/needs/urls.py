from django.urls import path

from socialvalue.needs import views

app_name = "needs"

urlpatterns = [
    path("needs/", views.needs_index, name="index"),
    path("needs/table/", views.needs_table, name="table"),
    path("needs/areas/<str:code>/", views.needs_area, name="area"),
    path("needs/links/", views.needs_links, name="links"),
    path("needs/links/<int:pk>/remove/", views.needs_link_delete, name="link_delete"),
    path("needs/postcode/", views.needs_postcode, name="postcode"),
]
