from django.urls import path

from yiwang.hotline import views
from yiwang.hotline.views import citizen

app_name = "hotline_public"
urlpatterns = [
    path("", citizen.home, name="home"),
    path("new/", citizen.raise_request, name="raise"),
    path("new/categories/", citizen.category_suggest, name="suggest"),
    path("new/streets/", citizen.streets, name="streets"),
    path("code/", citizen.code_send, name="code"),
    path("mine/", citizen.mine, name="mine"),
    path("mine/<str:number>/", citizen.mine_ticket, name="mine_ticket"),
    path("mine/<str:number>/photos/<int:photo_id>/", citizen.mine_photo, name="mine_photo"),
    path("answers/", citizen.answers, name="answers"),
    path("answers/<int:pk>/", citizen.answer, name="answer"),
    path("articles/<int:pk>/", citizen.article, name="article"),
    path("rate/<str:token>/", views.rate, name="rate"),
]
