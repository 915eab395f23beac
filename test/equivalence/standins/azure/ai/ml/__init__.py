from azure.ai.ml._standin import Input, MpiDistribution, Output, command, dsl  # noqa: F401
