from azureml._standin import CommandStep, MpiStep, ParallelRunConfig, ParallelRunStep, PythonScriptStep  # noqa: F401
