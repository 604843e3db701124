from django.urls import path

from heard.surveys import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:survey_id>/links/", views.survey_links, name="survey_links"),
    path("surveys/<int:survey_id>/results/", views.survey_results, name="survey_results"),
    path(
        "surveys/<int:survey_id>/results.<slug:fmt>",
        views.survey_results_export,
        name="survey_results_export",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/remove/",
        views.question_remove,
        name="question_remove",
    ),
    path(
        "surveys/<int:survey_id>/<slug:action>/",
        views.survey_action,
        name="survey_action",
    ),
    path("listening/", views.focus_sessions, name="focus_sessions"),
    path("listening/guides/<slug:which>/", views.focus_guide, name="focus_guide"),
    path("s/<str:token>/", views.answer, name="answer"),
    path("s/<str:token>/thanks/", views.answer_done, name="answer_done"),
]
