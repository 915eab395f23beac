from azure.ai.ml._standin import Environment  # noqa: F401
