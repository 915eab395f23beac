from azureml._standin import AmlCompute, ComputeInstance, ComputeTarget  # noqa: F401
