from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "heard.surveys"
    label = "surveys"
    verbose_name = "Surveys"
