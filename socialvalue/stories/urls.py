from django.urls import path

from socialvalue.stories import views

app_name = "stories"

urlpatterns = [
    path("case-studies/", views.case_study_index, name="index"),
    path("case-studies/mine/", views.case_study_mine, name="mine"),
    path("case-studies/new/", views.case_study_new, name="new"),
    path("case-studies/review/", views.case_study_review_list, name="review_list"),
    path("case-studies/review/<slug:slug>/", views.case_study_review, name="review"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="detail"),
    path("case-studies/<slug:slug>/image/", views.case_study_image, name="image"),
    path("case-studies/<slug:slug>/edit/", views.case_study_edit, name="edit"),
    path("case-studies/<slug:slug>/preview/", views.case_study_preview, name="preview"),
    path("case-studies/<slug:slug>/submit/", views.case_study_submit_view, name="submit"),
    path("case-studies/<slug:slug>/withdraw/", views.case_study_withdraw_view, name="withdraw"),
]
