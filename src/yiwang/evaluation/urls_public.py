from django.urls import path

from yiwang.evaluation import views

app_name = "evaluation_public"
urlpatterns = [path("<str:token>/", views.rate_case, name="rate")]
