from azureml._standin import CommandStep, MpiStep, PythonScriptStep  # noqa: F401
