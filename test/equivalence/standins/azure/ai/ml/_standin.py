"""Recording stand-ins for the azure.ai.ml names an sdk-v2 module uses: command(),
Input, Output, MpiDistribution, Environment and @dsl.pipeline. They record what each
job and pipeline node would be (command line, counts, distribution, environment,
environment variables, input bindings) so tests can check it without Azure."""
import inspect

COMMANDS = []
PIPELINES = []
_CURRENT = []


class Input:
    def __init__(self, type="uri_folder", path=None, mode=None, **kwargs):
        self.type, self.path, self.mode = type, path, mode

    def spec(self):
        return {k: v for k, v in {"type": self.type, "path": self.path, "mode": self.mode}.items() if v is not None}


class Output(Input):
    pass


class MpiDistribution:
    def __init__(self, process_count_per_instance=None):
        self.process_count_per_instance = process_count_per_instance


class Environment:
    def __init__(self, image=None, conda_file=None, **kwargs):
        self.image, self.conda_file = image, conda_file


class _PipelineInput:
    def __init__(self, name, default):
        self.name, self.default = name, default


class _NodeOutput:
    def __init__(self, node, name):
        self.node, self.name = node, name


def _value(value):
    if isinstance(value, _PipelineInput):
        return {"parent": value.name}
    if isinstance(value, _NodeOutput):
        return {"job": value.node.command.name, "output": value.name}
    if isinstance(value, Input):
        return value.spec()
    return value


class _Section:
    pass


class _Node:
    def __init__(self, command, inputs):
        self.command = command
        self.inputs = inputs
        self.resources = _Section()
        self.resources.instance_count = command.kwargs.get("instance_count")
        self.distribution = _Section()
        distribution = command.kwargs.get("distribution")
        self.distribution.process_count_per_instance = distribution and distribution.process_count_per_instance
        self.environment_variables = dict(command.kwargs.get("environment_variables") or {})
        self.outputs = _Section()
        for name in command.kwargs.get("outputs") or {}:
            setattr(self.outputs, name, _NodeOutput(self, name))

    def spec(self):
        return {
            "name": self.command.name,
            "inputs": {k: _value(v) for k, v in self.inputs.items()},
            "instance_count": _value(self.resources.instance_count),
            "process_count_per_instance": _value(self.distribution.process_count_per_instance),
            "environment_variables": {k: _value(v) for k, v in self.environment_variables.items()},
        }


class _Command:
    def __init__(self, kwargs):
        self.kwargs = kwargs
        self.name = kwargs.get("name")

    def __call__(self, **inputs):
        unknown = set(inputs) - set(self.kwargs.get("inputs") or {})
        if unknown:
            raise TypeError(f"{self.name} has no inputs {sorted(unknown)}")
        node = _Node(self, inputs)
        _CURRENT[-1].append(node)
        return node

    def spec(self):
        k = self.kwargs
        env = k.get("environment")
        return {
            "name": self.name,
            "display_name": k.get("display_name"),
            "code": k.get("code"),
            "command": k["command"],
            "environment": env if isinstance(env, str) else {"image": env.image, "conda_file": env.conda_file},
            "compute": k.get("compute"),
            "instance_count": k.get("instance_count"),
            "mpi": "distribution" in k,
            "process_count_per_instance": k["distribution"].process_count_per_instance if "distribution" in k else None,
            "inputs": {name: _value(v) for name, v in (k.get("inputs") or {}).items()},
            "outputs": {name: v.spec() for name, v in (k.get("outputs") or {}).items()},
            "environment_variables": k.get("environment_variables") or {},
            "is_deterministic": k.get("is_deterministic", True),
        }


def command(**kwargs):
    cmd = _Command(kwargs)
    COMMANDS.append(cmd)
    return cmd


class _Dsl:
    @staticmethod
    def pipeline(**settings):
        def decorate(function):
            def build(**given):
                # Data inputs have no default in the signature: the module passes them.
                signature = inspect.signature(function)
                params = {name: _PipelineInput(name, given.get(name, p.default)) for name, p in signature.parameters.items()}
                _CURRENT.append([])
                function(**params)
                nodes = _CURRENT.pop()
                PIPELINES.append({
                    "settings": settings,
                    "inputs": {name: _value(p.default) if isinstance(p.default, Input) else p.default for name, p in params.items()},
                    "nodes": [n.spec() for n in nodes],
                })
                return PIPELINES[-1]
            return build
        return decorate


dsl = _Dsl()
