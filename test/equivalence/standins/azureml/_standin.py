"""Recording stand-ins for the azureml SDK v1 classes that MpiStep programs use.

They compute each step's effective run spec as mpistep-semantics.md defines it (argv,
node and process counts, runconfig pipeline params, environment, AML_PARAMETER_
variables, inputs, outputs, reuse, version, time limit) and record it, so a program
can be run before and after conversion, without Azure, and the specs compared.
This is an independent model of the reference, not of the converter's code.
"""
import os
import re
import shlex

RECORDED = []

DEFAULT_CPU_IMAGE = "standin/default-cpu-image"
DEFAULT_GPU_IMAGE = "standin/default-gpu-image"


class PipelineParameter:
    def __init__(self, name, default_value):
        self.name = name
        self.default_value = default_value


class _Data:
    def __init__(self, kind, name, datastore=None, path=None, mode=None):
        self.kind, self.name, self.datastore, self.path, self.mode = kind, name, datastore, path, mode

    def spec(self):
        return {"kind": self.kind, "name": self.name, "datastore": getattr(self.datastore, "name", self.datastore), "path": self.path, "mode": self.mode}

    def _consumed(self, mode):
        return _Data(self.kind, self.name, self.datastore, self.path, mode)

    def as_input(self, name=None):
        return self._consumed("mount")

    def as_mount(self):
        return self._consumed("mount")

    def as_download(self):
        return self._consumed("download")

    def as_direct(self):
        return self._consumed("direct")


def DataReference(datastore=None, data_reference_name=None, path_on_datastore=None, mode="mount", path_on_compute=None, overwrite=False):
    return _Data("DataReference", data_reference_name, datastore, path_on_datastore, mode)


def PipelineData(name, datastore=None, output_name=None, output_mode="mount", **kwargs):
    return _Data("PipelineData", name, datastore)


def OutputFileDatasetConfig(name=None, destination=None, source=None, partition_format=None):
    datastore, path = destination if destination else (None, None)
    return _Data("OutputFileDatasetConfig", name, datastore, path)


class _NamedInput:
    def __init__(self, dataset, name):
        self.dataset, self.name = dataset, name

    def as_mount(self, path_on_compute=None):
        return _Data("Dataset", self.name, None, f"{self.dataset.name}:{self.dataset.version}", "mount")

    def as_download(self, path_on_compute=None):
        return _Data("Dataset", self.name, None, f"{self.dataset.name}:{self.dataset.version}", "download")


class Dataset:
    def __init__(self, name, version):
        self.name, self.version = name, version

    @staticmethod
    def get_by_name(workspace, name, version="latest"):
        return Dataset(name, version)

    def as_named_input(self, name):
        return _NamedInput(self, name)


class Datastore:
    def __init__(self, workspace, name):
        self.name = name

    @staticmethod
    def get(workspace, datastore_name):
        return Datastore(workspace, datastore_name)

    @staticmethod
    def register_azure_blob_container(workspace, datastore_name, container_name, **kwargs):
        return Datastore(workspace, datastore_name)

    @staticmethod
    def register_azure_file_share(workspace, datastore_name, file_share_name, **kwargs):
        return Datastore(workspace, datastore_name)


class ContainerRegistry:
    def __init__(self):
        self.address = self.username = self.password = None


class _Compute:
    def __init__(self, name, type):
        self.name, self.type = name, type

    def wait_for_completion(self, show_output=False, **kwargs):
        pass


class ComputeTargetException(Exception):
    pass


class _ProvisioningConfiguration:
    def __init__(self, type):
        self.type = type


def ComputeTarget(workspace=None, name=None):
    return _Compute(name, "AmlCompute")


def _create(workspace, name, provisioning_configuration):
    return _Compute(name, provisioning_configuration.type)


ComputeTarget.create = _create


def AmlCompute(workspace, name):
    return _Compute(name, "AmlCompute")


AmlCompute.provisioning_configuration = lambda **kwargs: _ProvisioningConfiguration("AmlCompute")


def ComputeInstance(workspace, name):
    return _Compute(name, "ComputeInstance")


class _Lookup(dict):
    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        return self.make(key)


class Workspace:
    def __init__(self, *args, **kwargs):
        self.compute_targets = _Lookup(lambda name: _Compute(name, "AmlCompute"))
        self.datastores = _Lookup(lambda name: Datastore(self, name))

    @staticmethod
    def from_config(*args, **kwargs):
        return Workspace()

    def get_default_datastore(self):
        return Datastore(self, "workspaceblobstore")


def _package_name(spec):
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    return match.group(1).lower().replace("_", "-").replace(".", "-") if match else spec


class CondaDependencies:
    def __init__(self, conda_dependencies_file_path=None):
        self.pip = ["azureml-defaults"]
        self.conda = []
        self.channels = []
        self.python = None

    @staticmethod
    def create(pip_indexurl=None, pip_packages=None, conda_packages=None, python_version=None, pin_sdk_version=True):
        deps = CondaDependencies()
        deps.pip = list(pip_packages or ["azureml-defaults"])
        deps.conda = list(conda_packages or [])
        deps.python = python_version
        return deps

    def add_channel(self, channel):
        if channel not in self.channels:
            self.channels.append(channel)

    def set_python_version(self, version):
        self.python = version

    def add_pip_package(self, spec):
        # One entry per package name, at its first place, with the latest spec.
        for i, existing in enumerate(self.pip):
            if _package_name(existing) == _package_name(spec):
                self.pip[i] = spec
                return
        self.pip.append(spec)

    def add_conda_package(self, spec):
        self.conda.append(spec)


class _Section:
    def __init__(self, **fields):
        self.__dict__.update(fields)


class Environment:
    def __init__(self, name=None):
        self.name = name
        self.environment_variables = {}
        self.registered = None
        self.docker = _Section(base_image=DEFAULT_CPU_IMAGE, base_image_registry=None, enabled=False)
        self.python = _Section(user_managed_dependencies=False, conda_dependencies=CondaDependencies())

    @staticmethod
    def from_conda_specification(name, file_path):
        if not os.path.exists(file_path):
            raise FileNotFoundError(file_path)
        return Environment(name)

    @staticmethod
    def from_pip_requirements(name, file_path, pip_version=None):
        if not os.path.exists(file_path):
            raise FileNotFoundError(file_path)
        return Environment(name)

    @staticmethod
    def get(workspace, name, version=None, label=None):
        env = Environment(name)
        env.registered = [name, version]
        return env

    def spec(self):
        if self.registered:
            return {"registered": self.registered}
        registry = self.docker.base_image_registry
        return {
            "image": self.docker.base_image,
            "registry": registry if registry is None or isinstance(registry, str) else vars(registry),
            "user_managed": self.python.user_managed_dependencies,
            "pip": list(self.python.conda_dependencies.pip),
            "conda": list(self.python.conda_dependencies.conda),
        }


class MpiConfiguration:
    def __init__(self, process_count_per_node=1, node_count=1):
        self.process_count_per_node, self.node_count = process_count_per_node, node_count


class DockerConfiguration:
    def __init__(self, use_docker=False, shared_volumes=True, arguments=None, shm_size=None):
        self.use_docker = use_docker


class ScriptRunConfig:
    def __init__(self, source_directory, script=None, arguments=None, run_config=None, compute_target=None, environment=None,
                 distributed_job_config=None, resume_from=None, max_run_duration_seconds=2592000, command=None, docker_runtime_config=None):
        self.__dict__.update(locals())


class Pipeline:
    def __init__(self, workspace=None, steps=None, **kwargs):
        self.steps = steps


class RunConfiguration:
    def __init__(self, script=None, arguments=None, framework=None, communicator=None, conda_dependencies=None, _history_enabled=None,
                 _path=None, _name=None, command=None):
        self.environment = Environment()
        if conda_dependencies is not None:
            self.environment.python.conda_dependencies = conda_dependencies
        self.target = None
        self.node_count = 1

    @staticmethod
    def load(path=None, name=None):
        if not os.path.exists(path if name is None else os.path.join(path, ".azureml", name + ".runconfig")):
            raise FileNotFoundError(path)
        return RunConfiguration()


class PythonScriptStep:
    # v1's signature: no **kwargs, so an unknown keyword is a TypeError.
    def __init__(self, script_name, name=None, arguments=None, compute_target=None, runconfig=None, runconfig_pipeline_params=None,
                 inputs=None, outputs=None, params=None, source_directory=None, allow_reuse=True, version=None, hash_paths=None):
        self.name, self.outputs = name or script_name, outputs


class ParallelRunConfig:
    @staticmethod
    def load_yaml(workspace, path):
        return ParallelRunConfig()


class ParallelRunStep:
    def __init__(self, name, parallel_run_config, inputs, output=None, side_inputs=None, arguments=None, allow_reuse=True):
        self.name, self.output = name, output


def _argv_item(item):
    if isinstance(item, PipelineParameter):
        return f"<pipeline parameter {item.name}>"
    if isinstance(item, _Data):
        return f"<path of {item.kind} {item.name}>"
    return str(item)


def _compute_name(compute):
    return compute if compute is None or isinstance(compute, str) else compute.name


def _data_specs(items):
    return None if items is None else [d.spec() if isinstance(d, _Data) else repr(d) for d in items]


def _step_params(params, argv_items):
    """AML_PARAMETER_ variables: the step's params, and the pipeline parameters used in argv."""
    variables = {}
    used = [a for a in argv_items if isinstance(a, PipelineParameter)]
    for p in used:
        variables["AML_PARAMETER_" + re.sub(r"[~\W]", "_", p.name)] = f"<pipeline parameter {p.name}>"
    for key, value in (params or {}).items():
        if any(p.name == key for p in used):
            raise ValueError(f"Parameter name {key} is already in use")
        variables["AML_PARAMETER_" + re.sub(r"[~\W]", "_", key)] = _argv_item(value)
    return dict(sorted(variables.items()))


def _count(value, key, pipeline_params):
    if isinstance(value, PipelineParameter):
        pipeline_params[key] = value.name
        return value.default_value
    return value


def _record(**spec):
    RECORDED.append(spec)


_ENV_CONFLICTS = ["pip_packages", "pip_requirements_file_path", "conda_packages", "custom_docker_image", "image_registry_details"]


class MpiStep:
    def __init__(self, name=None, source_directory=None, script_name=None, arguments=None, compute_target=None, node_count=None,
                 process_count_per_node=None, inputs=None, outputs=None, allow_reuse=True, version=None, hash_paths=None, **kwargs):
        required = dict(name=name, source_directory=source_directory, script_name=script_name, arguments=arguments,
                        compute_target=compute_target, node_count=node_count, process_count_per_node=process_count_per_node)
        for key, value in required.items():
            if value is None:
                raise ValueError(f"{key} is required")
        if not isinstance(compute_target, str) and compute_target.type != "AmlCompute":
            raise ValueError("AmlCompute is the only supported compute_target")
        pipeline_params = {}
        nodes = _count(node_count, "NodeCount", pipeline_params)
        procs = _count(process_count_per_node, "MpiProcessCountPerNode", pipeline_params)
        if nodes < 1 or procs < 1:
            raise ValueError("counts should be at least 1")
        use_docker = kwargs.get("use_docker", True)
        env_def = kwargs.get("environment_definition")
        if env_def is not None:
            if any(kwargs.get(k) is not None for k in _ENV_CONFLICTS) or kwargs.get("use_gpu") or kwargs.get("user_managed"):
                raise ValueError("If environment_definition parameter is specified, the following parameters cannot be specified")
            env = env_def
        else:
            env = Environment("mpistep-environment")
            env.docker.enabled = use_docker
            if kwargs.get("custom_docker_image"):
                env.docker.base_image = kwargs["custom_docker_image"]
            elif kwargs.get("use_gpu"):
                env.docker.base_image = DEFAULT_GPU_IMAGE
            env.docker.base_image_registry = kwargs.get("image_registry_details")
            env.python.user_managed_dependencies = kwargs.get("user_managed", False)
            deps = CondaDependencies()
            requirements = kwargs.get("pip_requirements_file_path")
            if requirements:
                import os
                with open(os.path.join(source_directory, requirements)) as f:
                    for line in f:
                        line = re.sub(r"(^|\s)#.*$", "", line).strip()
                        if line:
                            deps.add_pip_package(line)
            for spec in kwargs.get("pip_packages") or []:
                deps.add_pip_package(spec)
            for spec in kwargs.get("conda_packages") or []:
                deps.add_conda_package(spec)
            env.python.conda_dependencies = deps
        params = dict(kwargs.get("environment_variables") or {})
        params.update(kwargs.get("params") or {})
        _record(
            name=name, source_directory=source_directory, argv=["python", script_name] + [_argv_item(a) for a in arguments],
            compute=_compute_name(compute_target), node_count=nodes, process_count_per_node=procs,
            runconfig_pipeline_params=pipeline_params, framework="Python", communicator="IntelMpi",
            environment=env.spec(), docker=use_docker, environment_variables=_step_params(params, arguments),
            inputs=_data_specs(inputs), outputs=_data_specs(outputs), allow_reuse=allow_reuse, version=version,
            max_run_duration_seconds=None,
        )


_RUNCONFIG_PIPELINE_KEYS = {"NodeCount", "MpiProcessCountPerNode", "TensorflowWorkerCount", "TensorflowParameterServerCount"}


class CommandStep:
    def __init__(self, command=None, name=None, compute_target=None, runconfig=None, runconfig_pipeline_params=None, inputs=None,
                 outputs=None, params=None, source_directory=None, allow_reuse=True, version=None):
        src = runconfig
        command = command if command is not None else getattr(src, "command", None)
        if command is None:
            raise ValueError("command is required either from command directly or runconfig.")
        if isinstance(command, str):
            argv, items = shlex.split(command), []
        else:
            items = list(command[1:])
            argv = shlex.split(command[0]) + [_argv_item(a) for a in items]
        pipeline_params = {}
        for key, value in (runconfig_pipeline_params or {}).items():
            if key not in _RUNCONFIG_PIPELINE_KEYS or not isinstance(value, PipelineParameter):
                raise ValueError(f"invalid runconfig pipeline param {key}")
            pipeline_params[key] = value.name
        mpi = src.distributed_job_config
        env = src.environment if src.environment is not None else Environment("default")
        docker = src.docker_runtime_config.use_docker if src.docker_runtime_config is not None else False
        _record(
            name=name if name is not None else "CommandStep_" + argv[0], source_directory=source_directory or src.source_directory,
            argv=argv, compute=_compute_name(compute_target or src.compute_target),
            node_count=mpi.node_count if isinstance(mpi, MpiConfiguration) else 1,
            process_count_per_node=mpi.process_count_per_node if isinstance(mpi, MpiConfiguration) else None,
            runconfig_pipeline_params=pipeline_params, framework="Python",
            communicator="IntelMpi" if isinstance(mpi, MpiConfiguration) else None,
            environment=env.spec(), docker=docker, environment_variables=_step_params(params, items),
            inputs=_data_specs(inputs), outputs=_data_specs(outputs), allow_reuse=allow_reuse, version=version,
            max_run_duration_seconds=src.max_run_duration_seconds,
        )
