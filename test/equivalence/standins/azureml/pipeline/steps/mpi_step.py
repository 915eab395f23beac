from azureml._standin import MpiStep  # noqa: F401
