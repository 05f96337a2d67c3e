from django.urls import path

from yiwang.trading import views, views_evaluation, views_negotiation, views_supervision

app_name = "trading"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("keys/", views.keys, name="keys"),
    path("bids/<int:bid_id>/receipt.json", views.receipt_download, name="receipt"),
    path("bids/<int:bid_id>/withdraw/", views.bid_withdraw, name="withdraw"),
    path("bids/<int:bid_id>/decrypt/", views.bid_decrypt, name="decrypt"),
    path("experts/<str:token>/", views.expert_pick, name="expert_pick"),
    path("quotes/<int:quote_id>/decrypt/", views_negotiation.final_quote_decrypt, name="quote_decrypt"),
    path("candidates/<int:candidate_id>/award/", views_evaluation.award, name="award"),
    path("candidates/<int:candidate_id>/void/", views_evaluation.award_void, name="award_void"),
    path("<str:code>/evaluation/", views_evaluation.evaluation, name="evaluation"),
    path("<str:code>/evaluation/sign/", views_evaluation.report_sign, name="report_sign"),
    path("<str:code>/contract/", views_evaluation.contract, name="contract"),
    path("<str:code>/", views.project_page, name="project"),
    path("<str:code>/live/", views.project_live, name="live"),
    path("<str:code>/opening.pub", views.opening_key, name="opening_key"),
    path("<str:code>/award-notice.pdf", views.award_notice_download, name="award_notice"),
    path("<str:code>/bid/", views.bid_page, name="bid"),
    path("<str:code>/final-quote/", views_negotiation.final_quote_submit, name="final_quote"),
    path("<str:code>/quote-rounds/<int:number>.pub", views_negotiation.quote_key, name="quote_key"),
    path("<str:code>/share/", views.share, name="share"),
    path("<str:code>/objections/", views.objection_raise, name="object"),
    path("<str:code>/terminate/", views.terminate, name="terminate"),
    path("objections/<int:objection_id>/answer/", views.objection_answer, name="answer"),
    path("<str:code>/complaints/", views_supervision.complaints, name="complaints"),
    path("complaints/<int:complaint_id>/withdraw/", views_supervision.complaint_withdraw, name="complaint_withdraw"),
]
