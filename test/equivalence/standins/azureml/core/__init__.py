from azureml._standin import ContainerRegistry, Dataset, Datastore, Environment, ScriptRunConfig, Workspace  # noqa: F401

VERSION = "standin"
