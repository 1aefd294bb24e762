// Several coordinator instances on one store, as one: each call goes to the next instance in turn,
// so a suite written for one coordinator exercises several processes sharing one Redis.
import type { SeatCoordinator } from '../../src/ports/seat-coordinator.ts';

export function interleaved<T extends SeatCoordinator>(...instances: T[]): T {
  let next = 0;
  return new Proxy(instances[0] as T, {
    get(_target, name) {
      return (...args: unknown[]) => {
        const instance = instances[next++ % instances.length] as T;
        const method = Reflect.get(instance, name) as (...args: unknown[]) => unknown;
        return method.apply(instance, args);
      };
    },
  });
}
