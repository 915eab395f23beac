from azureml._standin import DEFAULT_CPU_IMAGE, DEFAULT_GPU_IMAGE, DockerConfiguration, MpiConfiguration, RunConfiguration  # noqa: F401
