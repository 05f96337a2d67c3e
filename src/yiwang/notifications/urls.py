from django.urls import path

from yiwang.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("read/", views.mark_read, name="read"),
]
