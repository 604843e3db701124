from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "heard.customers"
    label = "customers"
    verbose_name = "Customers"
