from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from yiwang.api import api
from yiwang.core import views as core_views

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", core_views.favicon),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("elder-mode/", core_views.elder_mode, name="elder_mode"),
    path("accounts/", include("yiwang.accounts.urls")),
    path("workbench/catalogue/", include("yiwang.catalogue.urls")),
    path("workbench/cases/", include("yiwang.cases.urls")),
    path("workbench/", include("yiwang.workbench.urls")),
    path("audit/", include("yiwang.audit.urls")),
    path("notifications/", include("yiwang.notifications.urls")),
    path("", include("yiwang.online.urls")),
    path("licences/", include("yiwang.licences.urls")),
    path("sharing/", include("yiwang.sharing.urls")),
    path("workbench/instant/", include("yiwang.instant.urls")),
    path("open311/v2/", include("yiwang.hotline.urls_open311")),
    path("workbench/hotline/", include("yiwang.hotline.urls")),
    path("12345/", include("yiwang.hotline.urls_public")),
    path("workbench/hall/", include("yiwang.hall.urls")),
    path("hall/", include("yiwang.hall.urls_public")),
    path("workbench/evaluation/", include("yiwang.evaluation.urls")),
    path("rate/", include("yiwang.evaluation.urls_public")),
    path("workbench/oversight/", include("yiwang.oversight.urls")),
    path("workbench/trading/", include("yiwang.trading.urls")),
    path("trading/", include("yiwang.trading.urls_public")),
    path("workbench/disclosure/", include("yiwang.disclosure.urls")),
    path("disclosure/", include("yiwang.disclosure.urls_report")),
    path("disclosure/", include("yiwang.disclosure.urls_public")),
    path("", include("yiwang.portal.urls")),
]

handler400 = "yiwang.core.views.bad_request"
handler403 = "yiwang.core.views.permission_denied"
handler404 = "yiwang.core.views.page_not_found"
handler500 = "yiwang.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
