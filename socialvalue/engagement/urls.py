from django.urls import path

from socialvalue.engagement import views

app_name = "engagement"

urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/news/", views.news, name="news"),
    path("events/news/<slug:slug>/", views.post_detail, name="post_detail"),
    path("events/registrations/<str:token>/", views.registration, name="registration"),
    path(
        "events/registrations/<str:token>/cancel/",
        views.registration_cancel_view,
        name="registration_cancel",
    ),
    path("events/manage/", views.manage, name="manage"),
    path("events/manage/new/", views.event_new, name="event_new"),
    path("events/manage/<int:pk>/", views.event_edit, name="event_edit"),
    path("events/manage/<int:pk>/status/", views.event_status, name="event_status"),
    path("events/manage/<int:pk>/cancel/", views.event_cancel_view, name="event_cancel"),
    path(
        "events/manage/<int:pk>/registrations/",
        views.event_registrations,
        name="event_registrations",
    ),
    path(
        "events/manage/<int:pk>/registrations.csv",
        views.event_registrations_csv,
        name="event_registrations_csv",
    ),
    path("events/manage/news/", views.manage_posts, name="manage_posts"),
    path("events/manage/news/new/", views.post_new, name="post_new"),
    path("events/manage/news/<int:pk>/", views.post_edit, name="post_edit"),
    path("events/manage/news/<int:pk>/status/", views.post_status, name="post_status"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/calendar.ics", views.event_ics, name="event_ics"),
]
