from azureml._standin import CondaDependencies  # noqa: F401
