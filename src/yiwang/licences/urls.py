from django.urls import path

from yiwang.licences import views

app_name = "licences"
urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    path("<str:identifier>.pdf", views.licence_download, name="pdf"),
]
