// The part of the Reflect metadata API that @peculiar/x509 needs. Its
// dependency tsyringe throws on import unless `Reflect.getMetadata` exists,
// and it reads constructor parameter types through it. x509's own classes
// take no constructor parameters, so a plain store is enough.
//
// TODO: depend on the `reflect-metadata` package instead of this store.

type MetadataFunctions = {
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  getMetadata?: (key: unknown, target: object) => unknown;
};

/** Defines the Reflect metadata functions unless a polyfill already has. */
export function installReflectMetadata(): void {
  const reflect = Reflect as unknown as MetadataFunctions;
  if (typeof reflect.getMetadata === 'function') return;

  const store = new WeakMap<object, Map<unknown, unknown>>();
  const ownMetadata = (key: unknown, target: object): unknown => store.get(target)?.get(key);

  reflect.defineMetadata = (key, value, target) => {
    let entries = store.get(target);
    if (entries === undefined) {
      entries = new Map();
      store.set(target, entries);
    }
    entries.set(key, value);
  };
  reflect.getOwnMetadata = ownMetadata;
  // Metadata is inherited along the prototype chain, as in the proposal.
  reflect.getMetadata = (key, target) => {
    for (
      let current: object | null = target;
      current !== null;
      current = Object.getPrototypeOf(current)
    ) {
      const value = ownMetadata(key, current);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}
