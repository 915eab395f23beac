from azureml._standin import Environment  # noqa: F401
