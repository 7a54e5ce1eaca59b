from socialvalue.procurement.views import documents, evaluation, offers, tenders

app_name = "procurement"

urlpatterns = [
    *tenders.urlpatterns,
    *offers.urlpatterns,
    *evaluation.urlpatterns,
    *documents.urlpatterns,
]
