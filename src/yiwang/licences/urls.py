from django.urls import path

from yiwang.licences import views

app_name = "licences"
urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("mine/<str:identifier>/", views.wallet_detail, name="wallet"),
    path("mine/<str:identifier>/number/", views.wallet_number, name="wallet_number"),
    path("mine/<str:identifier>/share/", views.share_create, name="share"),
    path("mine/<str:identifier>/share/<int:link_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("manage/", views.manage, name="manage"),
    path("manage/import/", views.import_view, name="import"),
    path("manage/issue/<str:type_code>/", views.issue, name="issue"),
    path("manage/<str:identifier>/", views.manage_detail, name="manage_detail"),
    path("manage/<str:identifier>/<str:action>/", views.manage_action, name="manage_action"),
    path("<str:identifier>.pdf", views.licence_download, name="pdf"),
]
