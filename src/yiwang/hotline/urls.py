from django.urls import path

from yiwang.hotline import views
from yiwang.hotline.views import publishing

app_name = "hotline"
urlpatterns = [
    path("", views.intake, name="intake"),
    path("work/", views.work, name="work"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("hotspots/", views.hotspots_view, name="hotspots"),
    path("calls/", views.calls_import_view, name="calls"),
    path("bulletins/<int:pk>.<slug:kind>", views.bulletin_file, name="bulletin"),
    path("caller/", views.caller_history, name="caller"),
    path("knowledge/", views.knowledge, name="knowledge"),
    path("replies/", publishing.replies, name="replies"),
    path("replies/<int:pk>/", publishing.reply, name="reply"),
    path("tickets/<str:number>/", views.ticket_page, name="ticket"),
    path("tickets/<str:number>/<slug:action>/", views.ticket_act, name="act"),
]
