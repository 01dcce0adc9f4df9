"""URL configuration: the admin at /admin/, the API at /api/, its docs at /api/docs/."""

from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from oauth2_provider import views as oauth2_views

from actions.api import urls as action_urls
from attachments.api import urls as attachment_urls
from batches.api import urls as batch_urls
from customers.api import urls as customer_urls
from engine.api import urls as engine_urls
from history.api import urls as history_urls
from niagara.api.docs import OfflineRedocView, redoc_bundle
from notes.api import urls as note_urls
from queues.api import urls as queue_urls
from relations.api import urls as relation_urls
from reports import cockpit as report_cockpit
from reports.api import urls as report_urls
from search.api import urls as search_urls
from units.api import urls as unit_urls
from users.api import urls as user_urls
from users.api.oauth_token import GuardedTokenView
from webhooks.api import urls as webhook_urls
from workorders.api import urls as workorder_urls

from .api import rels
from .api.routers import HalRouter
from .api.views import problem_404_view, problem_500_view
from .health import healthz


def favicon(request):
    # Resolved per request: in production the hashed name is known only once collected.
    return redirect(static("niagara/favicon.svg"), permanent=True)


router = HalRouter(
    extra_links={
        "nter:me": "me",
        "nter:batches": "batch-list",
        "nter:settings-statuses": "settings-statuses",
        "nter:contexts": "context-list",
        "nter:attachments": "attachment-list",
        "nter:search": "search",
        "nter:webhooks": "webhook-list",
        "nter:actions": "action-list",
        "nter:notifications": "notification-list",
        "nter:reports": "report-list",
        "nter:fields": "fields",
    }
)
rels.register(
    "nter:me",
    "In the API root: the caller (`GET /api/me`), with links to what is theirs.",
    "/api/me",
)
rels.register(
    "nter:settings-statuses",
    "In the API root: the shop's statuses, which new customers start from "
    "(`GET /api/settings/statuses`, `POST` one more); embedded there, each status.",
    "/api/settings/statuses",
)
rels.register(
    "nter:search",
    "In the API root: one search over serials, labels, order numbers, customers and notes "
    "(`GET /api/search?q=`).",
    "/api/search",
)
rels.register(
    "nter:fields",
    "In the API root: the custom fields of every entity type (`GET /api/fields`), each with a "
    "link to its type's own list.",
    "/api/fields",
)
rels.register(
    "nter:entity-fields",
    "In the list of custom fields: one entity type's custom fields (`GET /api/fields/{type}`).",
    "/api/fields/{entity_type}",
)
rels.register(
    "nter:entity-actions",
    "In an action's representation: the actions of the entity it is set on.",
    "/api/{collection}/{entity_id}/actions",
)
rels.register(
    "nter:report-download",
    "In a report's representation: the whole report as CSV.",
    "/api/reports/{report_id}/download",
)
rels.register(
    "nter:webhooks",
    "In the API root: the webhooks the caller manages (`GET`, `POST /api/webhooks`).",
    "/api/webhooks",
)
for app_urls in (customer_urls, queue_urls, unit_urls, workorder_urls, user_urls):
    for prefix, viewset, basename in app_urls.routes:
        router.register(prefix, viewset, basename=basename)

api_patterns = [
    *customer_urls.urlpatterns,
    *user_urls.urlpatterns,
    *queue_urls.urlpatterns,
    *unit_urls.urlpatterns,
    *workorder_urls.urlpatterns,
    *batch_urls.urlpatterns,
    *note_urls.urlpatterns,
    *attachment_urls.urlpatterns,
    *search_urls.urlpatterns,
    *webhook_urls.urlpatterns,
    *action_urls.urlpatterns,
    *report_urls.urlpatterns,
    *relation_urls.urlpatterns(),
    *history_urls.urlpatterns(),
    # After them: ``contexts/{id}/{step}`` would otherwise take ``…/diff`` and ``…/relations``.
    *engine_urls.urlpatterns,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script from its own URL (``?script``): no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", OfflineRedocView.as_view(url_name="schema"), name="redoc"),
    path("redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    # What each ``nter:`` link relation means (the root's ``curies``): public, like the docs.
    path("rels/", rels.rel_index, name="rels"),
    path("rels/<slug:rel>", rels.rel_page, name="rel"),
    *router.urls,
    # Anything else under /api/ is a problem document, in DEBUG too.
    re_path(r"^[\s\S]*$", problem_404_view, {"exception": None}),
]

# OAuth2 for integrators: client-credentials tokens, their revocation and introspection.
oauth2_patterns = [
    path("token/", GuardedTokenView.as_view(), name="token"),
    path("revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth2_views.IntrospectTokenView.as_view(), name="introspect"),
]

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/"), name="home"),
    path("oauth/", include((oauth2_patterns, "oauth2_provider"))),
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    # The cockpit's week in numbers (its charts' figures, and the same as CSV).
    path("admin/reports/week.json", report_cockpit.week_json, name="reports-week-json"),
    path("admin/reports/week.csv", report_cockpit.week_csv, name="reports-week-csv"),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
]

handler500 = problem_500_view
