"""The annual reports' public pages, included under the portal's ``disclosure/`` prefix (names without an app
namespace: ``disclosure-reports``, ``disclosure-report``, ``disclosure-report-xlsx``, ``disclosure-report-pdf``)."""

from django.urls import path

from yiwang.disclosure import views_report

urlpatterns = [
    path("reports/", views_report.report_list, name="disclosure-reports"),
    path("reports/<int:body_pk>/<int:year>/", views_report.report_page, name="disclosure-report"),
    path("reports/<int:body_pk>/<int:year>/report.xlsx", views_report.report_xlsx, name="disclosure-report-xlsx"),
    path("reports/<int:body_pk>/<int:year>/report.pdf", views_report.report_pdf, name="disclosure-report-pdf"),
]
