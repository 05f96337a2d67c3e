from django.urls import path

from yiwang.trading import views_evaluation, views_negotiation, views_staff, views_supervision

app_name = "trading_staff"
urlpatterns = [
    path("", views_staff.project_list, name="list"),
    path("new/", views_staff.project_new, name="new"),
    path("complaints/<int:complaint_id>/accept/", views_supervision.complaint_accept, name="complaint_accept"),
    path("complaints/<int:complaint_id>/evidence/", views_supervision.complaint_evidence, name="complaint_evidence"),
    path("complaints/<int:complaint_id>/refuse/", views_supervision.complaint_refuse, name="complaint_refuse"),
    path("complaints/<int:complaint_id>/decide/", views_supervision.complaint_decide, name="complaint_decide"),
    path("complaints/<int:complaint_id>/suspend/", views_supervision.complaint_suspend, name="complaint_suspend"),
    path("securities/<int:security_id>/refund/", views_supervision.security_refund, name="security_refund"),
    path("<str:code>/evaluation/start/", views_evaluation.evaluation_start, name="evaluation_start"),
    path("<str:code>/evaluation/report/", views_evaluation.evaluation_report, name="evaluation_report"),
    path("<str:code>/candidates/publish/", views_evaluation.candidates_publish, name="candidates_publish"),
    path("<str:code>/report/deliver/", views_negotiation.report_deliver, name="report_deliver"),
    path("<str:code>/single-source/", views_negotiation.single_source_publish, name="single_source"),
    path("<str:code>/negotiations/", views_negotiation.negotiation_record, name="negotiation"),
    path("<str:code>/quote-rounds/", views_negotiation.quote_round_call, name="quote_call"),
    path("<str:code>/quote-rounds/conclude/", views_negotiation.quote_round_conclude, name="quote_conclude"),
    path("<str:code>/criteria/", views_evaluation.criteria_set, name="criteria"),
    path("<str:code>/invitations/", views_evaluation.invitations_make, name="invitations"),
    path("<str:code>/", views_staff.project_page, name="project"),
    path("<str:code>/supervision/", views_supervision.supervision, name="supervision"),
    path("<str:code>/supervision/lift/", views_supervision.suspension_lift, name="lift"),
    path("<str:code>/securities/", views_supervision.security_record, name="security_record"),
]
