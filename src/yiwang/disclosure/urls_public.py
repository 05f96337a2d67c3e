from django.urls import path

from yiwang.disclosure import views_public

app_name = "disclosure"
urlpatterns = [
    path("", views_public.home, name="home"),
    path("items/", views_public.item_list, name="items"),
    path("items/<int:pk>/", views_public.item_page, name="item"),
    path("items/<int:pk>/files/<int:attachment_id>/", views_public.attachment_download, name="attachment"),
    path("bodies/<int:pk>/", views_public.body_page, name="body"),
    path("apply/", views_public.apply, name="apply"),
    path("requests.csv", views_public.requests_csv, name="requests_csv"),
    path("figures/", views_public.figures, name="figures"),
    path("follow/", views_public.follow, name="follow"),
    path("mine/", views_public.mine, name="mine"),
    path("mine/<int:pk>/", views_public.mine_request, name="mine_request"),
    path("mine/<int:pk>/reply.pdf", views_public.mine_reply_pdf, name="mine_reply"),
    path("mine/<int:pk>/documents/<int:document_id>/", views_public.mine_document, name="mine_document"),
]
