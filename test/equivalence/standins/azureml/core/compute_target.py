from azureml._standin import ComputeTargetException  # noqa: F401
