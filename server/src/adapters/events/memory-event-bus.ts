import { EventEmitter } from 'node:events';
import type { DailiesEvent, EventBus } from '../../ports/events.js';

/** Events within one process. */
export class MemoryEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(event: DailiesEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: DailiesEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
