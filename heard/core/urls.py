from django.urls import path

from heard.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ops/tasks/", views.ops_tasks, name="ops_tasks"),
]
