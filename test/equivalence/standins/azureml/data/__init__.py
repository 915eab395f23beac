from azureml._standin import OutputFileDatasetConfig  # noqa: F401
