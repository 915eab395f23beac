from azureml._standin import DataReference  # noqa: F401
