from django.urls import path

from heard.customers import import_views

app_name = "customer_imports"

urlpatterns = [
    path("customers/imports/", import_views.import_upload, name="upload"),
    path("customers/imports/<int:import_id>/", import_views.import_detail, name="detail"),
    path("customers/imports/<int:import_id>/columns/", import_views.import_mapping, name="mapping"),
    path(
        "customers/imports/<int:import_id>/errors.csv",
        import_views.import_errors_csv,
        name="errors_csv",
    ),
]
