/**
 * One shape for the four ends a message can travel through: a browser `Worker` and the worker's
 * `self` (events with `.data`), a Node `worker_threads` `Worker` and `parentPort` (`on('message')`
 * with the value itself). Typed structurally, so this package needs neither the DOM nor Node types.
 */

/**
 * A browser `Worker`, a worker's `self`, a `MessagePort`, or Node's `Worker` / `parentPort`: anything
 * with `postMessage(message, transfer)` and either `addEventListener('message', …)` (listeners get
 * an event whose `data` is the message) or `on('message', …)` (Node: listeners get the message).
 * The listener methods are typed `unknown` so that the DOM's and Node's overloads all fit.
 */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener?: unknown;
  removeEventListener?: unknown;
  on?: unknown;
  off?: unknown;
  /** A `MessagePort` opened with `addEventListener` must be started. */
  start?: unknown;
}

type Subscribe = (type: 'message', listener: (value: unknown) => void) => unknown;

/**
 * Calls `listener` with each message arriving at `endpoint`; returns the function that stops it.
 * Node's `on` is preferred where both exist (it hands over the message itself).
 */
export function listen(
  fn: string,
  endpoint: MessageEndpoint,
  listener: (message: unknown) => void,
): () => void {
  if (typeof endpoint?.postMessage !== 'function') {
    throw new TypeError(
      `${fn}: endpoint must be a Worker, a worker's self, a MessagePort or worker_threads' parentPort, got ${String(endpoint)}`,
    );
  }
  const call = (name: keyof MessageEndpoint, f: (value: unknown) => void): void => {
    const method = endpoint[name];
    if (typeof method === 'function') (method as Subscribe).call(endpoint, 'message', f);
  };
  if (typeof endpoint.on === 'function') {
    call('on', listener);
    return () => call('off', listener);
  }
  if (typeof endpoint.addEventListener === 'function') {
    const onEvent = (event: unknown) => listener((event as { data: unknown }).data);
    call('addEventListener', onEvent);
    if (typeof endpoint.start === 'function') (endpoint.start as () => void).call(endpoint);
    return () => call('removeEventListener', onEvent);
  }
  throw new TypeError(`${fn}: endpoint has neither addEventListener nor on`);
}

/** A copy of `a` in a fresh buffer that can be transferred without detaching `a`. */
export function copyOf(a: ArrayLike<number>): Float64Array {
  return Float64Array.from(a);
}

/**
 * A structured-clone-safe deep copy of `value` in which every typed array gets a fresh buffer,
 * collected in `transfer`; plain objects and arrays are copied, other values kept.
 */
export function cloneForTransfer<T>(value: T, transfer: ArrayBuffer[]): T {
  if (ArrayBuffer.isView(value) && typeof (value as { slice?: unknown }).slice === 'function') {
    const view = value as unknown as { slice(): ArrayBufferView };
    const copy = view.slice();
    transfer.push(copy.buffer as ArrayBuffer);
    return copy as unknown as T;
  }
  if (Array.isArray(value)) return value.map((v) => cloneForTransfer(v, transfer)) as T;
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneForTransfer(v, transfer);
    return out as T;
  }
  return value;
}
