from socialvalue.procurement.documents import views as documents
from socialvalue.procurement.evaluation import urls as evaluation
from socialvalue.procurement.offers import urls as offers
from socialvalue.procurement.policy import views as policy
from socialvalue.procurement.tenders import urls as tenders

app_name = "procurement"

urlpatterns = [
    *policy.urlpatterns,
    *tenders.urlpatterns,
    *offers.urlpatterns,
    *evaluation.urlpatterns,
    *documents.urlpatterns,
]
