import { servicePath, type ServiceRule } from './swarm-rule.js';

// What a single engine does for one container and a Swarm ServiceSpec cannot: the container's name, its
// build, host namespaces, privileges, devices and hooks run by exec. Grounded in what `docker stack deploy`
// ignores or rejects (docker/cli compose types: UnsupportedProperties, DeprecatedProperties,
// ForbiddenProperties) and in the ContainerSpec of Engine API 1.41, the engine here.

export const CONTAINER_RULES: ServiceRule[] = [
  {
    scope: 'service',
    key: 'container_name',
    severity: 'error',
    reason: 'Swarm names every task itself (`<project>_<service>.<slot>.<task id>`); a fixed name cannot hold on several nodes',
    fix: 'remove container_name: other services reach it by its service name on a shared network',
    check: (service) => (service.containerName !== null ? [servicePath(service, 'container_name')] : []),
  },
  {
    scope: 'service',
    key: 'build',
    severity: 'error',
    reason: 'a cluster has no builder: with no image: there is nothing every node can run',
    fix: 'build the image, push it to a registry (or docker save | docker load it on every node) and name it in image:',
    check: (service) => (service.build !== null && service.image === null ? [servicePath(service, 'build')] : []),
  },
  {
    scope: 'service',
    key: 'build (with image)',
    severity: 'warning',
    reason: 'build: is not run on Swarm: the image named in image: must already be on every node that may run a task',
    fix: 'build and push (or load) the image before apply; keep build: for one host only (an override file)',
    check: (service) => (service.build !== null && service.image !== null ? [servicePath(service, 'build')] : []),
  },
  {
    scope: 'service',
    key: 'privileged',
    severity: 'error',
    reason: 'a Swarm ContainerSpec has no privileged mode',
    fix: 'grant only the capabilities it needs with cap_add (passed to Swarm since API 1.41), or run it outside Swarm',
    check: (service) => (service.privileged ? [servicePath(service, 'privileged')] : []),
  },
  {
    scope: 'service',
    key: 'pid',
    severity: 'error',
    reason: 'a Swarm ContainerSpec has no PID namespace mode: the task would not share the host\'s or another container\'s processes',
    fix: 'remove pid:, or run the service outside Swarm',
    check: (service) => (service.pid !== null ? [servicePath(service, 'pid')] : []),
  },
  {
    scope: 'service',
    key: 'ipc',
    severity: 'error',
    reason: 'a Swarm ContainerSpec has no IPC namespace mode',
    fix: 'remove ipc: (share data through a volume or the network instead)',
    check: (service) => (service.ipc !== null ? [servicePath(service, 'ipc')] : []),
  },
  {
    scope: 'service',
    key: 'security_opt',
    severity: 'warning',
    reason: 'Swarm (API 1.41) takes no security options: no-new-privileges, seccomp and AppArmor profiles are not applied to the tasks',
    fix: 'set them for every container on the nodes (dockerd --no-new-privileges, --seccomp-profile), or run the service outside Swarm',
    check: (service) => (service.securityOpt.length > 0 ? [servicePath(service, 'security_opt')] : []),
  },
  {
    scope: 'service',
    key: 'devices',
    severity: 'error',
    reason: 'a Swarm ContainerSpec has no device mappings or device requests (GPUs): the host device is on one node only',
    fix: 'remove devices (and deploy.resources.reservations.devices), or advertise the device as a generic resource of the nodes',
    check: (service) => [
      ...(service.devices.length > 0 ? [servicePath(service, 'devices')] : []),
      ...(service.deviceRequests.length > 0 && service.devices.length === 0 ? [servicePath(service, 'deploy', 'resources', 'reservations', 'devices')] : []),
    ],
  },
  {
    scope: 'service',
    key: 'post_start / pre_stop',
    severity: 'error',
    reason: 'composelet runs lifecycle hooks by exec into the container it starts or stops; Swarm starts, restarts and stops tasks itself, with no hook',
    fix: 'move the hook into the image\'s entrypoint (or a one-shot service the others depend on)',
    check: (service) => [
      ...(service.postStart.length > 0 ? [servicePath(service, 'post_start')] : []),
      ...(service.preStop.length > 0 ? [servicePath(service, 'pre_stop')] : []),
    ],
  },
  {
    scope: 'service',
    key: 'mac_address',
    severity: 'warning',
    reason: 'Swarm gives each task an address of its own: a fixed MAC address is not passed',
    fix: 'remove mac_address',
    check: (service) => [
      ...(service.macAddress !== null ? [servicePath(service, 'mac_address')] : []),
      ...Object.entries(service.networks)
        .filter(([, network]) => network.macAddress !== null)
        .map(([key]) => servicePath(service, 'networks', key, 'mac_address')),
    ],
  },
  {
    scope: 'service',
    key: 'shm_size',
    severity: 'warning',
    reason: 'a Swarm ContainerSpec has no shm size: the task gets the engine\'s default /dev/shm (64 MB)',
    fix: 'mount a tmpfs at /dev/shm with the size it needs (volumes: - type: tmpfs, target: /dev/shm, tmpfs.size)',
    check: (service) => (service.shmSizeBytes !== null ? [servicePath(service, 'shm_size')] : []),
  },
];
