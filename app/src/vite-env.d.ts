/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Default endpoint of the demo app (the local mirror started by `npm start`). */
  readonly VITE_HANGAR_ENDPOINT?: string;
  readonly VITE_HANGAR_MIRROR?: string;
}
