from django.urls import path

from yiwang.hotline import views

app_name = "hotline_public"
urlpatterns = [path("rate/<str:token>/", views.rate, name="rate")]
