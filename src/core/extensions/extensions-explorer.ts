import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ItemsEventBus } from '../events/items-event-bus';
import type { FilterAction, MutationEvent } from '../events/items-events';
import { ITEMS_ACTION, ITEMS_FILTER, type HookMetadata } from './extension-decorators';

const DEFAULT_PRIORITY = 100;

interface Found {
  readonly kind: 'filter' | 'action';
  readonly meta: HookMetadata;
  readonly fn: (...args: unknown[]) => unknown;
  readonly name: string;
  readonly order: number;
}

/**
 * Finds the `@ItemsFilter` / `@ItemsAction` methods of every provider through Nest's DiscoveryService at module init
 * and registers them on the items event bus, sorted by priority, then registration order.
 */
@Injectable()
export class ExtensionsExplorer implements OnModuleInit {
  private readonly logger = new Logger('Extensions');
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly bus: ItemsEventBus,
  ) {}

  onModuleInit(): void {
    const found: Found[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const method = instance[name] as (...args: unknown[]) => unknown;
        for (const kind of ['filter', 'action'] as const) {
          const meta = this.reflector.get<HookMetadata | undefined>(
            kind === 'filter' ? ITEMS_FILTER : ITEMS_ACTION,
            method,
          );
          if (meta)
            found.push({ kind, meta, fn: method.bind(instance), name: `${wrapper.name}.${name}`, order: found.length });
        }
      }
    }
    found.sort(
      (a, b) => (a.meta.priority ?? DEFAULT_PRIORITY) - (b.meta.priority ?? DEFAULT_PRIORITY) || a.order - b.order,
    );
    for (const hook of found) this.register(hook);
    if (found.length)
      this.logger.log({ msg: 'extension hooks registered', hooks: found.map((h) => `${h.kind}:${h.name}`) });
  }

  private register(hook: Found): void {
    const collections = hook.meta.collection === undefined ? null : new Set(toList(hook.meta.collection));
    const actions = new Set(hook.meta.events.map((e) => e.slice('items.'.length) as FilterAction));
    if (hook.kind === 'filter') {
      const targets = collections ? [...collections] : ['*'];
      for (const action of actions) {
        for (const collection of targets) this.offs.push(this.bus.onFilter(action, collection, hook.fn));
      }
      return;
    }
    this.offs.push(
      this.bus.afterCommit((event: MutationEvent) => {
        if (!actions.has(event.action) || (collections && !collections.has(event.collection))) return;
        return hook.fn(event) as void | Promise<void>;
      }),
    );
  }
}

function toList(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}
