import { MemoryEventBus } from '../../src/adapters/events/memory-event-bus.js';
import { eventBusContract } from './event-bus.contract.js';

// Real: the bus of a SQLite deployment, one process; publisher and subscriber are one bus.
eventBusContract('memory', async () => {
  const bus = new MemoryEventBus();
  return { publisher: bus, subscriber: bus, close: async () => {} };
});
