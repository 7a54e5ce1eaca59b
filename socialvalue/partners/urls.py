from django.urls import path

from socialvalue.partners import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.partner_index, name="index"),
    path("partners/profile/", views.profile_edit, name="profile_edit"),
    path(
        "partners/profile/changes/<int:pk>/",
        views.revision_preview,
        name="revision_preview",
    ),
    path(
        "partners/profile/changes/<int:pk>/submit/",
        views.revision_submit,
        name="revision_submit",
    ),
    path(
        "partners/profile/changes/<int:pk>/withdraw/",
        views.revision_withdraw,
        name="revision_withdraw",
    ),
    path("partners/approvals/", views.approvals, name="approvals"),
    path("partners/approvals/new/", views.partner_new, name="partner_new"),
    path("partners/approvals/<int:pk>/", views.review, name="review"),
    path("partners/<slug:slug>/", views.partner_detail, name="detail"),
]
