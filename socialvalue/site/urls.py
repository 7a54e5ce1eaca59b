from django.urls import path, register_converter

from socialvalue.site.views import content, feedback, homepage, public


class ContentKindConverter:
    """The kinds of content the lead edits, as they appear in URLs."""

    regex = "resources|faqs|pages"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ContentKindConverter, "content_kind")

app_name = "site"

urlpatterns = [
    path("", homepage.home, name="home"),
    path("resources/", public.resources, name="resources"),
    path("resources/<slug:slug>/", public.resource_detail, name="resource_detail"),
    path("resources/<slug:slug>/download", public.resource_download, name="resource_download"),
    path("faqs/", public.faqs, name="faqs"),
    path("policy/", public.policy, name="policy"),
    path("feedback/", feedback.feedback, name="feedback"),
    path("feedback/thanks/", feedback.feedback_thanks, name="feedback_thanks"),
    path("content/", content.content_index, name="content"),
    path("content/resources/new/", content.resource_new, name="content_resource_new"),
    path("content/resources/<int:pk>/", content.resource_edit, name="content_resource_edit"),
    path("content/resources/<int:pk>/file", content.resource_file, name="content_resource_file"),
    path("content/faqs/new/", content.faq_new, name="content_faq_new"),
    path("content/faqs/<int:pk>/", content.faq_edit, name="content_faq_edit"),
    path("content/pages/<int:pk>/", content.page_edit, name="content_page_edit"),
    path("content/pages/policy/create/", content.policy_page_create, name="content_policy_create"),
    path("content/<content_kind:kind>/<int:pk>/publish/", content.publish, name="content_publish"),
    path("content/<content_kind:kind>/<int:pk>/history/", content.history, name="content_history"),
    path("content/feedback/", content.feedback_inbox, name="feedback_inbox"),
    path("content/feedback/<int:pk>/", content.feedback_review, name="feedback_review"),
]
