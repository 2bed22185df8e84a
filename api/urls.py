from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import account_views, review_views, views

app_name = "api"

V1 = "api/v1/"
AGENCY = V1 + "agencies/<slug:code>/"
YEAR = AGENCY + "years/<int:year>/"

urlpatterns = [
    path(V1 + "schema/", SpectacularAPIView.as_view(), name="schema"),
    path(V1 + "docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(V1 + "redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path(V1 + "governments/", views.GovernmentListApi.as_view(), name="government_list"),
    path(V1 + "governments/<int:pk>/", views.GovernmentDetailApi.as_view(), name="government_detail"),
    path(V1 + "agencies/", views.AgencyListApi.as_view(), name="agency_list"),
    path(AGENCY, views.AgencyDetailApi.as_view(), name="agency_detail"),
    path(AGENCY + "years/", views.AgencyYearListApi.as_view(), name="agency_years"),
    path(AGENCY + "plans/", views.PlanListApi.as_view(), name="plans"),
    path(YEAR + "measurement/", views.MeasurementApi.as_view(), name="measurement"),
    path(YEAR + "budget/", views.BudgetApi.as_view(), name="budget"),
    path(YEAR + "findings/", views.FindingListApi.as_view(), name="findings"),
    path(V1 + "indicators/", views.IndicatorListApi.as_view(), name="indicator_list"),
    path(V1 + "targets/", views.TargetListApi.as_view(), name="target_list"),
    path(V1 + "realizations/", views.RealizationListApi.as_view(), name="realization_list"),
    path(V1 + "evidence/<int:pk>/file/", views.EvidenceFileApi.as_view(), name="evidence_file"),
    path(V1 + "agreements/", views.AgreementListApi.as_view(), name="agreement_list"),
    path(V1 + "agreements/<int:pk>/", views.AgreementDetailApi.as_view(), name="agreement_detail"),
    path(V1 + "history/", views.HistoryListApi.as_view(), name="history_list"),
    path(V1 + "documents/", views.DocumentListApi.as_view(), name="document_list"),
    path(V1 + "documents/<str:code>/pdf/", views.DocumentPdfApi.as_view(), name="document_pdf"),
    path(V1 + "evaluations/", views.EvaluationListApi.as_view(), name="evaluation_list"),
    path(V1 + "recommendations/", views.RecommendationListApi.as_view(), name="recommendation_list"),
    path(V1 + "reviews/", review_views.ReviewListApi.as_view(), name="review_list"),
    path(V1 + "reviews/<int:pk>/", review_views.ReviewDetailApi.as_view(), name="review_detail"),
    path(V1 + "reviews/<int:pk>/items/", review_views.ReviewItemsApi.as_view(), name="review_items"),
    *(path(V1 + f"reviews/<int:pk>/{act}/", review_views.ReviewActApi.as_view(), {"act": act}, name=f"review_{act}")
      for act in ("close", "reopen")),
    path(V1 + "reviews/<int:pk>/notes/", review_views.ReviewNotesApi.as_view(), name="review_notes"),
    *(path(V1 + f"reviews/<int:pk>/notes/<int:note_id>/{act}/", review_views.ReviewNoteActApi.as_view(),
           {"act": act}, name=f"review_note_{act}")
      for act in ("answer", "resolve", "reopen")),
    path(V1 + "reviews/<int:pk>/statement/", review_views.ReviewStatementApi.as_view(), name="review_statement"),
    path("akun/token/", account_views.tokens, name="tokens"),
    path("akun/token/<int:pk>/cabut/", account_views.revoke, name="token_revoke"),
]
