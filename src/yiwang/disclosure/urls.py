from django.urls import path

from yiwang.disclosure import views_documents, views_items, views_staff

app_name = "disclosure_staff"
urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("requests/new/", views_staff.request_new, name="request_new"),
    path("requests/<int:pk>/", views_staff.request_page, name="request"),
    path("requests/<int:pk>/reply-text/", views_staff.reply_text, name="reply_text"),
    path("requests/<int:pk>/reply.pdf", views_staff.reply_pdf, name="reply_pdf"),
    path("requests/<int:pk>/letter/", views_staff.letter, name="letter"),
    path("requests/<int:pk>/identity/", views_staff.identity_document, name="identity_document"),
    path("requests/<int:pk>/documents/", views_documents.document_add, name="document_add"),
    path(
        "requests/<int:pk>/documents/<int:document_id>/pages/<int:page>.png",
        views_documents.document_preview,
        name="document_preview",
    ),
    path(
        "requests/<int:pk>/documents/<int:document_id>/file/<slug:which>/",
        views_documents.document_file,
        name="document_file",
    ),
    path(
        "requests/<int:pk>/documents/<int:document_id>/<slug:action>/",
        views_documents.document_act,
        name="document_act",
    ),
    path("requests/<int:pk>/<slug:action>/", views_staff.request_act, name="request_act"),
    path("items/", views_items.item_list, name="items"),
    path("items/new/", views_items.item_new, name="item_new"),
    path("items/<int:pk>/", views_items.item_page, name="item"),
    path("items/<int:pk>/<slug:action>/", views_items.item_act, name="item_act"),
    path("catalogue/", views_items.catalogue, name="catalogue"),
    path("activity/", views_items.activity, name="activity"),
]
