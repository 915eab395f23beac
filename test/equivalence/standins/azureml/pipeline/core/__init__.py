from azureml._standin import Pipeline, PipelineData, PipelineParameter  # noqa: F401
