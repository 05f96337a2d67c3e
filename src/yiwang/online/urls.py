from django.urls import path

from yiwang.online import views

app_name = "online"
urlpatterns = [
    path("my/", views.my_page, name="my"),
    path("my/apply/<str:code>/", views.apply, name="apply"),
    path("my/drafts/<uuid:key>/", views.draft_page, name="draft"),
    path("my/drafts/<uuid:key>/save/", views.draft_save, name="draft_save"),
    path("my/drafts/<uuid:key>/files/<int:requirement_id>/", views.draft_file, name="draft_file"),
    path("my/drafts/<uuid:key>/check/", views.draft_check, name="draft_check"),
    path("my/drafts/<uuid:key>/submit/", views.draft_submit, name="draft_submit"),
    path("my/drafts/<uuid:key>/discard/", views.draft_discard, name="draft_discard"),
    path("my/cases/<str:number>/", views.case_page, name="case"),
    path("my/cases/<str:number>/materials/", views.case_materials, name="case_materials"),
    path("my/cases/<str:number>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("my/cases/<str:number>/delivery/", views.case_delivery, name="case_delivery"),
    path("my/cases/<str:number>/notices/<slug:kind>.pdf", views.case_notice, name="case_notice"),
    path("progress/", views.progress, name="progress"),
]
