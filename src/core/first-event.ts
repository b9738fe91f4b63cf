// Waiting for whichever of several events comes first (a stream that drains, or closes or fails instead), with
// every listener removed afterwards so that waits in a loop do not pile listeners up.

/** What the wait needs of an emitter (Node's streams and EventEmitters both have it). */
interface Listenable {
  on(name: string, listener: () => void): unknown;
  off(name: string, listener: () => void): unknown;
}

/** Settles on the first of `names` that `emitter` emits; the event's arguments are not kept. */
export function firstEvent(emitter: Listenable, names: readonly string[]): Promise<void> {
  return new Promise<void>((settle) => {
    const done = (): void => {
      for (const name of names) emitter.off(name, done);
      settle();
    };
    for (const name of names) emitter.on(name, done);
  });
}
