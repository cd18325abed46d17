import { Global, Module } from '@nestjs/common';
import { ItemsEventBus } from './items-event-bus';

/**
 * The items event bus, one per application: global, so that items (which emits) and revisions, realtime, the
 * access-change notifier and extension modules (which listen) all get the same instance without importing each other.
 */
@Global()
@Module({ providers: [ItemsEventBus], exports: [ItemsEventBus] })
export class EventsModule {}
