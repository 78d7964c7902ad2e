import type { HardwareProfile } from 'hangar';
import type { CatalogEntry } from './catalog.ts';
import { $ } from './dom.ts';

const ui = {
  mirror: $<HTMLInputElement>('#mirror'),
  hub: $<HTMLInputElement>('#hub'),
  backend: $<HTMLSelectElement>('#backend'),
  threads: $<HTMLInputElement>('#threads'),
};

// Endpoints: ?mirror= / ?hub= (remembered), else the last one used, else this host's port 8300 (`npm start`) and the Hub.
const params = new URLSearchParams(location.search);
const remembered = (key: string, fallback: string): string => params.get(key) ?? localStorage.getItem(`hangar.${key}`) ?? fallback;
ui.mirror.value = remembered('mirror', import.meta.env.VITE_HANGAR_MIRROR ?? `${location.protocol}//${location.hostname}:8300`);
ui.hub.value = remembered('hub', 'https://huggingface.co');
for (const input of [ui.mirror, ui.hub]) localStorage.setItem(`hangar.${input.id}`, input.value);

/** Where `entry` is downloaded from. */
export function endpointOf(entry: CatalogEntry): string {
  return (entry.source === 'mirror' ? ui.mirror.value : ui.hub.value).replace(/\/+$/, '');
}

/** Calls `listener` when an endpoint changes (after remembering it). */
export function onEndpointChange(listener: () => void): void {
  for (const input of [ui.mirror, ui.hub])
    input.addEventListener('change', () => {
      localStorage.setItem(`hangar.${input.id}`, input.value);
      listener();
    });
}

/** Whether the probe found a WebGPU adapter that runs models (a software one does not count). */
export function webgpuUsable(profile: HardwareProfile | undefined): boolean {
  return profile?.webgpu != null && !profile.webgpu.software;
}

/** Offers WebGPU only when the probe found a usable adapter, and fills in the recommended thread count. */
export function applyProfile(profile: HardwareProfile): void {
  const webgpu = ui.backend.querySelector<HTMLOptionElement>('option[value="webgpu"]')!;
  webgpu.disabled = !webgpuUsable(profile);
  webgpu.textContent = webgpu.disabled ? 'WebGPU (not available on this device)' : 'WebGPU';
  if (webgpu.disabled && ui.backend.value === 'webgpu') ui.backend.value = 'auto';
  if (ui.threads.value === '') ui.threads.value = String(profile.recommendation.threads);
}

/** The backend to run on: the user's choice, or the probe's recommendation for `auto`. */
export function backendChoice(profile: HardwareProfile | undefined): 'wasm' | 'webgpu' {
  if (ui.backend.value === 'wasm') return 'wasm';
  if (ui.backend.value === 'webgpu' && webgpuUsable(profile)) return 'webgpu';
  return profile?.recommendation.backend === 'webgpu' && webgpuUsable(profile) ? 'webgpu' : 'wasm';
}

/** After WebGPU failed on this device: WASM from now on, said in the picker. */
export function fallBackToWasm(): void {
  ui.backend.value = 'wasm';
}

/** Calls `listener` when the backend choice changes. */
export function onBackendChange(listener: () => void): void {
  ui.backend.addEventListener('change', listener);
}

/** The thread count to run wasm with. */
export function threads(): number {
  return Math.max(1, Number(ui.threads.value) || 1);
}
