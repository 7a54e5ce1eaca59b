from django.urls import path

from socialvalue.insights.views import guidance

urlpatterns = [
    path("insights/categories/", guidance.categories, name="categories"),
    path("insights/categories/<str:category>/", guidance.category_detail, name="category"),
    path("insights/needs/", guidance.needs, name="needs"),
]
