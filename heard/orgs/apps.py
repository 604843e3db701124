from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "heard.orgs"
    label = "orgs"
    verbose_name = "Organisations and people"
