import { sortRecord } from '../canonical-json.js';
import type { DeviceMapping, DeviceRequest } from '../model.js';
import { listOrDictToMap } from '../schema/building-blocks.js';
import type { RawService } from '../schema/service.js';
import { isCdiDeviceName, parseDevice } from '../syntax/devices.js';

// Devices as Compose v2 hands them to the engine (create.go getDeployResources): `devices:` paths become
// device mappings, CDI names one "cdi" device request; `gpus:` and deploy.resources.reservations.devices
// become device requests (gpus adds the "gpu" capability). A request with neither count nor device ids
// asks for all devices, as compose-go's defaults do.

type RawDeviceRequest = NonNullable<RawService['gpus']> extends infer G ? (G extends Array<infer R> ? R : never) : never;

export function normalizeDevices(raw: RawService): { devices: DeviceMapping[]; cdiNames: string[] } {
  const devices: DeviceMapping[] = [];
  const cdiNames: string[] = [];
  for (const entry of raw.devices ?? []) {
    const result = parseDevice(entry);
    if (!result.ok) continue; // the schema reported it
    const device = result.value;
    if (device.source === device.target && isCdiDeviceName(device.source)) cdiNames.push(device.source);
    else devices.push(device);
  }
  return { devices, cdiNames };
}

export function normalizeDeviceRequests(raw: RawService, cdiNames: readonly string[]): DeviceRequest[] {
  const requests: DeviceRequest[] = [];
  if (cdiNames.length > 0) {
    requests.push({ driver: 'cdi', count: 0, deviceIds: [...cdiNames], capabilities: [], options: {} });
  }
  if (raw.gpus === 'all') requests.push({ driver: null, count: -1, deviceIds: [], capabilities: ['gpu'], options: {} });
  else for (const request of raw.gpus ?? []) requests.push(deviceRequest(request, ['gpu']));
  for (const request of raw.deploy?.resources?.reservations?.devices ?? []) requests.push(deviceRequest(request, []));
  return requests;
}

function deviceRequest(request: RawDeviceRequest, extraCapabilities: readonly string[]): DeviceRequest {
  const count =
    request.count === undefined
      ? request.device_ids === undefined
        ? -1
        : 0
      : typeof request.count === 'number'
        ? request.count
        : request.count.toLowerCase() === 'all'
          ? -1
          : Number.parseInt(request.count, 10);
  const capabilities = [...(request.capabilities ?? [])];
  for (const capability of extraCapabilities) if (!capabilities.includes(capability)) capabilities.push(capability);
  return {
    driver: request.driver ?? null,
    count,
    deviceIds: [...(request.device_ids ?? [])],
    capabilities,
    options: sortRecord(Object.fromEntries(Object.entries(listOrDictToMap(request.options)).map(([key, value]) => [key, value ?? '']))),
  };
}
