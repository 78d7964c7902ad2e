import {
  AbortError,
  ConfigError,
  DownloadError,
  HangarError,
  HubError,
  IntegrityError,
  StoreError,
  RuntimeError,
  BackupError,
  type ErrorCode,
  type ErrorDetails,
  isHangarError,
} from './hangar-error.ts';

/** The plain-object form of an error, safe for postMessage / structured clone. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: ErrorCode;
  details?: ErrorDetails;
  cause?: SerializedError;
}

// Each class is rebuilt with the code it was sent with (the wire is not typed).
const CLASSES: Record<string, new (code: never, message: string) => HangarError> = {
  HangarError,
  ConfigError,
  HubError,
  DownloadError,
  IntegrityError,
  StoreError,
  RuntimeError,
  BackupError,
};

/** Turns any thrown value into a SerializedError, keeping code, details and the cause chain. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const out: SerializedError = { name: error.name, message: error.message };
  if (error.stack !== undefined) out.stack = error.stack;
  if (isHangarError(error)) {
    out.code = error.code;
    out.details = error.details;
  }
  if (error.cause !== undefined && depth < 8) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/** Rebuilds an error from its serialized form, with its original HangarError subclass. */
export function deserializeError(data: SerializedError): Error {
  const cause = data.cause === undefined ? undefined : deserializeError(data.cause);
  let error: Error;
  if (data.code !== undefined) {
    const options = { cause, details: data.details ?? {} };
    if (data.name === 'AbortError') error = new AbortError(data.message, options);
    else {
      const Class = CLASSES[data.name] ?? HangarError;
      error = Reflect.construct(Class, [data.code, data.message, options]) as HangarError;
    }
  } else {
    error = new Error(data.message, cause === undefined ? undefined : { cause });
    error.name = data.name;
  }
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
